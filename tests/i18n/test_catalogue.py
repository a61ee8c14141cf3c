"""The Spanish catalogue is complete, and the compiled file the site reads matches its text."""

import gettext
import re
from pathlib import Path

from tests.i18n.catalogue import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_every_spanish_message_is_translated_and_none_is_fuzzy():
    catalogue = read_po(CATALOGUE / "django.po")

    assert len(catalogue) > 50, "the Spanish catalogue lost its messages"
    assert [e.msgid for e in catalogue if not e.translated()] == []
    assert [e.msgid for e in catalogue if "fuzzy" in e.flags] == []


def test_a_translation_keeps_the_placeholders_of_its_message():
    mismatched = [
        e.msgid
        for e in read_po(CATALOGUE / "django.po")
        for text in e.msgstr.values()
        if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(text))
    ]

    assert mismatched == []


def test_the_compiled_catalogue_matches_the_text_one():
    """django.mo is committed so a fresh clone speaks Spanish without gettext; after editing
    django.po, run compilemessages (README, Translations)."""
    text = {}
    for e in read_po(CATALOGUE / "django.po"):
        if e.msgid_plural is None:
            text[e.key] = e.msgstr[0]
        else:
            text |= {(e.key, n): value for n, value in e.msgstr.items()}
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog

    assert {k: v for k, v in messages.items() if k != ""} == text


def test_the_reader_sees_flags_contexts_plurals_and_continued_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "nav"\nmsgid "Main"\nmsgstr ""\n"Princi"\n"pal"\n\n'
        'msgid "one seat"\nmsgid_plural "%(n)s seats"\nmsgstr[0] "un lugar"\nmsgstr[1] ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Ido"\n',
        encoding="utf-8",
    )

    main, seats = read_po(po)

    assert (main.key, main.msgstr, main.flags) == (
        "nav\x04Main",
        {0: "Principal"},
        {"fuzzy", "python-format"},
    )
    assert (seats.msgid_plural, seats.translated()) == ("%(n)s seats", False)
