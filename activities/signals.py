"""Activities follow classes: a booked class gets its host's activity, and every change to a
class's participants creates or deletes participant activities and moves the seat count.

These fire from every entry point (pages, admin, shell, commands), so the rules hold however a
class or its participants are changed. Fixture loads (loaddata) are left as they are: a dump
already holds the activities and seat counts.
"""

from collections import defaultdict
from functools import partial

from django.db.models.signals import m2m_changed, post_save

from activities import services
from activities.models import UserActivity
from classes import services as class_services
from classes.models import VirtualClass
from learning_platform.db import undo_on_failure

Membership = VirtualClass.participants.through


def on_class_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        # Loading a fixture sets the class's participants right after this save, and
        # m2m_changed carries no `raw` flag: the mark tells that handler to leave them too.
        instance._loaded_from_fixture = True
        return
    if created:
        services.record_host(virtual_class=instance)


def on_participants_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if getattr(instance, "_loaded_from_fixture", False):
        return
    if action == "post_add":
        with undo_on_failure() as on_failure:
            # Django has inserted the membership rows already; they go if the rest fails.
            added, _ = _memberships(instance, reverse, pk_set)
            on_failure(added.delete)
            for virtual_class, user_ids in _by_class(instance, reverse, pk_set):
                class_services.take_seats(virtual_class=virtual_class, user_ids=user_ids)
                on_failure(
                    partial(
                        class_services.release_seats,
                        virtual_class=virtual_class,
                        count=len(user_ids),
                    )
                )
                on_failure(_activities(virtual_class, user_ids).delete)
                services.record_participants_joined(virtual_class=virtual_class, user_ids=user_ids)
                class_services.forget_waiting(virtual_class=virtual_class, user_ids=user_ids)
    elif action in ("pre_remove", "pre_clear"):
        members, column = _memberships(instance, reverse, pk_set)
        leaving = _by_class(instance, reverse, set(members.values_list(column, flat=True)))
        # Every class is checked before any is changed: a refusal in the second of two classes
        # must not have emptied the first (without a transaction nothing would put it back).
        read = services.read_leaving(leaving=leaving)
        with undo_on_failure() as on_failure:
            for virtual_class, user_ids in leaving:
                before = [
                    activity
                    for activity in read
                    if activity.virtual_class_id == virtual_class.pk
                    and activity.user_id in user_ids
                ]
                left = services.record_participants_left(
                    virtual_class=virtual_class, user_ids=user_ids, read=before
                )
                on_failure(partial(services.restore_activities, before))
                class_services.release_seats(virtual_class=virtual_class, count=left)
                on_failure(
                    partial(class_services.retake_seats, virtual_class=virtual_class, count=left)
                )


def _memberships(instance, reverse, pk_set):
    """The membership rows a change names (clear: all of the instance's), and the column
    holding the other side's ids."""
    if reverse:
        rows = Membership.objects.filter(user_id=instance.pk)
        column = "virtualclass_id"
    else:
        rows = Membership.objects.filter(virtualclass_id=instance.pk)
        column = "user_id"
    if pk_set is not None:
        rows = rows.filter(**{f"{column}__in": pk_set})
    return rows, column


def _activities(virtual_class, user_ids):
    return UserActivity.objects.filter(virtual_class=virtual_class, user_id__in=user_ids)


def _by_class(instance, reverse, pk_set):
    """(class, user ids) pairs, whichever side of the relation the change was made from."""
    if not pk_set:
        return []
    if not reverse:
        return [(instance, set(pk_set))]
    users_by_class = defaultdict(set)
    for class_id in pk_set:
        users_by_class[class_id].add(instance.pk)
    return [(vc, users_by_class[vc.pk]) for vc in VirtualClass.objects.filter(pk__in=pk_set)]


def connect():
    post_save.connect(on_class_saved, sender=VirtualClass, dispatch_uid="activities_class_saved")
    m2m_changed.connect(
        on_participants_changed,
        sender=Membership,
        dispatch_uid="activities_participants_changed",
    )
