"""Slack's size limits, and the splitting and shortening that keep every payload within them.

Slack rejects a whole message or view when one part is over a limit, so the
renderer cuts long content itself: sections are split, titles shortened with
"…", and very long messages continue in further messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from adapters.slack.escape import escape

# Block Kit (https://docs.slack.dev/reference/block-kit)
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS_PER_SECTION = 10
HEADER_TEXT = 150
CONTEXT_TEXT = 3000
CONTEXT_ELEMENTS = 10
BUTTONS_PER_ACTIONS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ACTION_ID = 255
BLOCKS_PER_MESSAGE = 50
# The notification text: Slack cuts at 40,000; a notification needs far less.
MESSAGE_TEXT = 3000
# Modals
MODAL_TITLE = 24
MODAL_BLOCKS = 100
INPUT_LABEL = 2000
INPUT_HINT = 2000
INPUT_PLACEHOLDER = 150
TEXT_INPUT_MAX = 3000
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTIONS_PER_SELECT = 100
OPTION_GROUPS = 100
PRIVATE_METADATA = 3000
ERROR_TEXT = 2000
# A response_url takes five messages; a reply never needs more.
MESSAGES_PER_REPLY = 5

ELLIPSIS = "…"
T = TypeVar("T")
_WORDS = re.compile(r"\S+\s*|\s+")


def pack(atoms: Iterable[str], limit: int) -> list[str]:
    """Join pieces (each at most `limit` long) into as few chunks of at most `limit` as fit."""
    chunks: list[str] = []
    current = ""
    for atom in atoms:
        if len(current) + len(atom) > limit and current:
            chunks.append(current)
            current = ""
        current += atom
    if current:
        chunks.append(current)
    return chunks


def escaped_pieces(text: str, limit: int) -> list[str]:
    """`text` escaped, in pieces of at most `limit`, cut between words where possible."""
    pieces: list[str] = []
    for word in _WORDS.findall(text):
        escaped = escape(word)
        if len(escaped) <= limit:
            pieces.append(escaped)
            continue
        # A "word" longer than a whole piece (a pasted URL, a run of symbols):
        # cut it between characters, never inside an "&amp;".
        current = ""
        for char in word:
            escaped_char = escape(char)
            if len(current) + len(escaped_char) > limit:
                pieces.append(current)
                current = ""
            current += escaped_char
        if current:
            pieces.append(current)
    return pieces


def shorten(atoms: Sequence[str], limit: int) -> str:
    """The atoms joined, or as many as fit with "…" after them; at most `limit` long.

    Each atom must be shorter than `limit`, so no markup or entity is ever cut.
    """
    whole = "".join(atoms)
    if len(whole) <= limit:
        return whole
    kept = pack(atoms, limit - len(ELLIPSIS))[0]
    return kept.rstrip() + ELLIPSIS


def groups(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
