"""The neutral message model: what the core says, before any platform renders it.

Formatting is structural (spans and blocks), never markup inside strings, so an
adapter can escape every piece of text it renders: a member who types
"<!channel>" or "@everyone" cannot make the bot ping anyone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from bot.chat_words import quote
from bot.identity import Identity
from bot.posted import PostedMessage

# -- inline spans -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plain:
    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True, slots=True)
class Moment:
    """An instant each reader should see in their own time zone.

    `fallback` is the text for renderers that cannot localise (the terminal,
    notification previews); the core writes it in the zone it knows best.
    """

    at: datetime
    fallback: str
    style: Literal["datetime", "date", "time", "relative"] = "datetime"


@dataclass(frozen=True, slots=True)
class Mention:
    """A member the message may notify; the adapter picks the identity on its platform."""

    name: str
    identities: tuple[Identity, ...] = ()


@dataclass(frozen=True, slots=True)
class Given:
    """One option of a `Usage`: its name and the value to show."""

    name: str
    value: str
    # Typed chat takes this option's value without its name (an option that takes
    # the rest of the words, as in "resource search housing toolkit").
    bare: bool = False


@dataclass(frozen=True, slots=True)
class Usage:
    """A command, or just some options, as the person would type them.

    Platforms take options differently: typed chat (the terminal, Slack) as
    `region=West`, Discord's slash command box as `region: West`. So the core
    names the options and each adapter writes them the way its people type
    them; `plain_text` writes the typed-chat form. `command` is the path after
    "/coalition" ("profile edit"), or "" for options alone.
    """

    command: str
    options: tuple[Given, ...] = ()


def usage(command: str, *options: tuple[str, str]) -> Usage:
    """`usage("join", ("region", "West"))`: a Usage of named options."""
    return Usage(command, tuple(Given(name, value) for name, value in options))


def typed_usage(example: Usage) -> str:
    """The Usage as typed in chat: /coalition join name="Maria Lopez" region=West."""
    words = [f"/coalition {example.command}"] if example.command else []
    for given in example.options:
        words.append(given.value if given.bare else f"{given.name}={quote(given.value)}")
    return " ".join(words)


Span = Plain | Strong | Code | Link | Moment | Mention | Usage
Text = tuple[Span, ...]


def text(*parts: str | Span) -> Text:
    """Build a Text from strings (taken as plain) and spans."""
    if len(parts) == 1 and isinstance(parts[0], str):  # most values: one string
        return (Plain(parts[0]),) if parts[0] else ()
    return tuple(Plain(p) if isinstance(p, str) else p for p in parts if p != "")


def plain_text(spans: Iterable[Span]) -> str:
    """The spans as unformatted text: fallbacks, logs and the terminal."""
    out: list[str] = []
    for span in spans:
        match span:
            case Link(url=url, label=label):
                out.append(label if label == url else f"{label} ({url})")
            case Moment(fallback=fallback):
                out.append(fallback)
            case Mention(name=name):
                out.append(f"@{name}")
            case Usage():
                out.append(typed_usage(span))
            case _:
                out.append(span.text)
    return "".join(out)


# -- blocks -------------------------------------------------------------------


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Button:
    """A clickable choice. `action` names a registered action; `target` is its subject's id."""

    label: str
    action: str
    target: str
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Section:
    text: Text


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: Text


@dataclass(frozen=True, slots=True)
class Fields:
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Context:
    """A small, secondary line: who decided, when, hints."""

    text: Text


@dataclass(frozen=True, slots=True)
class Actions:
    buttons: tuple[Button, ...]


Block = Heading | Section | Fields | Context | Actions


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    media_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Message:
    blocks: tuple[Block, ...]
    attachments: tuple[Attachment, ...] = ()
    # What the message is about (a discussion's topics): where a platform files posts
    # under labels, such as a Discord forum's tags, it picks them from these.
    topics: tuple[str, ...] = ()

    @property
    def buttons(self) -> tuple[Button, ...]:
        return tuple(
            b for block in self.blocks if isinstance(block, Actions) for b in block.buttons
        )

    def fallback_text(self) -> str:
        """Plain text for notifications and screen readers."""
        lines: list[str] = []
        for block in self.blocks:
            match block:
                case Heading(text=heading):
                    lines.append(heading)
                case Section(text=spans) | Context(text=spans):
                    lines.append(plain_text(spans))
                case Fields(fields=fields):
                    lines.extend(f"{f.label}: {plain_text(f.value)}" for f in fields)
                case Actions():
                    pass
        return "\n".join(line for line in lines if line)


# -- forms --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormField:
    """One question of a form, already translated; `kind` is an OptionKind value."""

    name: str
    label: str
    hint: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    value: str = ""  # pre-filled
    max_length: int = 200

    @property
    def multiple(self) -> bool:
        return self.kind == "choices"


@dataclass(frozen=True, slots=True)
class Form:
    """Ask the person for a command's options (a modal, or a walk-through in the terminal).

    Submitting it runs `command` with the answers, named by field.
    """

    command: tuple[str, ...]
    title: str
    fields: tuple[FormField, ...]
    # What to tell the person if the platform cannot open the form (Slack's
    # trigger expires after three seconds): how to type the command instead.
    unavailable: Text = ()
    # The language the title and fields are in, for the words a platform adds around
    # them (the terminal's "(required)"): a person's form and its prompts agree.
    language: str = "en"
    # Values sent with the answers but neither shown nor asked (the session an
    # evaluation is about): a field saying "leave as it is" only invites a slip.
    carried: tuple[tuple[str, str], ...] = ()

    def submitted(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """What submitting the form runs its command with: the answers and the carried values."""
        return {**dict(self.carried), **answers}


# -- replies and notices ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ToChannel:
    """A channel by its configured role ("reviews", "announcements") or its name."""

    channel: str


@dataclass(frozen=True, slots=True)
class ToMember:
    """A direct message to a member on every platform they have linked."""

    identities: tuple[Identity, ...]


@dataclass(frozen=True, slots=True)
class Replacing:
    """In place of a message posted earlier (on a platform that can edit messages)."""

    posted: PostedMessage


Destination = ToChannel | ToMember | Replacing


@dataclass(frozen=True, slots=True)
class Notice:
    """A message the core wants posted somewhere other than in reply."""

    to: Destination
    message: Message


# Work to do once the change is committed, given what it may use (a fresh unit
# of work, the platforms): for outcomes that must themselves be recorded, such
# as whether a post went out. Failures are logged, never shown to the person.
FollowUp = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Reply:
    """What the person who acted gets back.

    `private` replies are seen only by them (ephemeral). `update_original`
    replaces the message whose button was clicked, so a decided item cannot be
    decided again. `notices` are posted only after the change was committed.
    """

    message: Message | None = None
    private: bool = True
    update_original: Message | None = None
    form: Form | None = None
    notices: tuple[Notice, ...] = ()
    # Set when the message is an error about one option: forms show it beside that field.
    invalid_field: str | None = None
    # With invalid_field, from a form: the answers as a command to correct and send again,
    # said where the form has closed already (nothing typed is lost).
    answers: Text | None = None
    after_commit: tuple[FollowUp, ...] = ()


def say(spans: Text) -> Message:
    """A message of one paragraph."""
    return Message((Section(spans),))
