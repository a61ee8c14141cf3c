"""A refusal reaches the learner in the page's language."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from classes.services import ClassError, join_class
from tests.factories import UserFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_class(host, learner):
    return VirtualClassFactory(booked_by=host, max_participants=2, participants=[learner])


def test_the_full_class_refusal_is_in_spanish(full_class):
    with translation.override("es"), pytest.raises(ClassError) as refusal:
        join_class(user=UserFactory(), virtual_class=full_class)

    assert refusal.value.messages == ["Esta clase está completa."]


@pytest.mark.parametrize(
    ("accept", "message"), [("es", "Esta clase está completa."), ("en", "This class is full.")]
)
def test_joining_a_full_class_by_the_page_says_why_in_the_language(
    client, full_class, accept, message
):
    latecomer = UserFactory()
    client.force_login(latecomer)

    response = client.post(
        reverse("classes:join", args=[full_class.pk]), HTTP_ACCEPT_LANGUAGE=accept
    )

    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]
    assert not full_class.participants.filter(pk=latecomer.pk).exists()
