"""Slack's control characters, in both directions.

Slack parses "&", "<" and ">" as markup in message text ("<!channel>" pings a
whole channel, "<@U123>" a person), so every piece of text that may have come
from a person goes out escaped. Slack itself stores plain_text objects in the
same escaped form (it hands them back that way in interaction payloads), so the
one rule applies to every text the adapter sends.
"""

from __future__ import annotations

import re

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# How many times longer escaping can make a text at most ("&" becomes "&amp;").
MAX_ESCAPE_GROWTH = max(len(e) for e in _ESCAPES.values())
_CONTROL = re.compile(r"[&<>]")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_UNESCAPES = {"amp": "&", "lt": "<", "gt": ">"}
# "<https://example.org|example.org>" or "<https://example.org>", as Slack sends links typed
# in a slash command; mentions ("<@U123|maria>") stay for the core's parser.
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>")


def escape(text: str) -> str:
    """Text that Slack shows as typed and never parses as a mention or link."""
    return _CONTROL.sub(lambda m: _ESCAPES[m.group(0)], text)


def fit(text: str, limit: int, marker: str = "…") -> str:
    """`text` escaped, shortened with `marker` so that it is at most `limit` characters."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    budget = limit - len(marker)
    out: list[str] = []
    used = 0
    for char in text:
        piece = _ESCAPES.get(char, char)
        if used + len(piece) > budget:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out).rstrip() + marker


def command_text(text: str) -> str:
    """A slash command's text as the person typed it.

    Slack sends "&", "<" and ">" as entities and wraps links in angle brackets;
    member mentions ("<@U123|maria>") are kept for the core, which knows them.
    """
    if "<" not in text and "&" not in text:
        return text  # most commands: nothing to undo
    unwrapped = _LINK.sub(lambda m: m.group(1), text)
    return _ENTITY.sub(lambda m: _UNESCAPES[m.group(1)], unwrapped)
