"""The learners' journey once in Spanish, as a browser set to es-AR gets it, at desktop and phone
widths: Spanish strings are longer, so every page is checked for sideways overflow."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from activities.services import assign_task
from classes.models import VirtualClass
from tests.browser.test_learner_flow import (  # noqa: F401 (fixtures)
    DESKTOP,
    LEARNER_ZONE,
    PHONE,
    chromium,
    outside_the_browser_loop,
    page_width,
    shot,
)
from tests.factories import PASSWORD, TaskFactory, start_class


@pytest.fixture
def open_spanish_page(chromium, live_server, settings):  # noqa: F811
    """A browser window that asks for Argentine Spanish; a JavaScript error or a
    Content-Security-Policy violation on any page fails the test."""
    settings.LANGUAGE_CODE = "es"
    errors = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            errors.append(message.text)

    def open_page() -> Page:
        context = chromium.new_context(
            base_url=live_server.url, viewport=DESKTOP, timezone_id=LEARNER_ZONE, locale="es-AR"
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", on_console)
        return page

    yield open_page
    assert errors == []


def fits(page: Page, name: str) -> None:
    """The page in Spanish, at the window's width, with nothing sticking out sideways."""
    shot(page, f"es-{name}")
    assert page_width(page) <= page.viewport_size["width"], name


def sign_up(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Registrate").click()
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=email]").fill(f"{username}@example.com")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Registrate").click()
    expect(page.get_by_role("status")).to_contain_text(f"¡Hola, {username}!")


def test_two_learners_book_join_and_complete_a_task_in_spanish(open_spanish_page, transactional_db):
    starts_at = (datetime.now(ZoneInfo(LEARNER_ZONE)) + timedelta(days=2)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )

    ana = open_spanish_page()
    ana.goto("/")
    expect(ana.locator("html")).to_have_attribute("lang", "es")
    expect(ana.locator("footer")).to_contain_text(f"Los horarios se muestran en {LEARNER_ZONE}")
    fits(ana, "01-home")
    sign_up(ana, "ana")
    ana.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Reservar una clase"
    ).click()
    ana.get_by_label("Título").fill("Historias de viaje")
    ana.get_by_label("Tema").fill("Tiempos pasados")
    ana.get_by_label("Grupal").check()
    ana.get_by_label("Lugares").fill("4")
    ana.get_by_label("Empieza").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    ana.get_by_label("Termina").fill((starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    fits(ana, "02-book-form")
    ana.get_by_role("button", name="Reservar la clase").click()
    expect(ana.get_by_role("status")).to_contain_text("Reservaste tu clase “Historias de viaje”.")
    expect(ana.get_by_role("link", name="Cancelar esta clase")).to_be_visible()
    fits(ana, "03-class-booked")

    ben = open_spanish_page()
    sign_up(ben, "ben")
    card = ben.get_by_role("article").filter(has_text="Historias de viaje")
    expect(card).to_contain_text("1/4 ocupados")
    fits(ben, "04-class-list")
    card.get_by_role("link", name="Historias de viaje").click()
    ben.get_by_role("button", name="Sumarme a esta clase").click()
    expect(ben.get_by_role("status")).to_contain_text("Te sumaste a “Historias de viaje”.")
    expect(ben.locator("main")).to_contain_text(
        "2/4 ocupados (contando a quien organiza), quedan 2"
    )
    fits(ben, "05-class-joined")

    outside_the_browser_loop(
        lambda: assign_task(
            virtual_class=VirtualClass.objects.get(title="Historias de viaje"),
            task=TaskFactory(
                title="¿Ser o estar?",
                content="## Completá\n\n1. Yo ___ cansado.\n2. Ella ___ médica.",
                solved_content="1. Yo **estoy** cansado.\n2. Ella **es** médica.",
            ),
        )
    )
    ben.get_by_role("link", name="Mis actividades").click()
    ben.get_by_role("link", name="¿Ser o estar?").click()
    expect(ben.locator("main")).to_contain_text(
        "Vas a poder completar esta tarea cuando empiece la clase"
    )
    fits(ben, "06-task-pending")
    outside_the_browser_loop(
        lambda: start_class(VirtualClass.objects.get(title="Historias de viaje"))
    )
    ben.reload()
    ben.get_by_role("button", name="Marcar como completada").click()
    expect(ben.get_by_role("status")).to_contain_text("¡Muy bien! Tarea completada")
    fits(ben, "07-task-solved")

    ben.get_by_role("link", name="Mis actividades").click()
    expect(ben.get_by_test_id("total-classes")).to_have_text("1")
    expect(ben.get_by_role("row").filter(has_text="Historias de viaje")).to_contain_text(
        "Completada"
    )
    fits(ben, "08-dashboard")

    # The same pages on a phone.
    ben.set_viewport_size(PHONE)
    fits(ben, "09-dashboard-phone")
    ben.get_by_role("link", name="Historias de viaje").click()
    fits(ben, "10-class-phone")
    ben.get_by_role("navigation", name="Principal").get_by_role("link", name="Clases").click()
    fits(ben, "11-class-list-phone")
    ben.goto("/profile/")
    fits(ben, "12-profile-phone")
    ana.set_viewport_size(PHONE)
    ana.goto("/")
    fits(ana, "13-home-phone")
