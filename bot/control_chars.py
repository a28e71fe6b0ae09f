"""Control characters out of every text value, the same on every platform and database.

A NUL byte is refused by PostgreSQL and kept by SQLite; other C0 and C1 controls
(and lone surrogates, which no encoding can write) are invisible in every
client. None of them is anything a person meant to say, so they are taken out
of every option value in `coerce`, before any use case sees it. Line breaks and
tabs are kept where the option takes paragraphs; elsewhere they become spaces,
so the words on either side stay apart.
"""

from __future__ import annotations

import re
from typing import Any

from bot.catalogue import Option, OptionKind

_UNWANTED = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_KEPT_IN_PARAGRAPHS = frozenset("\n\t")
_LINE_BREAKS = re.compile(r"\r\n?")


def clean(option: Option, value: Any) -> Any:
    """`value` (text, or a list of texts) without control characters."""
    if isinstance(value, str):
        return clean_text(value, paragraphs=option.kind is OptionKind.LONG_TEXT)
    if isinstance(value, list | tuple):
        return [clean_text(v, paragraphs=False) if isinstance(v, str) else v for v in value]
    return value


def clean_text(text: str, *, paragraphs: bool = False) -> str:
    if text.isprintable():  # nearly every value: nothing to look at
        return text
    if paragraphs:
        text = _LINE_BREAKS.sub("\n", text)
    return _UNWANTED.sub(lambda m: _replacement(m.group(), paragraphs), text)


def _replacement(char: str, paragraphs: bool) -> str:
    if paragraphs and char in _KEPT_IN_PARAGRAPHS:
        return char
    return " " if char.isspace() else ""
