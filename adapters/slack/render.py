"""Neutral messages as Block Kit, each with a plain-text fallback.

Every text that may have come from a person is escaped here (see escape.py);
markup is only ever produced by this module, from the structure of the
message. Times become Slack date tokens, so each reader sees their own zone.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.slack.escape import MAX_ESCAPE_GROWTH, escape, fit
from adapters.slack.limits import (
    BLOCKS_PER_MESSAGE,
    BUTTON_TEXT,
    BUTTON_VALUE,
    BUTTONS_PER_ACTIONS,
    CONTEXT_ELEMENTS,
    CONTEXT_TEXT,
    ELLIPSIS,
    FIELD_TEXT,
    FIELDS_PER_SECTION,
    HEADER_TEXT,
    MESSAGE_TEXT,
    MESSAGES_PER_REPLY,
    SECTION_TEXT,
    escaped_pieces,
    groups,
    pack,
    shorten,
)
from bot.messages import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Code,
    Context,
    Field,
    Fields,
    Heading,
    Link,
    Mention,
    Message,
    Moment,
    Plain,
    Section,
    Span,
    Strong,
    Usage,
    plain_text,
    typed_usage,
)

log = logging.getLogger(__name__)

JsonDict = dict[str, Any]
PLATFORM = "slack"
ACTION_PREFIX = "coalition:"
ACTION_ID = re.compile(r"^coalition:([a-z][a-z0-9_.]*):\d+$")
_SAFE_URL = re.compile(r"^https?://[^\s<>|]+$", re.IGNORECASE)
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
# Slack's date tokens are translated by each reader's client; no English words between them.
_DATE_FORMATS = {
    "datetime": "{date_short_pretty} {time}",
    "date": "{date_short_pretty}",
    "time": "{time}",
    "relative": "{ago}",
}


@dataclass(frozen=True)
class SlackMessage:
    """One chat message as Slack takes it: the notification text and the blocks."""

    text: str
    blocks: list[JsonDict]


def render(message: Message, *, max_messages: int = MESSAGES_PER_REPLY) -> list[SlackMessage]:
    """The message as one or more Slack messages (more only past 50 blocks).

    Past `max_messages` the last one ends with a "… +N" line saying how many
    blocks were left out; a reply that replaces a message passes 1.
    """
    counter = itertools.count()
    rendered = [pair for block in message.blocks for pair in _block(block, counter)]
    if not rendered:
        return []
    if len(rendered) > max_messages * BLOCKS_PER_MESSAGE:
        kept = rendered[: max_messages * BLOCKS_PER_MESSAGE - 1]
        hidden = len(rendered) - len(kept)
        marker = f"{ELLIPSIS} +{hidden}"
        rendered = [*kept, (_context([escape(marker)]), marker)]
    pages = groups(rendered, BLOCKS_PER_MESSAGE)
    return [SlackMessage(_page_text(page), [b for b, _ in page]) for page in pages]


def render_one(message: Message) -> SlackMessage:
    """A single message (an update in place), shortened if it must be."""
    rendered = render(message, max_messages=1)
    return rendered[0] if rendered else SlackMessage(ELLIPSIS, [])


def _page_text(page: Sequence[tuple[JsonDict, str]]) -> str:
    text = "\n".join(line for _, line in page if line)
    return fit(text, MESSAGE_TEXT) or ELLIPSIS


# -- blocks -----------------------------------------------------------------------


def _block(block: Block, counter: Iterator[int]) -> list[tuple[JsonDict, str]]:
    """Slack blocks for one neutral block, each with its line of the fallback text."""
    match block:
        case Heading(text=heading):
            return [({"type": "header", "text": plain(fit(heading, HEADER_TEXT))}, heading)]
        case Section(text=spans):
            line = plain_text(spans)
            chunks = pack(mrkdwn_atoms(spans, SECTION_TEXT), SECTION_TEXT)
            return [
                ({"type": "section", "text": mrkdwn(chunk)}, line if i == 0 else "")
                for i, chunk in enumerate(chunks)
            ]
        case Context(text=spans):
            line = plain_text(spans)
            chunks = pack(mrkdwn_atoms(spans, CONTEXT_TEXT), CONTEXT_TEXT)
            return [
                (_context(group), line if i == 0 else "")
                for i, group in enumerate(groups(chunks, CONTEXT_ELEMENTS))
            ]
        case Fields(fields=fields):
            return [
                (
                    {"type": "section", "fields": [mrkdwn(_field(f)) for f in group]},
                    "\n".join(f"{f.label}: {plain_text(f.value)}" for f in group),
                )
                for group in groups(fields, FIELDS_PER_SECTION)
            ]
        case Actions(buttons=buttons):
            return [
                (
                    {"type": "actions", "elements": [_button(b, next(counter)) for b in group]},
                    " | ".join(b.label for b in group),
                )
                for group in groups(buttons, BUTTONS_PER_ACTIONS)
            ]


def _context(texts: Sequence[str]) -> JsonDict:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts]}


def _field(field: Field) -> str:
    spans: tuple[Span, ...] = (Strong(field.label), Plain("\n"), *field.value)
    return shorten(mrkdwn_atoms(spans, FIELD_TEXT - 1), FIELD_TEXT)


def _button(button: Button, index: int) -> JsonDict:
    element: JsonDict = {
        "type": "button",
        "text": plain(fit(button.label, BUTTON_TEXT)),
        # The action's name is at most 40 characters (the catalogue checks), so this
        # stays far below Slack's 255; the index keeps ids unique within the message.
        "action_id": f"{ACTION_PREFIX}{button.action}:{index}",
    }
    # Slack refuses an empty value; a click without one reads as the empty target.
    if value := button_value(button.target):
        element["value"] = value
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = button.style.value
    return element


def plain(text: str) -> JsonDict:
    """A plain_text object; `text` is already escaped and within its limit."""
    return {"type": "plain_text", "text": text or ELLIPSIS, "emoji": True}


def mrkdwn(text: str) -> JsonDict:
    return {"type": "mrkdwn", "text": text or ELLIPSIS}


# -- spans --------------------------------------------------------------------------


def mrkdwn_atoms(spans: Sequence[Span], limit: int) -> list[str]:
    """The spans as mrkdwn, in pieces of at most `limit` that never cut markup apart."""
    # Cutting between words only matters past the limit: short text (most of it) is
    # escaped whole, which comes to the same characters in far fewer steps.
    pieces = _whole if _fits_whole(spans, limit) else escaped_pieces
    atoms: list[str] = []
    for span in spans:
        match span:
            case Plain(text=value):
                atoms.extend(pieces(value, limit))
            case Strong(text=value):
                atoms.extend(_wrapped(value, "*", limit, pieces))
            case Code(text=value):
                atoms.extend(_wrapped(value.replace("`", "'"), "`", limit, pieces))
            case Usage():  # Slack commands are typed text: region=West
                atoms.extend(_wrapped(typed_usage(span).replace("`", "'"), "`", limit, pieces))
            case Link(url=url, label=label):
                atoms.extend(_link(url, label, limit))
            case Mention():
                ping = _ping(span)
                # Anyone who cannot be pinged is named as text: escaped, cut like text.
                atoms.extend([ping] if ping else escaped_pieces("@" + span.name, limit))
            case Moment(at=at, fallback=fallback, style=style):
                shown = fit(fallback, 200).replace("|", "/")
                atoms.append(f"<!date^{int(at.timestamp())}^{_DATE_FORMATS[style]}|{shown}>")
    return atoms


def _fits_whole(spans: Sequence[Span], limit: int) -> bool:
    """True if the spans are only text and could not pass `limit` even fully escaped."""
    total = 0
    for span in spans:
        if not isinstance(span, Plain | Strong | Code):
            return False
        total += len(span.text) * MAX_ESCAPE_GROWTH + 2  # and a pair of marks
    return total <= limit


def _whole(text: str, _limit: int) -> list[str]:
    return [escape(text)] if text else []


def _wrapped(
    value: str, mark: str, limit: int, pieces: Callable[[str, int], list[str]] = escaped_pieces
) -> list[str]:
    # Slack only formats "*bold*" when the marks touch the words, so spaces go outside.
    core = value.strip()
    if not core:
        return pieces(value, limit)
    lead = value[: len(value) - len(value.lstrip())]
    trail = value[len(value.rstrip()) :]
    atoms = pieces(lead, limit)
    for chunk in pack(pieces(core, limit - 2 * len(mark)), limit - 2 * len(mark)):
        body = chunk.rstrip()
        atoms.append(f"{mark}{body}{mark}{chunk[len(body) :]}")
    return atoms + pieces(trail, limit)


def _link(url: str, label: str, limit: int) -> list[str]:
    # Only web links become links: "javascript:" or a malformed URL is shown as text.
    if _SAFE_URL.match(url):
        target = escape(url)
        atom = f"<{target}>" if not label or label == url else f"<{target}|{fit(label, 300)}>"
        if len(atom) <= limit:
            return [atom]
    shown = label if not label or label == url else f"{label} ({url})"
    return escaped_pieces(shown or url, limit)


def _ping(mention: Mention) -> str:
    """The mention that pings the person's Slack account; "" if they have none."""
    for identity in mention.identities:
        if identity.platform == PLATFORM and _USER_ID.match(identity.user_id):
            return f"<@{identity.user_id}>"
    return ""


# -- button values ------------------------------------------------------------------


def button_value(target: str) -> str:
    """The target as a button's value. The core's targets are short ids; one past
    Slack's limit would have the whole message refused, so its button goes without
    (a click on it then says it no longer works)."""
    if len(target) <= BUTTON_VALUE:
        return target
    log.warning("a button target of %d characters left out: Slack takes 2000", len(target))
    return ""


def clicked_action(action_id: str) -> str | None:
    """The core's action name from a button's action_id, or None if it is not ours."""
    match = ACTION_ID.match(action_id)
    return match.group(1) if match else None
