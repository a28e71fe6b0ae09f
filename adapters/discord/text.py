"""Neutral spans as Discord markdown, with every piece of user text escaped.

Escaping is belt and braces: every message also goes out with allowed mentions
limited to the members the core asked to notify, so even unescaped text could
not ping @everyone or a role. Escaping makes the text *look* like what was
typed, too: "@everyone" shows as a word, not as a highlighted mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from discord.utils import escape_markdown, escape_mentions

from adapters.discord.limits import ELLIPSIS
from adapters.discord.names import retyped, typed
from bot.messages import Code, Link, Mention, Moment, Plain, Span, Strong, Usage

PLATFORM = "discord"

# "<#channel>", "<:emoji:id>", "<t:…>", "</command:id>" would render as objects;
# a backslash before "<" shows them as typed.
_ANGLE = re.compile(r"<(?=[@#:/]|a:|t:)")
# Every character any of the escapes below acts on; text without them is left as is.
_SPECIAL = re.compile(r"[\\*_`~|>#\-\[<@]")
_MOMENT_STYLE = {"datetime": "F", "date": "D", "time": "t", "relative": "R"}
_SAFE_URL = re.compile(r"^https?://[^\s<>()]+$")
# Markdown that must not be cut in half: bold markers and code ticks not escaped.
_BOLD = re.compile(r"(?<!\\)\*\*")
_TICK = re.compile(r"(?<!\\)`")


def escape(text: str) -> str:
    """User text as Discord shows it literally: no markdown, no mentions, no pings."""
    if not _SPECIAL.search(text):
        return text  # most names and sentences: nothing to escape
    text = text.replace("\\", "\\\\")
    text = escape_markdown(text)
    text = _ANGLE.sub(r"\\<", text)
    return escape_mentions(text)


def markdown(spans: Sequence[Span], mentioned: list[int]) -> str:
    """Render spans; the ids of members it may notify are appended to `mentioned`."""
    if len(spans) == 1:
        return _span(spans[0], mentioned)  # most field values: no join to make
    return "".join([_span(span, mentioned) for span in spans])


def _span(span: Span, mentioned: list[int]) -> str:
    match span:
        case Plain(text=text):
            return escape(text)
        case Strong(text=text):
            core = text.strip()
            if not core:
                return escape(text)
            # "** x**" is not bold in Discord: spaces go outside the markers.
            before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            return f"{before}**{escape(core)}**{after}"
        case Code(text=text):
            # Where the core names a command it has no Usage for ("/coalition meeting list").
            return _code(retyped(text))
        case Link(url=url, label=label):
            if not _SAFE_URL.match(url):
                return escape(label if label == url else f"{label} ({url})")
            return f"<{url}>" if label == url else f"[{escape(label)}](<{url}>)"
        case Moment(at=at, style=style):
            stamp = int(at.timestamp())
            if style == "datetime":
                # The full date in the reader's zone, and how far away it is.
                return f"<t:{stamp}:F> (<t:{stamp}:R>)"
            return f"<t:{stamp}:{_MOMENT_STYLE[style]}>"
        case Usage():
            return _code(usage(span))
        case Mention(name=name, identities=identities):
            for identity in identities:
                if identity.platform == PLATFORM and identity.user_id.isdigit():
                    mentioned.append(int(identity.user_id))
                    return f"<@{identity.user_id}>"
            return escape(f"@{name}")
    raise AssertionError(f"unknown span {span!r}")  # pragma: no cover - Span is closed


def usage(example: Usage) -> str:
    """A command as typed in Discord's slash command box: options as "name: value"."""
    words = [typed(example.command)] if example.command else []
    words.extend(f"{given.name}: {given.value}" for given in example.options)
    return " ".join(words)


def _code(text: str) -> str:
    # Inside code Discord shows text as is, but still parses pings: escape those.
    if "@" in text:
        text = escape_mentions(text)
    text = text.replace("\n", " ")
    if "`" not in text:
        return f"`{text}`"
    # Double ticks hold single ones; a zero-width space keeps doubled ones from closing.
    inner = text.replace("``", "`\u200b`")
    return f"`` {inner} ``"


def plain(text: str, limit: int) -> str:
    """One line of plain text (a title, a label) cut to `limit` with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def shorten(text: str, limit: int, marker: str) -> str:
    """Markdown cut to at most `limit` characters, ending with `marker` when cut."""
    if len(text) <= limit:
        return text
    room = limit - len(marker) - 1
    return text[: _cut(text, room)].rstrip() + "\n" + marker


def split(text: str, limit: int) -> list[str]:
    """Markdown in pieces of at most `limit`, broken between paragraphs, lines or words."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = _cut(text, limit)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text or not pieces:
        pieces.append(text)
    return [p for p in pieces if p] or [""]


def _cut(text: str, limit: int) -> int:
    """Where to cut so that the first piece fits and no bold or code is left open."""
    for separator in ("\n\n", "\n", " "):
        position = text.rfind(separator, 0, limit)
        # Not so early that the piece is mostly empty.
        while position > limit // 3:
            if _closed(text[:position]):
                return position + len(separator)
            position = text.rfind(separator, 0, position)
    # A word longer than the limit: cut inside it, but not just after an escape.
    for cut in range(limit, max(1, limit - 16), -1):
        if text[cut - 1] != "\\" and _closed(text[:cut]):
            return cut
    return limit


def _closed(prefix: str) -> bool:
    return len(_BOLD.findall(prefix)) % 2 == 0 and len(_TICK.findall(prefix)) % 2 == 0
