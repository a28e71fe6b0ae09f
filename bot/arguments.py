"""From what a person typed to typed option values, with errors that say what to type.

Chat text ("/coalition join name=\"Maria Lopez\" region=West") is parsed here,
once, for every platform that delivers commands as text (the terminal, Slack).
Platforms with typed options (Discord) pass their values straight to `coerce`.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.catalogue import Catalogue, Command, Option, OptionKind
from bot.config import Config
from bot.errors import FieldError, UserError
from bot.identity import Identity
from bot.meetings.timeparse import parse_minutes
from bot.messages import Code, Strong, usage
from bot.whenargs import WHEN_KINDS, coerce_when

_KEY_VALUE = re.compile(r"^([a-z][a-z0-9_-]*)=(.*)$", re.DOTALL)
_SLACK_MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")
_DISCORD_MENTION = re.compile(r"^<@!?(\d+)>$")
_TRUE = {"yes", "y", "true", "on", "1", "sí", "si"}
_FALSE = {"no", "n", "false", "off", "0"}
# Words with nothing shell rules would treat specially: split as they are, which is
# most commands ("help", "directory region=West") and much cheaper than shlex.
_PLAIN = re.compile(r"[A-Za-z0-9 _=.,:@#/+-]*")
MAX_INPUT = 8000  # more than any command needs; refuse before parsing


@dataclass(frozen=True, slots=True)
class MemberRef:
    """A member named in a command: a platform identity, or a display name to look up."""

    identity: Identity | None = None
    name: str | None = None


def parse_text(catalogue: Catalogue, text: str) -> tuple[tuple[str, ...], Mapping[str, str]]:
    """Split "profile edit region=West" into (("profile", "edit"), {"region": "West"}).

    The options are a read-only mapping: a parsed text may be kept and handed out again.
    """
    if len(text) > MAX_INPUT:
        raise UserError(
            "That command is {length} characters long; the most I accept is {limit}.",
            length=str(len(text)),
            limit=str(MAX_INPUT),
        )
    try:
        tokens = text.split() if _PLAIN.fullmatch(text) else _shell_words(text)
    except ValueError:
        raise UserError(
            'A quotation mark is not closed. Put values with spaces in quotes, like name="Maria Lopez".'
        ) from None
    if not tokens:
        return ("help",), {}
    path, rest = _command_path(catalogue, tokens)
    command = catalogue.commands[path]
    return path, _assign(command, rest)


def _shell_words(text: str) -> list[str]:
    # Chat apps turn quotes into curly ones; shell rules need the straight kind.
    return shlex.split(text.replace("\u201c", '"').replace("\u201d", '"'))


def _command_path(catalogue: Catalogue, tokens: list[str]) -> tuple[tuple[str, ...], list[str]]:
    first = tokens[0].lower()
    if catalogue.is_group(first):
        if len(tokens) < 2 or (first, tokens[1].lower()) not in catalogue.commands:
            subcommands = [p[1] for p in catalogue.commands if p[0] == first]
            raise UserError(
                "{group} needs one of: {choices}. For example: {example}",
                group=Code(first),
                choices=", ".join(subcommands),
                example=Code(f"/coalition {first} {subcommands[0]}"),
            )
        return (first, tokens[1].lower()), tokens[2:]
    if (first,) in catalogue.commands:
        return (first,), tokens[1:]
    names = sorted({" ".join(p) for p in catalogue.commands} | {p[0] for p in catalogue.commands})
    close = difflib.get_close_matches(first, names, n=1, cutoff=0.5)
    if close:
        raise UserError(
            "I don't know the command {name}. Did you mean {suggestion}? Type {help} to see them all.",
            name=Code(first),
            suggestion=Code(f"/coalition {close[0]}"),
            help=Code("/coalition help"),
        )
    raise UserError(
        "I don't know the command {name}. Type {help} to see what I can do.",
        name=Code(first),
        help=Code("/coalition help"),
    )


def _assign(command: Command, tokens: list[str]) -> dict[str, str]:
    if not tokens:
        return {}
    raw: dict[str, str] = {}
    positional: list[str] = []
    for token in tokens:
        match = _KEY_VALUE.match(token)
        if match and command.option(match.group(1)) is not None:
            raw[match.group(1)] = match.group(2)
        elif match and command.options:
            raise _unknown_option(command, match.group(1))
        else:
            positional.append(token)
    free = [o for o in command.options if o.name not in raw]
    if positional and not free:
        raise UserError(
            "{command} takes no more values; I did not understand {extra}.",
            command=Code(f"/coalition {command.name}"),
            extra=Code(" ".join(positional)),
        )
    rest = next((o for o in free if o.takes_rest), None)
    if rest is not None and positional:
        raw[rest.name] = " ".join(positional)
        return raw
    # Positional words fill the remaining options in order; the last takes the rest,
    # so "/coalition directory maria lopez" searches for "maria lopez".
    for option, value in zip(free, positional, strict=False):
        raw[option.name] = value
    if len(positional) > len(free):
        last = free[-1].name
        raw[last] = " ".join([raw[last], *positional[len(free) :]])
    return raw


def _unknown_option(command: Command, name: str) -> UserError:
    return FieldError(
        name,
        "{command} has no option {name}. Its options are: {options}.",
        command=Code(f"/coalition {command.name}"),
        name=Code(name),
        options=", ".join(o.name for o in command.options),
    )


def choices_for(option: Option, config: Config) -> tuple[str, ...]:
    if option.kind is OptionKind.LANGUAGE:
        return config.lists.languages
    if option.choices_from:
        values = getattr(config.lists, option.choices_from)
        assert isinstance(values, tuple)
        return values
    return option.choices


def coerce(
    command: Command, raw: Mapping[str, Any], config: Config, actor: Identity, today: date
) -> dict[str, Any]:
    """Check and convert every given value; raise a FieldError naming the first bad one."""
    values: dict[str, Any] = {}
    for name, value in raw.items():
        option = command.option(name)
        if option is None:
            raise _unknown_option(command, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        values[name] = _coerce_one(option, value, config, actor, today)
    for option in command.options:
        if option.required and option.name not in values:
            raise FieldError(
                option.name,
                "{field} is required. For example: {example}",
                field=Strong(option.name),
                example=command.usage(option, today=today),
            )
    return values


def _coerce_one(option: Option, value: Any, config: Config, actor: Identity, today: date) -> Any:
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
    if kind in WHEN_KINDS:
        return coerce_when(option, text, today, config.coalition.timezone)
    if kind in _WHEN:
        return _WHEN[kind](option, text)
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


def _choice(option: Option, text: str, config: Config) -> str:
    allowed = choices_for(option, config)
    wanted = text.strip().lower()
    for choice in allowed:
        if choice.lower() == wanted:
            return choice
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


def _duration(option: Option, text: str) -> int:
    minutes = parse_minutes(text)
    if minutes is None:
        raise FieldError(
            option.name,
            "{value} is not a length of time I can read. Type minutes or hours, for example {example}.",
            value=Strong(text),
            example=Code("90, 1h30m"),
        )
    low = option.minimum if option.minimum is not None else 1
    high = option.maximum if option.maximum is not None else 24 * 60
    if not low <= minutes <= high:
        raise FieldError(
            option.name,
            "{field} must be at least {low} and at most {high} minutes, for example {example}.",
            field=Strong(option.name),
            low=str(low),
            high=str(high),
            example=usage("", (option.name, "1h30m" if high >= 90 else str(high))),
        )
    return minutes


_WHEN: dict[OptionKind, Callable[[Option, str], Any]] = {OptionKind.DURATION: _duration}


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
    for pattern in (_SLACK_MENTION, _DISCORD_MENTION):
        if match := pattern.match(text):
            return MemberRef(identity=Identity(actor.platform, actor.workspace, match.group(1)))
    if text.startswith("@") and len(text) > 1:
        return MemberRef(name=text[1:])
    if len(text) > option.max_length:
        raise FieldError(option.name, "That member name is too long.")
    return MemberRef(name=text)
