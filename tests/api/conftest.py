import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import create_token


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Throttle counts live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """An anonymous client."""
    return APIClient()


def client_for(user) -> APIClient:
    """A client holding a real token of `user`'s, as an app would."""
    _, key = create_token(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def as_learner(learner):
    return client_for(learner)


@pytest.fixture
def as_host(host):
    return client_for(host)
