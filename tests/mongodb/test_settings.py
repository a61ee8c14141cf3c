"""A MongoDB DATABASE_URL selects django-mongodb-backend and the settings it needs; loading them
needs no server."""

import json

import pytest

from tests.settings_process import load_settings

pytest.importorskip(
    "django_mongodb_backend",
    reason="django-mongodb-backend is not installed: pip install -e '.[mongodb]'",
)

SHOW_SETTINGS = """
import json
from django.conf import settings
from django.contrib import admin
from django.db import connection
print(json.dumps({
    "vendor": connection.vendor,
    "host": settings.DATABASES["default"]["HOST"],
    "name": settings.DATABASES["default"]["NAME"],
    "apps": settings.INSTALLED_APPS[:3],
    "migrations": settings.MIGRATION_MODULES,
    "admin_site": admin.site.__class__.__name__,
}))
"""


def _load(tmp_path, database_url):
    return load_settings(SHOW_SETTINGS, tmp_path, DEBUG="true", DATABASE_URL=database_url)


def test_a_mongodb_url_selects_the_backend_with_objectid_contrib_apps_and_the_staff_site(tmp_path):
    url = "mongodb+srv://school:secret@cluster0.example.net/learning_platform?retryWrites=true"

    result = _load(tmp_path, url)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "vendor": "mongodb",
        "host": url,
        "name": "learning_platform",
        "apps": [
            "learning_platform.mongodb_apps.MongoAdminConfig",
            "learning_platform.mongodb_apps.MongoAuthConfig",
            "learning_platform.mongodb_apps.MongoContentTypesConfig",
        ],
        "migrations": {
            "admin": "mongo_migrations.admin",
            "auth": "mongo_migrations.auth",
            "contenttypes": "mongo_migrations.contenttypes",
        },
        "admin_site": "StaffAdminSite",
    }


def test_a_mongodb_url_without_a_database_name_is_refused(tmp_path):
    result = _load(tmp_path, "mongodb://127.0.0.1:27017/?replicaSet=rs0")

    assert result.returncode != 0
    assert "DATABASE_URL must name the database" in result.stderr
