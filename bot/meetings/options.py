"""The meetings' option types: lengths and repeat rules, with errors that help.

Dates and times are the kernel's (bot/whenargs.py), read the same for every capability.

Registered with the catalogue by bot/meetings/capability.py, so the kernel's option
coercion (bot/arguments.py) calls them without knowing the meetings' parsers.

Examples in these errors are worked out from today (a date a few days ahead),
so a person is never told to type a date that has already passed.
"""

from __future__ import annotations

from datetime import date

from bot.errors import FieldError
from bot.meetings.recurrence import RuleError, parse_repeat
from bot.meetings.rulefix import rule_error
from bot.messages import Code, Strong, usage
from bot.options import Option, OptionKind, OptionType
from bot.timeparse import parse_minutes


def _repeat(option: Option, text: str, _today: date) -> str:
    try:
        return parse_repeat(text)
    except RuleError as error:
        raise rule_error(option.name, error, text) from None


def _duration(option: Option, text: str, _today: date) -> int:
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


OPTION_TYPES: dict[OptionKind, OptionType] = {
    OptionKind.DURATION: _duration,
    OptionKind.REPEAT: _repeat,
}
