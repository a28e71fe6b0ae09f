"""A typed command ("/coalition join name=\"Maria Lopez\" region=West") as a path and options.

Parsed here, once, for every platform that delivers commands as text (the
terminal, Slack). What cannot be read for sure is refused with the person's own
command written back the way it would be read, never stored as a guess.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from bot.catalogue import Catalogue, Command, OptionKind
from bot.chat_words import UnclosedQuote, Word, quote, split_words
from bot.errors import FieldError, UserError
from bot.messages import Code, Given, Span, Strong, Usage

_KEY_VALUE = re.compile(r"^([a-z][a-z0-9_-]*)=(.*)$", re.DOTALL)
# A value of these kinds is words: given by position, it takes every word left.
_WORDY = frozenset({OptionKind.TEXT, OptionKind.LONG_TEXT})
MAX_INPUT = 8000  # more than any command needs; refuse before parsing


def parse_text(catalogue: Catalogue, text: str) -> tuple[tuple[str, ...], Mapping[str, str]]:
    """Split "profile edit region=West" into (("profile", "edit"), {"region": "West"}).

    Options typed by an alias ("length=90") come back under the option's name.
    The options are a read-only mapping: a parsed text may be kept and handed out again.
    """
    if len(text) > MAX_INPUT:
        raise UserError(
            "That command is {length} characters long; the most I accept is {limit}.",
            length=str(len(text)),
            limit=str(MAX_INPUT),
        )
    try:
        words = split_words(text)
    except UnclosedQuote:
        raise UserError(
            'A quotation mark is not closed. Put values with spaces in quotes, like name="Maria Lopez".'
        ) from None
    if not words:
        return ("help",), {}
    path = _command_path(catalogue, [w.text for w in words])
    return path, _assign(catalogue.commands[path], words[len(path) :])


def _command_path(catalogue: Catalogue, tokens: list[str]) -> tuple[str, ...]:
    first = tokens[0].lower()
    if catalogue.is_group(first):
        if len(tokens) < 2 or (first, tokens[1].lower()) not in catalogue.commands:
            subcommands = [p[1] for p in catalogue.commands if p[0] == first]
            typed = tokens[1].lower() if len(tokens) > 1 else ""
            if close := difflib.get_close_matches(typed, subcommands, n=1, cutoff=0.6):
                raise UserError(
                    "{group} has no {name}. Did you mean {suggestion}?",
                    group=Code(first),
                    name=Code(typed),
                    suggestion=Code(f"/coalition {first} {close[0]}"),
                )
            raise UserError(
                "{group} needs one of: {choices}. For example: {example}",
                group=Code(first),
                choices=", ".join(subcommands),
                example=Code(f"/coalition {first} {subcommands[0]}"),
            )
        return (first, tokens[1].lower())
    if (first,) in catalogue.commands:
        return (first,)
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


class _Typed:
    """The words after the command path, sorted into named values and the rest."""

    def __init__(self, command: Command, words: list[Word]) -> None:
        self.named: dict[str, str] = {}  # by option name
        self.typed_as: dict[str, str] = {}  # option name -> the name or alias typed
        self.positional: list[str] = []  # words before any name=value
        self.after: dict[str, list[str]] = {}  # option name -> unquoted words that followed it
        self.order: list[tuple[str | None, str]] = []  # (option name, None for a word; text)
        last: str | None = None
        for word in words:
            match = _KEY_VALUE.match(word.text)
            # "name=" must be typed outside quotes: "a=b" in quotes is a plain value.
            if match and match.end(1) < word.unquoted and command.options:
                option = command.option(match.group(1))
                if option is None:
                    raise unknown_option(command, match.group(1))
                if option.name in self.named:
                    raise _given_twice(command, option.name, self.typed_as[option.name])
                self.named[option.name] = match.group(2)
                self.typed_as[option.name] = match.group(1)
                self.order.append((option.name, match.group(1)))
                last = option.name
            elif last is not None:
                self.after.setdefault(last, []).append(word.text)
            else:
                self.positional.append(word.text)
                self.order.append((None, word.text))


def _assign(command: Command, words: list[Word]) -> dict[str, str]:
    if not words:
        return {}
    typed = _Typed(command, words)
    if typed.after:
        raise _unquoted(command, typed)
    raw, positional = typed.named, typed.positional
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
    # Words fill the remaining options in order, one each; a text option, or the
    # last, takes all the words left: "/coalition directory maria lopez" searches
    # for "maria lopez", "/coalition resource reject 4 Out of date" gives a reason.
    for index, option in enumerate(free):
        if index >= len(positional):
            break
        if option.kind in _WORDY or option is free[-1]:
            raw[option.name] = " ".join(positional[index:])
            break
        raw[option.name] = positional[index]
    return raw


def _unquoted(command: Command, typed: _Typed) -> FieldError:
    """Words after name=value: the person's command with each such value in quotes."""
    name, words = next(iter(typed.after.items()))
    givens: list[Given] = []
    for option, text in typed.order:
        if option is None:
            givens.append(Given("", _bare(text), bare=True))
            continue
        value = " ".join(w for w in (typed.named[option], *typed.after.get(option, ())) if w)
        givens.append(Given(text, value))
    values: dict[str, Span] = {
        "field": Strong(typed.typed_as[name]),
        "words": Strong(" ".join(words)),
        "command": Usage(command.name, tuple(givens)),
    }
    rest = next((o for o in command.options if o.takes_rest and o.name not in typed.named), None)
    if rest is None:
        return FieldError(
            name,
            "I can't tell where {field} ends: {words} came after it without quotes. "
            "Put values with spaces in quotes, like this: {command}",
            **values,
        )
    # In a search, loose words may be meant as the words to look for.
    loose = [w for ws in typed.after.values() for w in ws]
    first = [Given("", _bare(w), bare=True) for w in (*typed.positional, *loose)]
    named = [Given(typed.typed_as[o], v) for o, v in typed.named.items()]
    return FieldError(
        name,
        "I can't tell where {field} ends: {words} came after it without quotes. "
        "Put values with spaces in quotes, like this: {command} "
        "If they are words to look for, put them before the options: {reordered}",
        reordered=Usage(command.name, (*first, *named)),
        **values,
    )


def _bare(word: str) -> str:
    """A word typed on its own, quoted where it would otherwise read differently."""
    return quote(word, always=_KEY_VALUE.match(word) is not None)


def _given_twice(command: Command, name: str, typed_as: str) -> FieldError:
    return FieldError(
        name,
        "{field} is given twice; give it once. For example: {example}",
        field=Strong(typed_as),
        example=command.usage(*(o for o in command.options if o.name == name)),
    )


def unknown_option(command: Command, name: str) -> UserError:
    names = [o.name for o in command.options]
    if close := difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6):
        return FieldError(
            name,
            "{command} has no option {name}. Did you mean {suggestion}? Its options are: "
            "{options}.",
            command=Code(f"/coalition {command.name}"),
            name=Code(name),
            suggestion=Code(close[0]),
            options=", ".join(names),
        )
    return FieldError(
        name,
        "{command} has no option {name}. Its options are: {options}.",
        command=Code(f"/coalition {command.name}"),
        name=Code(name),
        options=", ".join(o.name for o in command.options),
    )
