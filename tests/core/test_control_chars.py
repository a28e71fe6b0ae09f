"""Control characters are taken out of every text option of every command, in `coerce`."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.arguments import coerce
from bot.catalogue import Command, Option, OptionKind
from bot.config import Config
from bot.control_chars import clean_text
from bot.errors import UserError
from bot.identity import Identity
from bot.registry import build_catalogue

CATALOGUE = build_catalogue()
CONTROLS = "".join(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))) + "\ud800"
IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
IN_PARAGRAPHS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
WORDY = {OptionKind.TEXT, OptionKind.LONG_TEXT, OptionKind.URL, OptionKind.TAGS}
ACTOR = Identity("console", "local", "ana")


def _texts(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


@pytest.mark.parametrize(
    ("command", "option"),
    [
        pytest.param(c, o, id=f"{c.name} {o.name}")
        for c in CATALOGUE.commands.values()
        for o in c.options
        if o.kind in WORDY
    ],
)
def test_every_text_option_loses_its_controls(command: Command, option: Option) -> None:
    value = f"ab{CONTROLS}cd" if option.kind is not OptionKind.URL else f"https://x.org/{CONTROLS}"
    try:
        found = coerce(
            command,
            {option.name: value},
            Config(),
            ACTOR,
            date(2026, 12, 3),
            CATALOGUE.option_types,
        )
    except UserError:
        return  # refused (a required option missing, too long): nothing stored either
    unwanted = IN_PARAGRAPHS if option.kind is OptionKind.LONG_TEXT else IN_A_LINE
    for text in _texts(found.get(option.name, "")):
        assert not unwanted.search(text), repr(text)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.booleans())
def test_cleaning_keeps_every_printable_character(text: str, paragraphs: bool) -> None:
    cleaned = clean_text(text, paragraphs=paragraphs)
    unwanted = IN_PARAGRAPHS if paragraphs else IN_A_LINE
    assert not unwanted.search(cleaned)
    # Whitespace controls may become spaces; nothing else printable is lost or added.
    kept = [c for c in cleaned if c.isprintable() and c != " "]
    assert kept == [c for c in text if c.isprintable() and c != " "]


def test_paragraphs_keep_line_breaks_and_tabs() -> None:
    assert clean_text("a\r\nb\rc\td\x00", paragraphs=True) == "a\nb\nc\td"
    assert clean_text("a\r\nb\tc\x00d", paragraphs=False) == "a  b cd"
