"""From what a person typed to typed option values, with errors that say what to type.

Chat text is split into a command and its options in bot/command_text.py
(`parse_text`, re-exported here); every platform's values, typed in chat,
chosen in Discord's command box or entered in a form, are checked by `coerce`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.catalogue import CLEAR_WORDS, Command, Option, OptionKind
from bot.command_text import parse_text, unknown_option
from bot.config import Config
from bot.control_chars import clean
from bot.errors import FieldError
from bot.identity import Identity, MemberRef
from bot.messages import Code, Given, Strong, Usage
from bot.options import OptionType
from bot.timezones import canonical_timezone, common_timezones, suggest_timezones

__all__ = ["choices_for", "closest", "coerce", "parse_text"]

_SLACK_MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")
_DISCORD_MENTION = re.compile(r"^<@!?(\d+)>$")
_TRUE = {"yes", "y", "true", "on", "1", "sí", "si"}
_FALSE = {"no", "n", "false", "off", "0"}
_SEVERAL = frozenset({OptionKind.CHOICES, OptionKind.TAGS})


def choices_for(option: Option, config: Config) -> tuple[str, ...]:
    if option.kind is OptionKind.LANGUAGE:
        return config.lists.languages
    if option.choices_from:
        values = getattr(config.lists, option.choices_from)
        assert isinstance(values, tuple)
        return values
    return option.choices


def coerce(
    command: Command,
    raw: Mapping[str, Any],
    config: Config,
    actor: Identity,
    today: date,
    types: Mapping[OptionKind, OptionType],
) -> dict[str, Any]:
    """Check and convert every given value; raise a FieldError naming the first bad one."""
    values: dict[str, Any] = {}
    typed: dict[str, str] = {}  # as the person wrote them, for the example below
    for name, value in raw.items():
        option = command.option(name)
        if option is None:
            raise unknown_option(command, name)
        value = clean(option, value)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if option.clearable and isinstance(value, str) and value.strip().lower() in CLEAR_WORDS:
            values[option.name] = () if option.kind in _SEVERAL else ""
            continue
        values[option.name] = _coerce_one(option, value, config, actor, today, types)
        typed[option.name] = str(value).strip()
    for option in command.options:
        if option.required and option.name not in values:
            raise FieldError(
                option.name,
                "{field} is required. For example: {example}",
                field=Strong(option.name),
                example=_example(command, option, typed, today),
            )
    return values


def _example(command: Command, missing: Option, typed: Mapping[str, str], today: date) -> Usage:
    """The command with the required values already given, then an example of the missing one.

    "/coalition meeting attendance 1" without its date must be shown with its 1: an
    example without it ("... attendance occurrence=2026-12-08") would fail again.
    """
    usage = command.usage(missing, today=today)
    given = tuple(
        Given(o.name, typed[o.name], bare=o.takes_rest)
        for o in command.options
        if o.required and o is not missing and o.name in typed
    )
    return Usage(usage.command, given + usage.options)


def _coerce_one(
    option: Option,
    value: Any,
    config: Config,
    actor: Identity,
    today: date,
    types: Mapping[OptionKind, OptionType],
) -> Any:
    kind = option.kind
    if kind is OptionKind.BOOLEAN:
        return _boolean(option, value)
    if kind is OptionKind.INTEGER:
        return _integer(option, value)
    if kind is OptionKind.MEMBER:
        return _member(option, value, actor)
    if kind is OptionKind.CHOICES:
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        chosen = [_choice(option, str(v), config) for v in items if str(v).strip()]
        return tuple(dict.fromkeys(chosen))  # keeps order, drops repeats
    if kind is OptionKind.TAGS:
        return _tags(option, value, config)
    text = str(value).strip()
    if kind is OptionKind.TIMEZONE:
        return coerce_timezone(option, text, config.coalition.timezone)
    if coerce_typed := types.get(kind):
        return coerce_typed(option, text, today)
    if kind in {OptionKind.CHOICE, OptionKind.LANGUAGE}:
        return _choice(option, text, config)
    if len(text) > option.max_length:
        raise FieldError(
            option.name,
            "{field} can be at most {limit} characters; yours has {length}.",
            field=Strong(option.name),
            limit=str(option.max_length),
            length=str(len(text)),
        )
    return text


def closest(value: str, allowed: Sequence[str], cutoff: float = 0.6) -> str | None:
    """The entry of `allowed` nearest `value` (ignoring case), in its own spelling, if one
    is near enough to be the one meant: "sme" names "Some", "Atlantis" nothing."""
    by_fold: dict[str, str] = {}
    for entry in allowed:
        by_fold.setdefault(entry.lower(), entry)
    close = difflib.get_close_matches(value.strip().lower(), list(by_fold), n=1, cutoff=cutoff)
    return by_fold[close[0]] if close else None


def _choice(option: Option, text: str, config: Config) -> str:
    allowed = choices_for(option, config)
    wanted = text.strip().lower()
    for choice in allowed:
        if choice.lower() == wanted:
            return choice
    # A slip of a letter or two is named, as an unknown command or option is: the
    # person sees at once what they meant instead of reading the whole list.
    if (near := closest(text, allowed)) is not None:
        raise FieldError(
            option.name,
            "{value} is not one of the choices for {field}. Did you mean {suggestion}? "
            "The choices are: {allowed}.",
            value=Strong(text.strip()),
            field=Strong(option.name),
            suggestion=Code(near),
            allowed=", ".join(allowed),
        )
    raise FieldError(
        option.name,
        "{value} is not one of the choices for {field}. Choose from: {allowed}.",
        value=Strong(text.strip()),
        field=Strong(option.name),
        allowed=", ".join(allowed),
    )


def _tags(option: Option, value: Any, config: Config) -> tuple[str, ...]:
    """Listed entries in their configured spelling; anything else kept as typed."""
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    known = {c.lower(): c for c in choices_for(option, config)}
    tags: dict[str, str] = {}  # by lower case: "housing" and "Housing" are one tag
    for item in items:
        tag = " ".join(str(item).split())
        if not tag:
            continue
        if len(tag) > option.max_length:
            raise FieldError(
                option.name,
                "Each entry of {field} can be at most {limit} characters; {value} has {length}.",
                field=Strong(option.name),
                limit=str(option.max_length),
                value=Strong(tag[:20] + "..."),
                length=str(len(tag)),
            )
        tags.setdefault(tag.lower(), known.get(tag.lower(), tag))
    if option.maximum is not None and len(tags) > option.maximum:
        raise FieldError(
            option.name,
            "{field} takes at most {limit} entries; you gave {count}.",
            field=Strong(option.name),
            limit=str(option.maximum),
            count=str(len(tags)),
        )
    return tuple(tags.values())


def _boolean(option: Option, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise FieldError(option.name, "{field} takes yes or no.", field=Strong(option.name))


def _integer(option: Option, value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise FieldError(
            option.name, "{field} takes a whole number.", field=Strong(option.name)
        ) from None
    low = option.minimum if option.minimum is not None else number
    high = option.maximum if option.maximum is not None else number
    if not low <= number <= high:
        raise FieldError(
            option.name,
            "{field} must be between {low} and {high}.",
            field=Strong(option.name),
            low=str(low),
            high=str(high),
        )
    return number


def _member(option: Option, value: Any, actor: Identity) -> MemberRef:
    if isinstance(value, Identity):
        return MemberRef(identity=value)
    text = str(value).strip()
    if len(text) > option.max_length:
        raise FieldError(option.name, "That member name is too long.")
    return member_ref(text, actor)


def member_ref(text: str, actor: Identity) -> MemberRef:
    """A mention (Slack's or Discord's) or a name, as typed; also for a list of members
    given in one text option (attendance's `members=@a,@b`)."""
    text = text.strip()
    for pattern in (_SLACK_MENTION, _DISCORD_MENTION):
        if match := pattern.match(text):
            return MemberRef(identity=Identity(actor.platform, actor.workspace, match.group(1)))
    if text.startswith("@") and len(text) > 1:
        return MemberRef(name=text[1:])
    return MemberRef(name=text)


def coerce_timezone(option: Option, text: str, home_zone: str) -> str:
    found = canonical_timezone(text)
    if found:
        return found
    suggestions = suggest_timezones(text, home_zone) or common_timezones(home_zone)
    raise FieldError(
        option.name,
        "{value} is not a time zone I know. Type a name such as Eastern, Central, Mountain or Pacific, or one from the IANA list, such as {examples}.",
        value=Strong(text[:80]),
        examples=", ".join(suggestions),
    )
