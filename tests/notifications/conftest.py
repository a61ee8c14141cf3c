import pytest


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://school.example.com"
    settings.DEFAULT_FROM_EMAIL = "school@example.com"
