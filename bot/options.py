"""A command's options: their kinds and what each accepts, declared once.

Kept apart from the catalogue so that what a use case sees of a command
(bot/context.py) does not need the catalogue, whose handlers take a Context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from bot.i18n import N_
from bot.timefmt import example_day

# What a person types to empty a clearable option.
CLEAR_WORDS = frozenset({"-", "none", "ninguna", "ninguno"})


class OptionKind(StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # paragraphs
    CHOICE = "choice"  # one of a list
    CHOICES = "choices"  # several of a list
    TIMEZONE = "timezone"  # an IANA zone name
    LANGUAGE = "language"  # one of the configured languages
    BOOLEAN = "boolean"
    INTEGER = "integer"
    MEMBER = "member"  # a mention of a member
    # Adapters without a native input for these show a text field.
    DATE = "date"  # YYYY-MM-DD
    TIME = "time"  # 14:30, 9am, 2:30 pm
    DURATION = "duration"  # minutes, or 1h30m; minimum and maximum are in minutes
    REPEAT = "repeat"  # none, weekly, every N weeks, 2nd thursday, or an RRULE
    URL = "url"  # a web link; checked by the use case that takes it
    TAGS = "tags"  # several, separated by commas: the configured list or new ones


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    kind: OptionKind
    help: str
    label: str = ""  # the field's title in a form; defaults to the name
    required: bool = False
    max_length: int = 200
    choices: tuple[str, ...] = ()  # a fixed list...
    choices_from: str | None = None  # ...or a list from the configuration ("regions")
    minimum: int | None = None
    maximum: int | None = None  # a number's largest value; for TAGS, how many
    # A value to show in examples ("West"), not how to type it: each platform
    # writes the option its own way (region=West, or region: West on Discord).
    example: str = ""
    # Typed chat: every word not given as name=value goes here ("search housing toolkit").
    takes_rest: bool = False
    # Other names accepted when typed: the form label's word ("length" for duration),
    # or a name the option had before.
    aliases: tuple[str, ...] = ()
    # Typing one of CLEAR_WORDS empties it (an empty answer keeps the current value,
    # since forms leave out blank fields); its help should say so.
    clearable: bool = False

    def example_on(self, today: date | None) -> str:
        """The example value; a date's is worked out from today, so it is never past."""
        if self.kind is OptionKind.DATE:
            return example_day(today).isoformat() if today else "YYYY-MM-DD"
        return self.example


# The largest number a stored thing's id may be typed as: what a 32-bit database
# integer holds, so a longer number is refused as typed, not by the database.
ID_MAX = 2_000_000_000


def number_of(
    name: str, help: str, label: str, *, example: str = "", required: bool = True
) -> Option:
    """An option naming a stored thing by its number: a meeting, a poll, a question."""
    return Option(
        name,
        OptionKind.INTEGER,
        help,
        label,
        required=required,
        minimum=1,
        maximum=ID_MAX,
        example=example,
    )


def topics_option(*, max_length: int, maximum: int) -> Option:
    """The topics given to a resource, a discussion or a question: the coalition's
    list or new ones; each capability keeps its own limits (`maximum`: how many)."""
    return Option(
        "topics",
        OptionKind.TAGS,
        N_("Topics, separated by commas: from the list, or your own"),
        N_("Topics"),
        choices_from="topics",
        max_length=max_length,
        maximum=maximum,
    )


# Read by the kernel itself (bot/arguments.py); other kinds by the capability that
# registers them (Capability.option_types).
NATIVE_KINDS = frozenset(OptionKind) - {
    OptionKind.DATE,
    OptionKind.TIME,
    OptionKind.DURATION,
    OptionKind.REPEAT,
}

# How a capability's own kind of option is read (bot/capability.py): the option, the
# text typed (trimmed, never empty) and today; a FieldError that says what to type.
OptionType = Callable[[Option, str, date], Any]
