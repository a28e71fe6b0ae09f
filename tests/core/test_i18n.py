"""Every sentence goes through the catalogs; a member's language picks one."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR, Translator, available_languages
from bot.locale.extract import extract
from bot.messages import Plain, Strong
from tests.harness import Harness, text_of

PLACEHOLDER = re.compile(r"\{\w+\}")


@pytest.mark.parametrize("language", [lang for lang in available_languages() if lang != "en"])
def test_every_catalog_translates_every_sentence_the_code_uses(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "coalition.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing = []
    for message in extract():
        if not message.id:
            continue
        translated = catalog.get(message.id)
        said = None if translated is None else translated.string
        strings = [said] if isinstance(said, str) else list(said or [""])
        if translated is None or not all(strings) or translated.fuzzy:
            missing.append(message.id)
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        for string in strings:
            assert (
                sorted(PLACEHOLDER.findall(string)) == sorted(set(PLACEHOLDER.findall(source)))
                or len(strings) > 1
            )
    assert missing == [], f"run `make messages` and translate these in {language}: {missing}"


def test_placeholders_stay_separate_spans_for_escaping() -> None:
    spans = Translator("en")("Welcome, {name}!", name=Strong("<!channel>"))
    assert spans == (Plain("Welcome, "), Strong("<!channel>"), Plain("!"))


def test_unknown_language_falls_back_to_english() -> None:
    assert Translator("xx").language == "en"


async def test_a_spanish_member_gets_spanish_replies(harness: Harness) -> None:
    await harness.join("ana", "Ana", language="es")
    help_text = text_of(await harness.say("ana", "help"))
    assert help_text.startswith("Lo que puedo hacer en Our Coalition")
    assert "Show what I can do" not in help_text and "Mostrar lo que puedo hacer" in help_text
    unknown = text_of(await harness.say("ana", "jion"))
    assert "/coalition join" in unknown and "know the command" not in unknown


def test_spanish_help_names_the_spanish_yes() -> None:
    """A help that starts "yes: ..." says "sí: ..." in Spanish, the word Spanish readers
    type in a form (the yes/no options take both); "yes:" in a Spanish sentence read as
    left untranslated."""
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / "coalition.po").open("rb") as handle:
        catalog = read_po(handle, locale="es")
    left = [
        m.id
        for m in catalog
        if isinstance(m.id, str) and m.id.startswith("yes") and str(m.string).startswith("yes")
    ]
    assert left == []
