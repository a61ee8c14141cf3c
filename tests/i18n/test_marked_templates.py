"""Every word a learner reads in a finished template goes through the translation machinery.

A template joins DONE_TEMPLATES once its strings are marked ({% translate %} or
{% blocktranslate %}) and translated in locale/es/; from then on, a new unmarked word fails here.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

DONE_TEMPLATES = [
    "403.html",
    "404.html",
    "500.html",
    "accounts/profile.html",
    "activities/dashboard.html",
    "api/token.html",
    "base.html",
    "classes/book.html",
    "classes/confirm.html",
    "classes/detail.html",
    "classes/edit.html",
    "classes/list.html",
    "home.html",
    "includes/call.html",
    "includes/class_card.html",
    "includes/form_fields.html",
    "includes/keyset_pagination.html",
    "notifications/_when.html",
    "notifications/_when.txt",
    "notifications/base.html",
    "notifications/base.txt",
    "notifications/booking_confirmed.html",
    "notifications/booking_confirmed.txt",
    "notifications/booking_declined.html",
    "notifications/booking_declined.txt",
    "notifications/booking_made.html",
    "notifications/booking_made.txt",
    "notifications/class_cancelled.html",
    "notifications/class_cancelled.txt",
    "notifications/class_moved.html",
    "notifications/class_moved.txt",
    "notifications/joined.html",
    "notifications/joined.txt",
    "notifications/promoted.html",
    "notifications/promoted.txt",
    "notifications/reminder.html",
    "notifications/reminder.txt",
    "notifications/task_attached.html",
    "notifications/task_attached.txt",
    "notifications/waitlist_joined.html",
    "notifications/waitlist_joined.txt",
    "notifications/waitlist_left.html",
    "notifications/waitlist_left.txt",
    "registration/login.html",
    "registration/logout_confirm.html",
    "registration/password_change_done.html",
    "registration/password_change_form.html",
    "registration/password_reset_complete.html",
    "registration/password_reset_confirm.html",
    "registration/password_reset_done.html",
    "registration/password_reset_email.html",
    "registration/password_reset_form.html",
    "registration/password_reset_subject.txt",
    "registration/signup.html",
    "tasks/detail.html",
]

# Words that are the same in every language: the school's name and its logo.
NOT_TRANSLATED = {"Hablamos", "H"}
# Attributes a person reads or hears (screen readers, the table labels on phones) as well as
# the text between tags.
READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder", "data-label"}
TAG = "\x00"  # where a template tag or variable was: never a word
WORD = re.compile(r"[^\W\d_]+")


def unmarked_words(source: str) -> list[str]:
    """The words of the template's text and read attributes that are outside translation tags."""
    text, inside_translation, inside_comment = [], False, False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split(maxsplit=1)[0]
            if name in ("blocktranslate", "blocktrans", "endblocktranslate", "endblocktrans"):
                inside_translation = not name.startswith("end")
            elif name in ("comment", "endcomment"):
                inside_comment = name == "comment"
            text.append(TAG)
        elif token.token_type == TokenType.TEXT and not (inside_translation or inside_comment):
            text.append(token.contents)
        else:
            text.append(TAG)
    reader = _Reader()
    reader.feed("".join(text))
    reader.close()
    return [w for chunk in reader.read for w in WORD.findall(chunk) if w not in NOT_TRANSLATED]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.read: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")
        self.read += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.read.append(data)


@pytest.mark.parametrize("name", DONE_TEMPLATES)
def test_a_finished_template_has_no_unmarked_word(name):
    assert unmarked_words((TEMPLATES / name).read_text()) == []


def test_the_checker_finds_text_and_read_attributes_outside_translation_tags():
    source = (
        '{% load i18n %}<nav aria-label="Main"><a href="{% url "home" %}">Home</a></nav>'
        "<p>{% translate 'Marked' %} {% blocktranslate %}Also {{ x }}{% endblocktranslate %}"
        " Left {{ name }}</p>{% comment %}Notes{% endcomment %}<script>var hidden;</script>"
    )

    assert unmarked_words(source) == ["Main", "Home", "Left"]


def test_the_checker_lets_the_schools_name_through():
    assert unmarked_words('<a class="brand" href="/">¡H! Hablamos</a>') == []
