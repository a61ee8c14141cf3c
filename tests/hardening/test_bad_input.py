"""Input no page can use is refused with a 400 or a form error, never a 500, and changes
nothing: NUL bytes anywhere, malformed ids in the admin, oversized text. (PostgreSQL is where a
NUL byte used to crash: the suite runs there too.)"""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classes.forms import BookClassForm
from classes.models import VirtualClass
from classes.services import ClassError, book_class
from learning_platform.ids import InvalidObjectId
from tasks.markdown import render_markdown
from tasks.models import Task
from tests.factories import StaffFactory, TaskFactory, VirtualClassFactory

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * 1_000_000
CLASSES = "/admin/classes/virtualclass/"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(username="staffer"))
    return client


def _book_data(**overrides):
    starts_at = timezone.localtime() + timedelta(days=3)
    return {
        "title": "Tapas vocabulary",
        "class_type": VirtualClass.Type.GRUPAL,
        "max_participants": 4,
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    } | overrides


# NUL bytes, anywhere in a request


@pytest.mark.parametrize(
    "url",
    [
        "/classes/?type=%00",
        "/classes/?%00=1",
        "/activities/?role=a%00",
        "/login/?next=/%00",
        "/admin/classes/virtualclass/?q=%00",
        "/admin/classes/virtualclass/?status=%00",
        "/admin/classes/virtualclass/%00/change/",
        "/admin/activities/useractivity/?class_status=%00",
        "/admin/autocomplete/?term=%00&app_label=classes&model_name=virtualclass"
        "&field_name=participants",
        "/no-such-page%00/",
    ],
)
def test_a_nul_byte_in_the_url_is_a_bad_request(staff_client, url):
    assert staff_client.get(url).status_code == 400


def test_a_nul_byte_in_a_cookie_is_a_bad_request(client):
    client.cookies["sessionid"] = "abc\x00def"

    assert client.get("/").status_code == 400


def test_a_nul_byte_in_a_booking_is_refused_and_nothing_is_booked(client, learner):
    client.force_login(learner)

    response = client.post(reverse("classes:book"), _book_data(title="Tapas\x00"))

    assert response.status_code == 400
    assert not VirtualClass.objects.exists()


def test_a_nul_byte_in_a_sign_in_is_refused(client):
    response = client.post("/login/", {"username": "a\x00", "password": "x"})

    assert response.status_code == 400


def test_a_nul_byte_in_a_json_body_is_refused(client):
    response = client.post("/", json.dumps({"title": "a\x00"}), content_type="application/json")

    assert response.status_code == 400


def test_a_nul_byte_sent_to_the_api_is_refused_in_json(client):
    response = client.post("/api/v1/token/", b"\x00", content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "not accepted" in response.json()["detail"]


@pytest.mark.parametrize(
    "field", ["title", "booked_by", "participants", "task", "status", "starts_at_0"]
)
def test_a_nul_byte_in_an_admin_add_form_is_refused(staff_client, field):
    response = staff_client.post(f"{CLASSES}add/", {field: "a\x00b"})

    assert response.status_code == 400
    assert not VirtualClass.objects.exists()


def test_a_nul_byte_in_an_admin_action_selection_is_refused(staff_client, virtual_class):
    data = {"action": "cancel_classes", "_selected_action": [virtual_class.pk, "a\x00"]}

    response = staff_client.post(CLASSES, data)

    assert response.status_code == 400
    virtual_class.refresh_from_db()
    assert virtual_class.status == VirtualClass.Status.SCHEDULED


# Malformed ids in the admin


@pytest.mark.parametrize("bad_id", ["nope", "A" * 24, "a" * 25, "g" * 24, "'; --"])
@pytest.mark.parametrize(
    "page",
    ["classes/virtualclass/{}/change", "classes/virtualclass/{}/history", "tasks/task/{}/delete"],
)
def test_a_malformed_object_id_is_treated_as_unknown(staff_client, bad_id, page):
    response = staff_client.get(f"/admin/{page.format(bad_id)}/", follow=True)

    assert response.status_code == 200
    assert "doesn\u2019t exist" in response.text


@pytest.mark.parametrize(
    "query",
    ["booked_by__id__exact=nope", "task__id__exact=1", "participants=zz"],
)
def test_a_malformed_id_in_a_list_filter_is_reported_not_a_crash(staff_client, query):
    response = staff_client.get(f"{CLASSES}?{query}")

    # Django's answer to a bad filter: back to the list with ?e=1.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_a_list_filter_of_malformed_ids_matches_nothing(staff_client, virtual_class):
    response = staff_client.get(f"{CLASSES}?id__in=zz,{virtual_class.pk.upper()}")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_malformed_ids_in_an_action_selection_are_skipped(staff_client, virtual_class):
    data = {"action": "cancel_classes", "_selected_action": [virtual_class.pk, "nope"]}

    response = staff_client.post(CLASSES, data)

    assert response.status_code == 302
    virtual_class.refresh_from_db()
    assert virtual_class.status == VirtualClass.Status.CANCELLED


# (A new class gets its task only through assign_task: the add page has no task field.)
@pytest.mark.parametrize("field", ["booked_by", "participants"])
def test_a_malformed_id_in_an_admin_form_field_is_a_form_error(staff_client, field):
    response = staff_client.post(f"{CLASSES}add/", {field: "nope"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert not VirtualClass.objects.exists()


def test_the_admin_autocomplete_answers_an_odd_term(staff_client):
    response = staff_client.get(
        "/admin/autocomplete/",
        {
            "term": "'\"<>",
            "app_label": "classes",
            "model_name": "virtualclass",
            "field_name": "booked_by",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_lookup_with_a_malformed_id_is_refused_before_the_database():
    with pytest.raises(InvalidObjectId):
        VirtualClass.objects.filter(pk="a\x00b")
    with pytest.raises(InvalidObjectId):
        Task.objects.filter(virtual_classes__booked_by="nope")


def test_a_list_of_ids_with_malformed_entries_matches_only_the_good_ones(virtual_class):
    assert list(VirtualClass.objects.filter(pk__in=["nope", virtual_class.pk])) == [virtual_class]
    assert not VirtualClass.objects.filter(pk__in=["nope", "a\x00"]).exists()


# Oversized text


def test_a_megabyte_class_description_is_refused_by_the_form():
    form = BookClassForm(_book_data(description=MEGABYTE))

    assert not form.is_valid()
    assert "at most 2000 characters" in form.errors["description"][0]


def test_a_megabyte_class_description_is_refused_by_the_booking_rule(host):
    starts_at = timezone.now() + timedelta(days=3)
    with pytest.raises(ClassError) as refusal:
        book_class(
            host=host,
            title="Long",
            class_type=VirtualClass.Type.INDIVIDUAL,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            description=MEGABYTE,
        )

    assert "description" in refusal.value.message_dict
    assert not VirtualClass.objects.exists()


def test_a_megabyte_booking_page_post_is_a_form_error(client, learner):
    client.force_login(learner)

    response = client.post(reverse("classes:book"), _book_data(description=MEGABYTE))

    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert not VirtualClass.objects.exists()


def test_an_oversized_task_is_refused_in_the_admin(staff_client):
    data = {
        "title": "Long",
        "content": "y" * (Task.MARKDOWN_MAX_LENGTH + 1),
        "solved_content": "z",
        "type": Task.Type.READING,
        "difficulty": Task.Difficulty.EASY,
    }

    response = staff_client.post("/admin/tasks/task/add/", data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["content"]
    assert not Task.objects.exists()


@pytest.mark.parametrize("door", ["/login/", "/admin/login/"])
def test_a_megabyte_password_is_refused_without_hashing_it(client, door):
    response = client.post(door, {"username": "someone", "password": MEGABYTE})

    assert response.status_code == 200
    assert response.context["form"].errors["password"]


def test_a_megabyte_sign_up_password_is_refused(client):
    response = client.post(
        reverse("signup"),
        {"username": "newbie", "password1": MEGABYTE, "password2": MEGABYTE},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]


# HEAD, for uptime monitors


@pytest.mark.parametrize("url", ["/", "/classes/", "/login/", "/signup/", "/admin/login/"])
def test_head_is_answered_where_get_is(client, url):
    response = client.head(url)

    assert response.status_code == 200
    assert response.content == b""


def test_head_is_answered_on_pages_for_signed_in_learners(client, learner, virtual_class):
    client.force_login(learner)

    for url in [f"/classes/{virtual_class.pk}/", "/classes/book/", "/activities/"]:
        assert client.head(url).status_code == 200, url


# Content-Security-Policy, and images only from the site


@pytest.mark.parametrize("url", ["/", "/classes/", "/admin/login/"])
def test_every_page_carries_the_content_security_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "img-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    "source",
    [
        "![x](https://tracker.example/pixel.png)",
        "![x](//tracker.example/pixel.png)",
        '<img src="http://tracker.example/p.png">',
        "![x](data:image/png;base64,AAAA)",
    ],
)
def test_task_images_from_elsewhere_lose_their_address(source):
    html = render_markdown(source)

    assert "tracker.example" not in html
    assert "data:" not in html


def test_task_images_from_the_site_are_kept():
    assert '<img src="/static/favicon.svg" alt="logo"' in render_markdown(
        "![logo](/static/favicon.svg)"
    )


def test_task_links_elsewhere_are_still_links():
    assert 'href="https://example.com/"' in render_markdown("[more](https://example.com/)")


def test_a_class_page_escapes_its_texts(client):
    virtual_class = VirtualClassFactory(title="<script>alert(1)</script>")

    response = client.get(f"/classes/{virtual_class.pk}/")

    assert "<script>alert(1)</script>" not in response.text


def test_a_task_survives_an_admin_round_trip_with_odd_characters(staff_client):
    task = TaskFactory(content="Ñandú ✓ \U0001d518\U0001d52b \u200b")

    assert staff_client.get(f"/admin/tasks/task/{task.pk}/change/").status_code == 200


@pytest.mark.parametrize("field", ["title", "description", "learning_focus"])
def test_a_nul_byte_given_to_the_booking_rule_is_refused(host, field):
    starts_at = timezone.now() + timedelta(days=3)
    arguments = {"title": "Tapas", field: "a\x00b"}
    with pytest.raises(ClassError) as refusal:
        book_class(
            host=host,
            class_type=VirtualClass.Type.INDIVIDUAL,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            **arguments,
        )

    assert "Null characters are not allowed." in refusal.value.message_dict[field]
    assert not VirtualClass.objects.exists()


def test_a_malformed_id_reaching_a_lookup_in_a_view_is_a_bad_request(rf):
    from learning_platform.middleware import RefuseBadInput

    def view(request):
        return VirtualClass.objects.get(pk=request.GET["id"])

    middleware = RefuseBadInput(view)
    request = rf.get("/", {"id": "nope"})
    with pytest.raises(InvalidObjectId) as raised:
        middleware(request)  # Django's handler passes the view's exception to process_exception

    assert middleware.process_exception(request, raised.value).status_code == 400
