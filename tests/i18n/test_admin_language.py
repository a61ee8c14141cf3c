"""The staff admin's own words (fieldsets, filters, columns, help) speak the page's language."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_a_class_change_page_shows_its_fieldsets_in_spanish(staff_client):
    virtual_class = VirtualClassFactory()

    response = staff_client.get(
        reverse("admin:classes_virtualclass_change", args=[virtual_class.pk]),
        HTTP_ACCEPT_LANGUAGE="es",
    )

    fieldsets = [fieldset.name for fieldset in response.context["adminform"]]
    assert [str(name) for name in fieldsets] == [
        "None",
        "Horario",
        "Lugares",
        "Tarea",
        "Historial",
    ]
    page = response.text
    assert "Los lugares cuentan a quien organiza." in page
    assert "Lista de espera (primero quien llegó antes;" in page
    assert "Seats count the host" not in page
    assert ">Schedule<" not in page


def test_a_class_list_shows_its_filters_and_columns_in_spanish(staff_client):
    VirtualClassFactory()

    response = staff_client.get(
        reverse("admin:classes_virtualclass_changelist"), HTTP_ACCEPT_LANGUAGE="es"
    )

    page = response.text
    assert "Por comienzo" in page
    for choice in ["Próximos 7 días", "Todavía no empezó", "Empezada o pasada"]:
        assert choice in page
    assert "Next 7 days" not in page
    assert "Not started yet" not in page


def test_a_learner_change_page_shows_its_fieldsets_in_spanish(staff_client):
    learner = StaffFactory(username="learner-es", is_staff=False)

    response = staff_client.get(
        reverse("admin:learning_platform_user_change", args=[learner.pk]),
        HTTP_ACCEPT_LANGUAGE="es",
    )

    names = [str(fieldset.name) for fieldset in response.context["adminform"]]
    assert names == ["None", "Datos personales", "Aprendizaje", "Permisos", "Fechas importantes"]
    assert "0 actividades" in response.text
