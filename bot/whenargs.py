"""Dates, times, time zones and repeat rules as command options, with errors that help.

Examples in these errors are worked out from today (a date a few days ahead),
so a person is never told to type a date that has already passed.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from bot.catalogue import Option, OptionKind
from bot.errors import FieldError
from bot.meetings.recurrence import RuleError, parse_repeat
from bot.meetings.rulefix import rule_error
from bot.meetings.timeparse import parse_date, parse_time, within_horizon
from bot.messages import Code, Strong
from bot.timefmt import example_day
from bot.timezones import canonical_timezone, common_timezones, suggest_timezones

WHEN_KINDS = frozenset({OptionKind.DATE, OptionKind.TIME, OptionKind.TIMEZONE, OptionKind.REPEAT})


def coerce_when(option: Option, text: str, today: date, home_zone: str) -> Any:
    """The typed value of a DATE, TIME, TIMEZONE or REPEAT option; FieldError if it is not one."""
    if option.kind is OptionKind.DATE:
        return _date(option, text, today)
    if option.kind is OptionKind.TIME:
        return _time(option, text)
    if option.kind is OptionKind.TIMEZONE:
        return _timezone(option, text, home_zone)
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


def _time(option: Option, text: str) -> time:
    found = parse_time(text)
    if found is None:
        raise FieldError(
            option.name,
            "{value} is not a time I can read. Type it like {example}.",
            value=Strong(text[:40]),
            example=Code("14:30, 9am, 2:30 pm"),
        )
    return found


def _timezone(option: Option, text: str, home_zone: str) -> str:
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
