"""API requests racing for real, each thread on its own database connection (see
tests/activities/test_concurrency.py): the rules hold through the API as they do below it."""

import pytest
from django.db import connection

from api.models import ApiToken
from api.services import create_token
from classes.models import VirtualClass
from tests.activities.test_concurrency import _race
from tests.api.conftest import client_for
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor not in ("postgresql", "mongodb"),
        reason="races need concurrent writers: run with DATABASE_URL on PostgreSQL or MongoDB",
    ),
]


def test_learners_racing_through_the_api_for_the_last_seat_one_gets_it():
    virtual_class = VirtualClassFactory(max_participants=3, participants=[UserFactory()])
    clients = [client_for(UserFactory()) for _ in range(8)]
    url = f"/api/v1/classes/{virtual_class.pk}/join/"

    outcomes = _race([lambda c=c: c.post(url) for c in clients])

    statuses = sorted(o.status_code for o in outcomes)
    assert statuses == [200] + [409] * 7
    assert {o.json()["detail"] for o in outcomes if o.status_code == 409} == {"This class is full."}
    assert VirtualClass.objects.get(pk=virtual_class.pk).current_participants == 3


def test_simultaneous_token_requests_leave_one_working_token():
    learner = UserFactory()

    outcomes = _race([lambda: create_token(user=learner) for _ in range(6)])

    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    (token,) = ApiToken.objects.filter(user=learner)
    assert token.digest in {o[0].digest for o in outcomes}
