"""Neutral messages as Discord messages: content, embeds and buttons, within Discord's limits.

How blocks map:
- A message is cut after each Actions block into segments, because Discord shows
  buttons only under a whole message: each segment becomes its own message, so a
  list of join requests gives one post per request, each with its own buttons
  (and a click replaces just that post).
- A segment with no Heading and no Fields is plain chat text (content): short
  answers read like answers, not like cards.
- Otherwise it becomes embeds: a Heading starts an embed (its title); Sections and
  Contexts fill the description; Fields become embed fields; text after fields
  starts a further embed so that the order of blocks is kept.
- Context is a small "-# " line, not an embed footer: footers show neither
  markdown nor timestamps.
Anything too long is split into further messages, up to MESSAGES_PER_REPLY; past
that the last message ends with a "shortened" marker.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import discord

from adapters.discord import limits
from adapters.discord.buttons import action_button, encodable
from adapters.discord.names import retyped
from adapters.discord.text import escape, markdown, plain, shorten, split
from bot.i18n import N_, translator
from bot.messages import (
    Actions,
    Attachment,
    Block,
    Button,
    Context,
    Fields,
    Heading,
    Message,
    Section,
)

log = logging.getLogger(__name__)

SHORTENED = N_("…(shortened)")  # translated into the reader's language
COLOUR = discord.Colour(0x2F6F9F)  # one colour, so stacked embeds read as one card
# An inline field is for short values: Discord puts three of them on a row.
INLINE_UP_TO = 40


@dataclass
class Part:
    """One Discord message, ready to send, edit or post."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    attachments: tuple[Attachment, ...] = ()
    mentioned: tuple[int, ...] = ()
    # Adapter buttons (continue a form, change answers) after the core's ones.
    extra_items: list[discord.ui.Item[Any]] = field(default_factory=list)

    def view(self) -> discord.ui.View | None:
        if not self.buttons and not self.extra_items:
            return None  # most answers: a View is costly to make only to be dropped
        view = discord.ui.View(timeout=None)
        # Discord refuses a message whose custom_ids repeat; equal buttons do the same thing.
        unique: dict[tuple[str, str], Button] = {}
        for button in self.buttons:
            unique.setdefault((button.action, button.target), button)
        for index, button in enumerate(list(unique.values())[: limits.BUTTONS]):
            made = action_button(button, row=index // limits.BUTTONS_PER_ROW)
            if made is not None:
                view.add_item(made)
        for item in self.extra_items:
            view.add_item(item)
        # Clicks are handled by the registered DynamicItem classes (so they work after a
        # restart), not by this object. A stopped view is not kept by discord.py, which
        # would otherwise hold every ephemeral view with a 15-minute timer.
        view.stop()
        return view if view.children else None

    def allowed_mentions(self) -> discord.AllowedMentions:
        """Nobody may be pinged but the members the core mentioned: no everyone, no roles."""
        users = [discord.Object(i) for i in dict.fromkeys(self.mentioned)]
        return discord.AllowedMentions(
            everyone=False, roles=False, users=users or False, replied_user=False
        )

    def files(self) -> list[discord.File]:
        """Fresh File objects: discord.py consumes them on every send."""
        return [discord.File(io.BytesIO(a.content), filename=a.filename) for a in self.attachments]

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for send_message, followup.send and channel.send."""
        kwargs: dict[str, Any] = {
            "content": self.content,
            "embeds": self.embeds,
            "allowed_mentions": self.allowed_mentions(),
        }
        if (view := self.view()) is not None:
            kwargs["view"] = view
        if self.attachments:
            kwargs["files"] = self.files()
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """Keyword arguments that replace a message whole: text, embeds, buttons, files."""
        return {
            "content": self.content,
            "embeds": self.embeds,
            "view": self.view(),
            "attachments": self.files(),
            "allowed_mentions": self.allowed_mentions(),
        }

    def mark_shortened(self, marker: str) -> None:
        if self.embeds:
            _footer(self.embeds, marker)
        else:
            self.content = shorten((self.content or "") + "\n" + marker, limits.CONTENT, marker)


def render(
    message: Message, language: str, *, max_parts: int = limits.MESSAGES_PER_REPLY
) -> list[Part]:
    """The Discord messages for one neutral message, in order; at least one."""
    marker = _shortened(language)
    parts: list[Part] = []
    for blocks, segment_buttons in _segments(message.blocks):
        rendered = _segment(blocks, marker)
        # Left out here rather than when sent, so that a part is never only unsendable buttons.
        rendered[-1].buttons = [b for b in segment_buttons if encodable(b)]
        # Discord refuses a message of blank text alone (it trims it away first).
        parts.extend(p for p in rendered if p.embeds or p.buttons or (p.content or "").strip())
    if not parts:
        parts = [Part(content="\u200b")]  # Discord refuses an empty message
    parts[0].attachments = message.attachments
    if len(parts) > max_parts:
        kept = parts[:max_parts]
        buttons = [b for p in parts[max_parts - 1 :] for b in p.buttons]
        kept[-1].buttons = buttons[: limits.BUTTONS]
        kept[-1].mark_shortened(marker)
        parts = kept
    return parts


@cache
def _shortened(language: str) -> str:
    # Formatted once per language rather than for every answer, where it is rarely used.
    return translator(language).plain(SHORTENED)


def render_one(message: Message, language: str) -> Part:
    """A single message, for an edit in place: shortened if it must be."""
    return render(message, language, max_parts=1)[0]


def _segments(blocks: Sequence[Block]) -> list[tuple[list[Block], tuple[Button, ...]]]:
    segments: list[tuple[list[Block], tuple[Button, ...]]] = []
    current: list[Block] = []
    for block in blocks:
        if isinstance(block, Actions):
            segments.append((current, block.buttons))
            current = []
        else:
            current.append(block)
    if current:
        segments.append((current, ()))
    return segments


def _segment(blocks: list[Block], marker: str) -> list[Part]:
    mentioned: list[int] = []
    if not any(isinstance(b, Heading | Fields) for b in blocks):
        text = "\n".join(_paragraph(b, mentioned) for b in blocks)
        parts = [Part(content=piece) for piece in split(text, limits.CONTENT)]
    else:
        embeds = _Embeds(marker, mentioned)
        several_fields = sum(isinstance(b, Fields) for b in blocks) > 1
        for block in blocks:
            embeds.add(block, several_fields=several_fields)
        parts = [Part(embeds=group) for group in _pack(embeds.embeds, embeds.sizes)]
        if mentioned:
            # Mentions inside embeds notify nobody: the members the core mentions are
            # named in the content too, so that they are told.
            parts[0].content = " ".join(f"<@{i}>" for i in dict.fromkeys(mentioned))
    for part in parts:
        part.mentioned = tuple(mentioned)
    return parts


def _paragraph(block: Block, mentioned: list[int]) -> str:
    match block:
        case Section(text=spans):
            return markdown(spans, mentioned)
        case Context(text=spans):
            lines = markdown(spans, mentioned).splitlines() or [""]
            return "\n".join(f"-# {line}" for line in lines if line.strip())
    return ""


class _Embeds:
    """Fills embeds block by block, starting a new one whenever a limit or the order needs it."""

    def __init__(self, marker: str, mentioned: list[int]) -> None:
        self.marker = marker
        self.mentioned = mentioned
        self.embeds: list[discord.Embed] = []
        # Each embed's characters as len(embed) counts them, and the current one's
        # fields, kept here as they are filled: discord.py's Embed.fields and len(Embed)
        # rebuild them (and raise and catch two exceptions) on every call.
        self.sizes: list[int] = []
        self._fields = 0

    def _new(self, title: str | None = None) -> discord.Embed:
        embed = discord.Embed(title=title, colour=COLOUR)
        self.embeds.append(embed)
        self.sizes.append(len(title or ""))
        self._fields = 0
        return embed

    @property
    def _current(self) -> discord.Embed | None:
        return self.embeds[-1] if self.embeds else None

    def add(self, block: Block, *, several_fields: bool) -> None:
        match block:
            case Heading(text=heading):
                # Help titles name commands ("/coalition meeting schedule"): as typed here.
                self._new(plain(escape(retyped(heading)), limits.EMBED_TITLE))
            case Section() | Context():
                self._describe(_paragraph(block, self.mentioned))
            case Fields(fields=fields):
                rendered = [
                    (
                        _field_name(f.label),
                        shorten(
                            _or_dash(markdown(f.value, self.mentioned)),
                            limits.FIELD_VALUE,
                            self.marker,
                        ),
                    )
                    for f in fields
                ]
                # Several Fields blocks are a list of records (a directory page): each
                # field on its own line keeps a record's fields together.
                inline = not several_fields and all(
                    len(name) <= INLINE_UP_TO and len(value) <= INLINE_UP_TO
                    for name, value in rendered
                )
                for name, value in rendered:
                    self._field(name, value, inline)

    def _describe(self, text: str) -> None:
        if not text:
            return
        embed = self._current
        if embed is None or self._fields:
            embed = self._new()
        for piece in _pieces(embed.description or "", text):
            if (
                embed.description
                and len(embed.description) + 1 + len(piece) <= limits.EMBED_DESCRIPTION
            ):
                embed.description += "\n" + piece
                self.sizes[-1] += 1 + len(piece)
                continue
            if embed.description:
                embed = self._new()
            embed.description = piece
            self.sizes[-1] += len(piece)

    def _field(self, name: str, value: str, inline: bool) -> None:
        embed = self._current
        chars = len(name) + len(value)
        if (
            embed is None
            or self._fields >= limits.EMBED_FIELDS
            or self.sizes[-1] + chars > limits.EMBEDS_TOTAL
        ):
            embed = self._new()
        embed.add_field(name=name, value=value, inline=inline)
        self._fields += 1
        self.sizes[-1] += chars


def _pieces(existing: str, text: str) -> list[str]:
    """`text` in pieces that fit a description: the first in what `existing` leaves free."""
    free = limits.EMBED_DESCRIPTION - len(existing) - 1 if existing else limits.EMBED_DESCRIPTION
    if len(text) <= free or free < limits.EMBED_DESCRIPTION // 4:
        return split(text, limits.EMBED_DESCRIPTION)
    first = split(text, free)[0]
    rest = text[len(first) :].lstrip()
    return [first, *split(rest, limits.EMBED_DESCRIPTION)] if rest else [first]


def _or_dash(value: str) -> str:
    # Discord refuses a field whose value is empty or only whitespace.
    return value if value.strip() else "—"


def _field_name(label: str) -> str:
    # Help lists commands as labels, written as typed on Discord.
    return plain(escape(retyped(label)), limits.FIELD_NAME) or "\u200b"


def _pack(embeds: list[discord.Embed], sizes: list[int]) -> list[list[discord.Embed]]:
    """Embeds into messages: at most 10 per message and 6000 characters across them."""
    messages: list[list[discord.Embed]] = []
    total = 0
    for embed, size in zip(embeds, sizes, strict=True):
        if (
            not messages
            or len(messages[-1]) >= limits.EMBEDS_PER_MESSAGE
            or total + size > limits.EMBEDS_TOTAL
        ):
            messages.append([])
            total = 0
        messages[-1].append(embed)
        total += size
    return messages or [[]]


def _footer(embeds: list[discord.Embed], marker: str) -> None:
    """Put the marker in the last embed's footer, making room under the 6000 total."""
    last = embeds[-1]
    while sum(len(e) for e in embeds) + len(marker) > limits.EMBEDS_TOTAL:
        if last.fields:
            last.remove_field(-1)
        elif last.description:
            room = max(0, len(last.description) - len(marker) - 1)
            last.description = last.description[:room] or None
        else:
            break
    last.set_footer(text=marker)
