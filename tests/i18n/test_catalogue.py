"""The Spanish catalogue is complete, and the compiled file the site reads matches its text."""

import re
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def entries():
    return [e for e in polib.pofile(str(CATALOGUE / "django.po")) if not e.obsolete]


def test_every_spanish_message_is_translated_and_none_is_fuzzy():
    catalogue = entries()

    assert catalogue, "the Spanish catalogue is empty"
    assert [e.msgid for e in catalogue if not e.translated()] == []
    assert [e.msgid for e in catalogue if "fuzzy" in e.flags] == []


def test_a_translation_keeps_the_placeholders_of_its_message():
    mismatched = [
        e.msgid
        for e in entries()
        if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr))
    ]

    assert mismatched == []


def test_the_compiled_catalogue_matches_the_text_one():
    """django.mo is committed so a fresh clone speaks Spanish without gettext; after editing
    django.po, run compilemessages (README, Languages)."""

    def messages(catalogue):
        return {(e.msgctxt, e.msgid): e.msgstr for e in catalogue if e.msgid}

    compiled = messages(polib.mofile(str(CATALOGUE / "django.mo")))

    assert compiled == messages(entries())
