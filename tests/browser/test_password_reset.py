"""A learner who forgot their password gets a link by e-mail, sets a new password and logs in
with it, in a real browser against a live server (the mail is caught by Django's test backend)."""

import re

from playwright.sync_api import expect

from tests.browser.test_learner_flow import (  # noqa: F401 (fixtures)
    chromium,
    open_page,
    outside_the_browser_loop,
    shot,
)
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a-brand-new-passphrase-42"


def test_a_learner_resets_a_forgotten_password_and_logs_in_with_it(
    open_page,  # noqa: F811
    transactional_db,
    mailoutbox,
):
    outside_the_browser_loop(
        lambda: UserFactory(username="carla", email="carla@example.com", first_name="Carla")
    )
    page = open_page()

    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("CARLA@example.com")
    shot(page, "20-password-reset-request")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    [message] = mailoutbox
    assert message.to == ["carla@example.com"]
    link = re.search(r"http://\S+/reset/\S+/", message.body).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    shot(page, "21-password-reset-new-password")
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")

    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("carla")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome back, Carla")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Carla")

    # The used link is spent.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")


def test_the_profile_page(open_page, transactional_db):  # noqa: F811
    outside_the_browser_loop(
        lambda: UserFactory(username="dani", first_name="Daniela", last_name="Ruiz", email="")
    )
    page = open_page()
    page.goto("/login/")
    page.get_by_label("Username").fill("dani")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Daniela Ruiz").click()
    expect(page.get_by_role("status")).to_contain_text("Please add your e-mail address")
    # Pre-filled from the browser's zone.
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Madrid")
    shot(page, "22-profile")
    page.get_by_label("Email address").fill("dani@example.com")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    feed = page.get_by_label("Calendar address").input_value()
    assert re.fullmatch(r"http://[^/]+/calendar/[A-Za-z0-9_-]{43}\.ics", feed)
    page.get_by_role("button", name="Get a new address").click()
    expect(page.get_by_label("Calendar address")).not_to_have_value(feed)
    shot(page, "23-profile-saved")
