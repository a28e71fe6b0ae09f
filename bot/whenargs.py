"""Date and time options, read the same for every capability (a meeting's day, a poll's close).

The registry declares them (bot/registry.py), so no capability owns them and two
cannot declare different readers for one kind. Examples in the errors are worked
out from today, so a person is never told to type a date that has already passed.
"""

from __future__ import annotations

from datetime import date, time

from bot.errors import FieldError
from bot.messages import Code, Strong
from bot.options import Option, OptionKind, OptionType
from bot.timefmt import example_day
from bot.timeparse import parse_date, parse_time, within_horizon


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


DATE_TIME_TYPES: dict[OptionKind, OptionType] = {
    OptionKind.DATE: _date,
    OptionKind.TIME: _time,
}
