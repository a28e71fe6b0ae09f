"""The meetings' option types: dates, times, lengths and repeat rules, with errors that help.

Registered with the catalogue by bot/meetings/capability.py, so the kernel's option
coercion (bot/arguments.py) calls them without knowing the meetings' parsers.

Examples in these errors are worked out from today (a date a few days ahead),
so a person is never told to type a date that has already passed.
"""

from __future__ import annotations

from datetime import date, time

from bot.errors import FieldError
from bot.meetings.recurrence import RuleError, parse_repeat
from bot.meetings.rulefix import rule_error
from bot.meetings.timeparse import parse_date, parse_minutes, parse_time, within_horizon
from bot.messages import Code, Strong, usage
from bot.options import Option, OptionKind, OptionType
from bot.timefmt import example_day


def _repeat(option: Option, text: str, _today: date) -> str:
    try:
        return parse_repeat(text)
    except RuleError as error:
        raise rule_error(option.name, error, text) from None


def _date(option: Option, text: str, today: date) -> date:
    found = parse_date(text)
    example = Code(example_day(today).isoformat())
    if found == "impossible":
        raise FieldError(
            option.name,
            "{value} is not a real date: that month has no such day. For example: {example}",
            value=Strong(text[:40]),
            example=example,
        )
    if not isinstance(found, date):
        raise FieldError(
            option.name,
            "{value} is not a date I can read. Type it as year-month-day, for example {example}.",
            value=Strong(text[:40]),
            example=example,
        )
    if not within_horizon(found, today):
        raise FieldError(
            option.name,
            "{value} is more than five years from today. Give a date closer to now, for example {example}.",
            value=Strong(text[:40]),
            example=example,
        )
    return found


def _time(option: Option, text: str, _today: date) -> time:
    found = parse_time(text)
    if found is None:
        raise FieldError(
            option.name,
            "{value} is not a time I can read. Type it like {example}.",
            value=Strong(text[:40]),
            example=Code("14:30, 9am, 2:30 pm"),
        )
    return found


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
    OptionKind.DATE: _date,
    OptionKind.TIME: _time,
    OptionKind.DURATION: _duration,
    OptionKind.REPEAT: _repeat,
}
