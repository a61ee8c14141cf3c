import pytest

from tests.factories import TaskFactory, UserFactory, VirtualClassFactory


@pytest.fixture
def host(db):
    return UserFactory(username="host")


@pytest.fixture
def learner(db):
    return UserFactory(username="learner")


@pytest.fixture
def virtual_class(host):
    return VirtualClassFactory(booked_by=host, title="Spanish small talk")


@pytest.fixture
def task(db):
    return TaskFactory()
