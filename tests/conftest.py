import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import TaskFactory, UserFactory, VirtualClassFactory


@pytest.fixture(autouse=True)
def _english_unless_asked(settings):
    # The site speaks Spanish by default; the suite reads its pages in English, and the
    # translation tests (tests/i18n/) ask for Spanish where they mean it.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttling_counts():
    # Sign-in failures and bookings are counted in the cache; each test starts from none.
    cache.clear()
    yield
    cache.clear()


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
