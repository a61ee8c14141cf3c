"""Staff admin for classes. Every change goes through classes.services, activities.services or
the participants signal, so the admin obeys the same rules as the learner pages."""

from collections import Counter
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

import history
from activities.models import UserActivity
from activities.services import ActivityError, assign_task
from classes import services
from classes.models import VirtualClass, WaitlistEntry
from history.admin import HistoryInline
from history.models import Action
from learning_platform.admin_site import RelatedSearchMixin
from learning_platform.models import User
from tasks.models import Task


class VirtualClassForm(forms.ModelForm):
    """Turns the participants chosen on the page into joins and leaves, checked by the rules.

    Only the learners the staff member added or removed change: someone who joined while the
    page was open stays. The participants signal has the last word when the form is saved (the
    seat count is guarded there); checking here turns a refusal into a form error instead of a
    failed save.
    """

    # Links typed without a scheme are meeting links on the web: https.
    meeting_url = forms.URLField(
        label=_("Meeting URL"), max_length=200, required=False, assume_scheme="https"
    )
    # The participants as the page showed them, to tell the staff member's changes from joins
    # and leaves that happened meanwhile.
    # The ids the page showed, comma-separated: at most one per seat.
    participants_on_page = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=VirtualClass.MAX_SEATS * 25
    )

    class Meta:
        model = VirtualClass
        fields = [  # the admin narrows these per page (see VirtualClassAdmin.get_fieldsets)
            "title",
            "description",
            "learning_focus",
            "meeting_url",
            "class_type",
            "starts_at",
            "ends_at",
            "status",
            "booked_by",
            "max_participants",
            "participants",
            "task",
        ]
        labels = {"max_participants": _("Seats")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants_added: list[User] = []
        self.participants_removed: list[User] = []
        if not self._adding:
            shown = self.instance.participants.values_list("pk", flat=True)
            self.initial["participants_on_page"] = ",".join(shown)

    def clean(self):
        cleaned = super().clean()
        starts_at = cleaned.get("starts_at")
        if self._adding and starts_at and starts_at <= timezone.now():
            # A new class goes through the booking rules, as on the site.
            self.add_error(
                "starts_at", gettext("A class can only be booked to start in the future.")
            )
        if "participants" not in self.fields or self._needed_fields_have_errors():
            return cleaned
        chosen = set(cleaned["participants"])
        members = set() if self._adding else set(self.instance.participants.all())
        # Who the page showed. A post without that list (not from the page) is taken at its
        # word: the participants it names are the class's participants.
        shown = self.data.get(self.add_prefix("participants_on_page"))
        on_page = {user.pk for user in members} if shown is None else set(shown.split(","))
        removed = [user for user in members if user.pk in on_page and user not in chosen]
        # Whoever the page showed was kept, not added: if they left meanwhile, they stay out.
        added = [user for user in chosen if user not in members and user.pk not in on_page]

        # The rules are checked against the class as it will be saved, seat by seat.
        probe = self._class_as_saved()
        probe.current_participants = 1 + len(members) - len(removed)
        errors = []
        for user in sorted(removed, key=str):
            if reason := services.why_cannot_leave(user=user, virtual_class=probe):
                errors.append(
                    gettext("Cannot remove %(user)s; they would be told: “%(reason)s”")
                    % {"user": user, "reason": reason}
                )
        for user in sorted(added, key=str):
            if reason := services.why_cannot_join(user=user, virtual_class=probe):
                errors.append(
                    gettext("Cannot add %(user)s; they would be told: “%(reason)s”")
                    % {"user": user, "reason": reason}
                )
            else:
                probe.current_participants += 1
        if errors:
            self.add_error("participants", errors)
        elif probe.current_participants > probe.max_participants:
            self.add_error(
                "max_participants",
                gettext(
                    "%(count)d seats would be taken (the host included); "
                    "remove participants or keep enough seats."
                )
                % {"count": probe.current_participants},
            )
        else:
            self.participants_added, self.participants_removed = added, removed
            # The admin applies exactly these changes; the form must not replace the whole set.
            del cleaned["participants"]
        return cleaned

    @property
    def _adding(self) -> bool:
        return self.instance._state.adding

    def _needed_fields_have_errors(self) -> bool:
        needed = {"booked_by", "status", "starts_at", "max_participants", "participants"}
        return any(name in self.errors for name in needed & set(self.fields))

    def _class_as_saved(self) -> VirtualClass:
        probe = VirtualClass(pk=self.instance.pk)
        for name in ("booked_by", "status", "starts_at", "max_participants"):
            if name in self.cleaned_data:
                setattr(probe, name, self.cleaned_data[name])
            else:
                setattr(probe, name, getattr(self.instance, name))
        return probe


class AttachTaskForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here: the autocomplete widget needs the admin site, and tasks may be many.
        self.fields["task"] = forms.ModelChoiceField(
            queryset=Task.objects.all(),
            widget=AutocompleteSelect(VirtualClass._meta.get_field("task"), admin_site),
            help_text=_("Classes that already have another task, or are cancelled, are skipped."),
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Each host reads this on the class page."),
    )


class WaitlistInline(admin.TabularInline):
    """Learners waiting for a seat, first in line first: the rules promote them."""

    model = WaitlistEntry
    fields = ["user", "created_at"]
    readonly_fields = fields
    ordering = ["created_at", "id"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("waiting list (first in line first; promoted when a seat frees)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ActivityInline(admin.TabularInline):
    """The class's activities, to read: they follow participants, tasks and completions."""

    model = UserActivity
    fields = ["user", "rol", "task", "completed", "created_at"]
    readonly_fields = fields
    ordering = ["created_at"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("activities (created and removed with participants)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "virtual_class", "task")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StartsFilter(admin.SimpleListFilter):
    """By start, looking ahead: staff plan upcoming classes more than they review old ones."""

    title = _("start")
    parameter_name = "starts"

    def lookups(self, request, model_admin):
        return [
            ("next_7_days", _("Next 7 days")),
            ("upcoming", _("Not started yet")),
            ("started", _("Started or past")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "next_7_days":
            return queryset.filter(starts_at__gte=now, starts_at__lt=now + timedelta(days=7))
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gte=now)
        if self.value() == "started":
            return queryset.filter(starts_at__lt=now)
        return queryset


@admin.register(VirtualClass)
class VirtualClassAdmin(RelatedSearchMixin, admin.ModelAdmin):
    form = VirtualClassForm
    list_display = ["title", "booked_by", "class_type", "status", "starts", "seats"]
    list_filter = ["class_type", "status", StartsFilter]
    search_fields = [
        "title",
        "booked_by__username",
        "booked_by__first_name",
        "booked_by__last_name",
    ]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]  # the latest classes first: staff look ahead more than back
    list_select_related = ["booked_by"]
    show_full_result_count = False
    autocomplete_fields = ["booked_by", "participants", "task"]
    inlines = [WaitlistInline, ActivityInline, HistoryInline]
    actions = [
        "confirm_classes",
        "decline_classes",
        "cancel_classes",
        "mark_completed",
        "attach_task",
    ]

    def get_fieldsets(self, request, obj=None):
        adding = obj is None
        return [
            (None, {"fields": ["title", "description", "learning_focus", "meeting_url"]}),
            (
                _("Schedule"),
                {
                    "fields": ["class_type", "starts_at", "ends_at", "status"],
                    "description": None
                    if adding
                    else _(
                        "Change the status with the actions of the class list: "
                        "“Cancel selected classes” or “Mark selected classes completed”."
                    ),
                },
            ),
            (
                _("Seats"),
                {
                    "fields": ["booked_by", "max_participants"]
                    + ([] if adding else ["seats_taken"])
                    + ["participants", "participants_on_page"],
                    "description": _(
                        "Seats count the host. Participants follow the same rules as on the "
                        "site: each one added takes a seat and gets an activity; each one "
                        "removed frees the seat and loses the activity."
                    )
                    if adding
                    else _(
                        "Seats count the host. Participants follow the same rules as on the "
                        "site: each one added takes a seat and gets an activity; each one "
                        "removed frees the seat and loses the activity. The host is fixed once "
                        "the class is booked."
                    ),
                },
            ),
            (
                _("Task"),
                {
                    "fields": ["task"],
                    "description": None
                    if adding
                    else _(
                        "Attach a task with the action “Attach a task to selected classes” in "
                        "the class list: it also gives the task to the class's activities."
                    ),
                },
            ),
            *([] if adding else [(_("History"), {"fields": ["created_at", "updated_at"]})]),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            # Status and task move only through their rules: confirmation and assign_task.
            return ["status", "task"]
        # Each of these moves only through a rule: the host's activity, the status actions,
        # the seat count kept by the participants signal, and assign_task.
        # The type is fixed once booked, like the host: a change of seats is checked against it.
        return [
            "booked_by",
            "class_type",
            "status",
            "seats_taken",
            "task",
            "created_at",
            "updated_at",
        ]

    def has_delete_permission(self, request, obj=None):
        # A class holds its learners' history; cancel it instead.
        return False

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new class has no activities yet

    @admin.display(description=_("starts"), ordering="starts_at")
    def starts(self, virtual_class: VirtualClass):
        return virtual_class.starts_at

    @admin.display(description=_("seats"), ordering="current_participants")
    def seats(self, virtual_class: VirtualClass) -> str:
        return f"{virtual_class.current_participants}/{virtual_class.max_participants}"

    @admin.display(description=_("seats taken"))
    def seats_taken(self, virtual_class: VirtualClass) -> str:
        return gettext("%(taken)s of %(total)s") % {
            "taken": virtual_class.current_participants,
            "total": virtual_class.max_participants,
        }

    def save_model(self, request, obj, form, change):
        if not change:
            obj.status = services.initial_status()
            obj.task = None
            obj.save()  # the signal records the host's activity
            history.record(
                action=Action.CLASS_BOOKED,
                actor=request.user,
                virtual_class=obj,
                learner=obj.booked_by,
                status=obj.status,
            )
            return
        if form.participants_removed:
            # Before the seats are saved, so a smaller class fits the participants who stay.
            obj.participants.remove(*form.participants_removed)
            for user in form.participants_removed:
                history.record(
                    action=Action.PARTICIPANT_REMOVED,
                    actor=request.user,
                    virtual_class=obj,
                    learner=user,
                )
        # Only what the form changed. The fields a host may change go through the rule that
        # changes a class (its seats against the seats taken, its time before the start); the
        # seat count is the signal's to write.
        model_fields = {field.name for field in obj._meta.concrete_fields}
        changed = set(form.changed_data) & model_fields
        ruled = {name: form.cleaned_data[name] for name in changed & set(services.EDITABLE)}
        if ruled:
            services.update_class(virtual_class=obj, by=request.user, **ruled)
        if rest := changed - set(ruled):
            obj.save(update_fields=[*rest, "updated_at"])
            history.record(
                action=Action.CLASS_EDITED,
                actor=request.user,
                virtual_class=obj,
                fields=sorted(rest),
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.participants_added:
            # The signal takes the seats (refusing any beyond capacity) and records activities.
            form.instance.participants.add(*form.participants_added)
            for user in form.participants_added:
                history.record(
                    action=Action.PARTICIPANT_ADDED,
                    actor=request.user,
                    virtual_class=form.instance,
                    learner=user,
                )
        if change:
            # Seats freed by removals or added to the class go to the learners waiting.
            services.promote_waiting(virtual_class=form.instance)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.ClassError, ActivityError) as error:
            # A learner took the last seat between the form check and the save: the save was
            # rolled back; say why and show the class again.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=_("Confirm selected bookings"), permissions=["change"])
    def confirm_classes(self, request, queryset):
        confirmed, skipped = _each(
            queryset, lambda c: services.confirm_class(virtual_class=c, by=request.user)
        )
        _report(
            request,
            ngettext("Confirmed %(count)d class.", "Confirmed %(count)d classes.", confirmed)
            % {"count": confirmed},
            skipped,
        )

    @admin.action(description=_("Decline selected bookings"), permissions=["change"])
    def decline_classes(self, request, queryset):
        form = DeclineForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            declined, skipped = _each(
                queryset,
                lambda c: services.decline_class(virtual_class=c, by=request.user, reason=reason),
            )
            _report(
                request,
                ngettext("Declined %(count)d class.", "Declined %(count)d classes.", declined)
                % {"count": declined},
                skipped,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Decline bookings"),
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "classes": queryset.select_related("booked_by"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/classes/virtualclass/decline.html", context)

    @admin.action(description=_("Cancel selected classes"), permissions=["change"])
    def cancel_classes(self, request, queryset):
        cancelled, skipped = _each(
            queryset, lambda c: services.cancel_class(virtual_class=c, by=request.user)
        )
        _report(
            request,
            ngettext("Cancelled %(count)d class.", "Cancelled %(count)d classes.", cancelled)
            % {"count": cancelled},
            skipped,
        )

    @admin.action(description=_("Mark selected classes completed"), permissions=["change"])
    def mark_completed(self, request, queryset):
        statuses = Counter(queryset.values_list("status", flat=True))
        completed = services.complete_classes(classes=queryset, by=request.user)
        skipped = Counter(
            {
                gettext("This class is already %(status)s.")
                % {"status": VirtualClass.Status(status).label.lower()}: count
                for status, count in statuses.items()
                if status not in VirtualClass.OPEN_STATUSES
            }
        )
        _report(
            request,
            ngettext(
                "Marked %(count)d class completed.",
                "Marked %(count)d classes completed.",
                completed,
            )
            % {"count": completed},
            skipped,
        )

    @admin.action(description=_("Attach a task to selected classes"), permissions=["change"])
    def attach_task(self, request, queryset):
        form = AttachTaskForm(
            request.POST if "apply" in request.POST else None, admin_site=self.admin_site
        )
        if form.is_bound and form.is_valid():
            self._attach(request, queryset, form.cleaned_data["task"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Attach a task"),
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "classes": queryset.select_related("task"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/classes/virtualclass/attach_task.html", context)

    def _attach(self, request, queryset, task: Task) -> None:
        attached, already, activities, skipped = 0, 0, 0, Counter()
        holders = set()
        for virtual_class in queryset:
            had_it = virtual_class.task_id == task.pk
            try:
                assignment = assign_task(virtual_class=virtual_class, task=task, by=request.user)
            except ActivityError as error:
                skipped[" ".join(error.messages)] += 1
                continue
            already += had_it
            attached += not had_it
            activities += assignment.assigned
            holders.update(assignment.skipped_user_ids)
        got = ngettext(
            "%(count)d activity got the task.", "%(count)d activities got the task.", activities
        ) % {"count": activities}
        if already:
            done = ngettext(
                "Attached “%(task)s” to %(count)d class (%(already)d already had it); %(got)s",
                "Attached “%(task)s” to %(count)d classes (%(already)d already had it); %(got)s",
                attached,
            )
        else:
            done = ngettext(
                "Attached “%(task)s” to %(count)d class; %(got)s",
                "Attached “%(task)s” to %(count)d classes; %(got)s",
                attached,
            )
        done %= {"task": task, "count": attached, "already": already, "got": got}
        _report(request, done, skipped)
        if holders:
            names = ", ".join(
                sorted(User.objects.filter(pk__in=holders).values_list("username", flat=True))
            )
            self.message_user(
                request,
                ngettext(
                    "%(count)d learner already holds this task through another class and keeps "
                    "that activity (one activity per learner per task): %(names)s.",
                    "%(count)d learners already hold this task through another class and keep "
                    "that activity (one activity per learner per task): %(names)s.",
                    len(holders),
                )
                % {"count": len(holders), "names": names},
                messages.WARNING,
            )


def _each(queryset, rule) -> tuple[int, Counter]:
    """Apply a class rule to each selected class: how many it changed, and how many it refused
    for each reason."""
    done, skipped = 0, Counter()
    for virtual_class in queryset:
        try:
            rule(virtual_class)
        except services.ClassError as error:
            skipped[" ".join(error.messages)] += 1
        else:
            done += 1
    return done, skipped


def _report(request, done: str, skipped: Counter) -> None:
    """One success message with the count changed, one warning per reason others were skipped."""
    messages.success(request, done)
    for reason, count in sorted(skipped.items()):
        messages.warning(
            request,
            ngettext(
                "Skipped %(count)d class: %(reason)s",
                "Skipped %(count)d classes: %(reason)s",
                count,
            )
            % {"count": count, "reason": reason},
        )
