"""The whole learner journey in a real browser (Debian's chromium driven by Playwright) against
a live server: sign up, book, find and join, open the task, complete it, see the progress.

Screenshots of every page land in artifacts/screenshots/ (ignored by git) for a human to look at.
"""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from activities.services import assign_task
from classes.models import VirtualClass
from classes.services import join_class
from tests.factories import PASSWORD, TaskFactory, UserFactory, VirtualClassFactory, start_class

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LEARNER_ZONE = "Europe/Madrid"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chromium() -> Browser:
    if not CHROMIUM.exists():
        reason = f"chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser test.", pytrace=False)
        pytest.skip(reason)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, live_server):
    """A new browser window for one learner (own cookies), in the learner's time zone; any
    JavaScript error or Content-Security-Policy violation on any page fails the test."""
    errors = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            errors.append(f"{message.page.url if message.page else ''}: {message.text}")

    def open_page() -> Page:
        context = chromium.new_context(
            base_url=live_server.url, viewport=DESKTOP, timezone_id=LEARNER_ZONE
        )
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", on_console)
        return page

    yield open_page
    assert errors == []


def outside_the_browser_loop(call):
    """Run an ORM call in a plain thread. Playwright's sync API keeps an event loop running in
    this one, where Django refuses ORM calls (and a connection opened there would outlive the
    test, keeping PostgreSQL from dropping the test database)."""

    def call_and_close():
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call_and_close).result()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def sign_up(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email address").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome, {username}!")


def log_in(page: Page, username: str, *, greeted_as: str | None = None) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome back, {greeted_as or username}.")


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_two_learners_book_join_and_complete_a_task(open_page, transactional_db):
    starts_at = (datetime.now(ZoneInfo(LEARNER_ZONE)) + timedelta(days=2)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )

    # Learner A signs up and books a group class.
    ana = open_page()
    ana.goto("/")
    # The first visit learns the browser's zone and redraws the page in it.
    expect(ana.locator("footer")).to_contain_text(f"Times are shown in {LEARNER_ZONE}")
    shot(ana, "01-home")
    sign_up(ana, "ana")
    ana.get_by_role("navigation", name="Main").get_by_role("link", name="Book a class").click()
    ana.get_by_label("Title").fill("Travel stories")
    ana.get_by_label("Learning focus").fill("Past tenses")
    ana.get_by_label("Group").check()
    ana.get_by_label("Seats").fill("4")
    ana.get_by_label("Starts").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    ana.get_by_label("Ends").fill((starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    shot(ana, "02-book-form")
    ana.get_by_role("button", name="Book the class").click()
    expect(ana.get_by_role("status")).to_contain_text("Your class “Travel stories” is booked.")
    expect(ana.get_by_role("heading", level=1)).to_have_text("Travel stories")
    # Booked in the learner's zone, shown back in it.
    expect(ana.locator("main")).to_contain_text(
        f"{starts_at:%a} {starts_at.day} {starts_at:%b %Y}, 18:00 {starts_at.tzname()}"
    )
    expect(ana.get_by_role("link", name="Cancel this class")).to_be_visible()
    shot(ana, "03-class-booked")

    # Learner B signs up, finds it in the list and joins.
    ben = open_page()
    sign_up(ben, "ben")
    card = ben.get_by_role("article").filter(has_text="Travel stories")
    expect(card).to_contain_text("1/4 taken")
    shot(ben, "04-class-list")
    card.get_by_role("link", name="Travel stories").click()
    ben.get_by_role("button", name="Join this class").click()
    expect(ben.get_by_role("status")).to_contain_text("You have joined “Travel stories”.")
    expect(ben.get_by_role("link", name="Leave this class")).to_be_visible()
    expect(ben.locator("main")).to_contain_text("2/4 taken")
    shot(ben, "05-class-joined")

    # Staff attach a task to the class.
    outside_the_browser_loop(
        lambda: assign_task(
            virtual_class=VirtualClass.objects.get(title="Travel stories"),
            task=TaskFactory(
                title="Ser or estar?",
                content="## Fill the gaps\n\n1. Yo ___ cansado.\n2. Ella ___ médica.",
                solved_content="1. Yo **estoy** cansado.\n2. Ella **es** médica.",
            ),
        )
    )

    # B opens the task from the dashboard: no solution until it is completed.
    ben.get_by_role("link", name="My activities").click()
    shot(ben, "06-dashboard-before")
    ben.get_by_role("link", name="Ser or estar?").click()
    expect(ben.get_by_role("heading", name="Fill the gaps")).to_be_visible()
    expect(ben.get_by_role("heading", name="Solution")).to_have_count(0)
    expect(ben.locator("main")).not_to_contain_text("estoy")
    # Before the class starts the page says when the task can be completed.
    expect(ben.locator("main")).to_contain_text("You can complete this task once the class starts")
    expect(ben.get_by_role("button", name="Mark as completed")).to_have_count(0)
    shot(ben, "07-task-pending")
    # The class takes place.
    outside_the_browser_loop(lambda: start_class(VirtualClass.objects.get(title="Travel stories")))
    ben.reload()
    ben.get_by_role("button", name="Mark as completed").click()
    expect(ben.get_by_role("status")).to_contain_text("Task completed")
    expect(ben.get_by_role("heading", name="Solution")).to_be_visible()
    expect(ben.locator(".solution strong").first).to_have_text("estoy")
    shot(ben, "08-task-solved")

    # The dashboard shows one completed activity and one class completed.
    ben.get_by_role("link", name="My activities").click()
    expect(ben.get_by_test_id("total-classes")).to_have_text("1")
    expect(ben.get_by_test_id("count-completed")).to_have_text("1")
    expect(ben.get_by_role("row").filter(has_text="Travel stories")).to_contain_text(
        re.compile("Participant.*Completed", re.DOTALL)
    )
    shot(ben, "09-dashboard-after")

    # Readable on a phone.
    ben.set_viewport_size(PHONE)
    shot(ben, "10-dashboard-phone")
    ben.get_by_role("link", name="Classes").click()
    shot(ben, "11-class-list-phone")
    ben.go_back()
    ben.get_by_role("link", name="Ser or estar?").click()
    shot(ben, "12-task-phone")


LONG_LINK = "https://meet.example.com/" + "conversation-practice-" * 4 + "room-42?pwd=" + "x" * 60


def a_learners_week():
    """Carmen has a class about to start (with a long meeting link), one later in the week, and
    one that was cancelled."""
    host = UserFactory(username="hugo", first_name="Hugo", last_name="Host")
    carmen = UserFactory(username="carmen", first_name="Carmen", last_name="Ruiz")
    now = datetime.now(ZoneInfo(LEARNER_ZONE))
    soon = VirtualClassFactory(
        booked_by=host, title="Market Spanish", meeting_url=LONG_LINK, participants=[carmen]
    )
    VirtualClass.objects.filter(pk=soon.pk).update(
        starts_at=now + timedelta(minutes=10), ends_at=now + timedelta(minutes=70)
    )
    VirtualClassFactory(
        booked_by=host,
        title="Idioms at work",
        starts_at=now + timedelta(days=3),
        meeting_url="https://meet.example.com/idioms",
        participants=[carmen],
    )
    VirtualClassFactory(
        booked_by=host,
        title="Called-off chat about travel in the Andes",
        status=VirtualClass.Status.CANCELLED,
        participants=[carmen],
    )


def test_a_learner_joins_the_call_and_confirms_leaving_a_class(open_page, transactional_db):
    outside_the_browser_loop(a_learners_week)
    carmen = open_page()
    carmen.goto("/")
    log_in(carmen, "carmen", greeted_as="Carmen Ruiz")

    # Home: the next class, its call open (it starts in ten minutes).
    carmen.goto("/")
    next_class = carmen.get_by_role("region", name="Your next class")
    expect(next_class).to_contain_text("Market Spanish")
    call = next_class.get_by_role("link", name="Join the call now")
    expect(call).to_have_attribute("href", LONG_LINK)
    shot(carmen, "20-home-next-class")
    carmen.set_viewport_size(PHONE)
    assert page_width(carmen) <= PHONE["width"]
    shot(carmen, "21-home-next-class-phone")

    # The class page at phone width: the call is offered and the long link wraps.
    next_class.get_by_role("link", name="Market Spanish").click()
    expect(carmen.get_by_role("link", name="Join the call now")).to_be_visible()
    assert page_width(carmen) <= PHONE["width"]
    shot(carmen, "22-class-call-open-phone")

    # A class later in the week: no link yet, only when it appears.
    carmen.set_viewport_size(DESKTOP)
    carmen.get_by_role("link", name="My activities").click()
    carmen.get_by_role("link", name="Idioms at work").click()
    expect(carmen.locator("main")).to_contain_text("The meeting link appears here 15 minutes")
    expect(carmen.get_by_role("link", name="Join the call now")).to_have_count(0)
    expect(carmen.locator('a[href="https://meet.example.com/idioms"]')).to_have_count(0)
    shot(carmen, "23-class-call-later")

    # Leaving asks first; keeping the place changes nothing.
    carmen.get_by_role("link", name="Leave this class").click()
    expect(carmen.get_by_role("heading", level=1)).to_have_text("Leave “Idioms at work”?")
    shot(carmen, "24-confirm-leave")
    carmen.get_by_role("link", name="Keep my place").click()
    expect(carmen.get_by_role("link", name="Leave this class")).to_be_visible()
    expect(carmen.locator("main")).to_contain_text("2/4 taken")
    carmen.get_by_role("link", name="Leave this class").click()
    carmen.get_by_role("button", name="Yes, leave this class").click()
    expect(carmen.get_by_role("status")).to_contain_text("You have left “Idioms at work”.")
    expect(carmen.locator("main")).to_contain_text("1/4 taken")

    # My activities on a phone: the cancelled class's badge stays a badge.
    carmen.set_viewport_size(PHONE)
    carmen.get_by_role("link", name="My activities").click()
    row = carmen.get_by_role("row").filter(has_text="Called-off chat about travel in the Andes")
    box = row.locator(".badge-cancelled").bounding_box()
    assert box["height"] < 30 and box["width"] < 110, box
    assert page_width(carmen) <= PHONE["width"]
    shot(carmen, "25-dashboard-cancelled-phone")

    # The keyboard focus ring is the accessible orange.
    carmen.keyboard.press("Tab")
    outline = carmen.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert outline == "rgb(194, 65, 12)"


def test_a_learner_waits_for_a_seat_and_gets_it_when_a_participant_leaves(
    open_page, transactional_db
):
    def full_class():
        host = UserFactory(username="hana")
        carl = UserFactory(username="carl")
        virtual_class = VirtualClassFactory(
            booked_by=host,
            title="Cooking vocabulary",
            max_participants=2,
            meeting_url="https://meet.example.com/cooking",
        )
        join_class(user=carl, virtual_class=virtual_class)
        return virtual_class.pk

    pk = outside_the_browser_loop(full_class)

    # Dora finds the class full and joins its waiting list.
    dora = open_page()
    sign_up(dora, "dora")
    dora.goto(f"/classes/{pk}/")
    expect(dora.locator("main")).to_contain_text("This class is full.")
    shot(dora, "13-full-class")
    dora.get_by_role("button", name="Join the waiting list").click()
    expect(dora.get_by_role("status")).to_contain_text("You are on the waiting list")
    expect(dora.locator("main")).to_contain_text("You are number 1 in line.")
    shot(dora, "14-waiting")
    dora.set_viewport_size(PHONE)
    shot(dora, "15-waiting-phone")
    dora.set_viewport_size(DESKTOP)

    # Carl leaves: the seat goes to Dora.
    carl = open_page()
    carl.goto("/login/")
    carl.get_by_label("Username").fill("carl")
    carl.get_by_label("Password").fill(PASSWORD)
    carl.get_by_role("button", name="Log in").click()
    carl.goto(f"/classes/{pk}/")
    carl.get_by_role("link", name="Leave this class").click()
    carl.get_by_role("button", name="Yes, leave this class").click()
    expect(carl.get_by_role("status")).to_contain_text("You have left")

    dora.reload()
    expect(dora.get_by_role("link", name="Leave this class")).to_be_visible()
    expect(dora.locator("main")).to_contain_text("2/2 taken")
    expect(dora.locator("main")).not_to_contain_text("in line")
    shot(dora, "16-promoted")
    dora.set_viewport_size(PHONE)
    shot(dora, "17-promoted-phone")


def test_a_host_waits_for_confirmation_and_changes_the_class(open_page, transactional_db, settings):
    settings.BOOKINGS_NEED_CONFIRMATION = True

    def pending_class():
        starts_at = datetime.now(ZoneInfo(LEARNER_ZONE)) + timedelta(days=3)
        virtual_class = VirtualClassFactory(
            booked_by=UserFactory(username="hugo"),
            title="Job interviews",
            status=VirtualClass.Status.PENDING,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
        )
        return virtual_class.pk

    pk = outside_the_browser_loop(pending_class)
    hugo = open_page()
    hugo.goto("/login/")
    hugo.get_by_label("Username").fill("hugo")
    hugo.get_by_label("Password").fill(PASSWORD)
    hugo.get_by_role("button", name="Log in").click()
    hugo.goto(f"/classes/{pk}/")
    expect(hugo.locator("main")).to_contain_text("Waiting for confirmation.")
    shot(hugo, "26-host-pending")
    hugo.get_by_role("link", name="Change this class").click()
    hugo.get_by_label("Title").fill("Job interviews, role play")
    hugo.get_by_label("Seats").fill("6")
    shot(hugo, "27-change-class")
    hugo.get_by_role("button", name="Save the changes").click()
    expect(hugo.get_by_role("status")).to_contain_text("“Job interviews, role play” is changed.")
    expect(hugo.locator("main")).to_contain_text("1/6 taken")
    hugo.set_viewport_size(PHONE)
    shot(hugo, "28-changed-phone")


def test_staff_use_the_admin_under_the_content_security_policy(open_page, transactional_db):
    def make_data():
        staff = UserFactory(username="staffer", is_staff=True, is_superuser=True)
        virtual_class = VirtualClassFactory(title="Admin under CSP", participants=[UserFactory()])
        return staff, virtual_class.pk, TaskFactory(title="Markdown task").pk

    staff, class_pk, task_pk = outside_the_browser_loop(make_data)
    page = open_page()
    page.goto("/admin/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Manage learners, classes, tasks and activities"))
    page.goto("/admin/classes/virtualclass/")
    expect(page.locator("#result_list")).to_contain_text("Admin under CSP")
    shot(page, "30-admin-class-list")
    # The change page uses the admin's scripts most: autocomplete, date pickers, inlines.
    page.goto(f"/admin/classes/virtualclass/{class_pk}/change/")
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results")).to_be_visible()
    page.keyboard.press("Escape")
    page.locator(".datetimeshortcuts a").first.click()
    shot(page, "31-admin-class-change")
    page.goto(f"/admin/tasks/task/{task_pk}/change/")
    shot(page, "32-admin-task-change")
    page.goto("/admin/learning_platform/user/add/")
    shot(page, "33-admin-user-add")


def test_a_learner_guessing_passwords_is_told_how_long_to_wait(open_page, transactional_db):
    outside_the_browser_loop(lambda: UserFactory(username="guessed"))
    page = open_page()
    page.goto("/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("guessed")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
    page.get_by_label("Username").fill("guessed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.locator("main")).to_contain_text(
        re.compile(r"Too many failed sign-in attempts\. Try again in \d+ (minutes?|seconds?)\.")
    )
    expect(page.get_by_role("link", name="Log in")).to_be_visible()  # still signed out
    shot(page, "34-login-throttled")
