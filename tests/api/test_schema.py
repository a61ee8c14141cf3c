"""The OpenAPI schema is served, valid, and describes every endpoint; the docs page needs no
outside address."""

import re

import pytest
import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_valid_openapi(schema):
    validate_schema(schema)  # raises on an invalid document


def test_the_schema_lists_every_operation_under_v1(schema):
    operations = {
        (method.upper(), path) for path, item in schema["paths"].items() for method in item
    }

    assert operations == {
        ("POST", "/api/v1/token/"),
        ("DELETE", "/api/v1/token/"),
        ("GET", "/api/v1/me/"),
        ("GET", "/api/v1/activities/"),
        ("GET", "/api/v1/classes/"),
        ("POST", "/api/v1/classes/"),
        ("GET", "/api/v1/classes/{id}/"),
        ("PATCH", "/api/v1/classes/{id}/"),
        ("POST", "/api/v1/classes/{id}/join/"),
        ("POST", "/api/v1/classes/{id}/leave/"),
        ("POST", "/api/v1/classes/{id}/waitlist/"),
        ("DELETE", "/api/v1/classes/{id}/waitlist/"),
        ("POST", "/api/v1/classes/{id}/cancel/"),
        ("GET", "/api/v1/tasks/{id}/"),
        ("POST", "/api/v1/tasks/{id}/complete/"),
    }


def test_every_write_documents_its_refusals(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("post", "patch", "delete") and path != "/api/v1/token/":
                assert {"401", "409", "429"} <= set(operation["responses"]), path


def test_the_docs_page_loads_its_scripts_from_the_site_itself(client):
    response = client.get(reverse("api:docs"))

    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_every_link_names_an_operation_of_the_schema(schema):
    operations = {
        operation["operationId"] for item in schema["paths"].values() for operation in item.values()
    }
    links = [
        link
        for item in schema["paths"].values()
        for operation in item.values()
        for response in operation["responses"].values()
        for link in response.get("links", {}).values()
    ]

    assert len(links) >= 10
    assert {link["operationId"] for link in links} <= operations
