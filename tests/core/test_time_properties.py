"""Properties of time handling over any input: a value or a sentence, never an exception.

Rules are built from every RRULE part in and out of range; each is either
refused with a RuleError or expands, within a bound, at its local wall time on
both sides of every daylight-saving change.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.arguments import coerce_timezone
from bot.catalogue import Option, OptionKind
from bot.errors import FieldError
from bot.i18n import translator
from bot.meetings.model import Meeting
from bot.meetings.options import OPTION_TYPES
from bot.meetings.recurrence import RuleError, occurrences, parse_repeat
from bot.meetings.rulecheck import check_series
from bot.meetings.ruletext import describe_rule
from bot.messages import plain_text
from bot.timeparse import parse_date, parse_minutes, parse_time
from bot.timezones import canonical_timezone, suggest_timezones, to_local
from bot.whenargs import DATE_TIME_TYPES

FAST = settings(max_examples=150, deadline=None)
TODAY = date(2026, 3, 2)
# Text people type, and text nobody types: digits of other scripts, controls, long runs.
TYPED = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789:-. apmAPMhdT/²١", max_size=20),
    st.from_regex(r"\d{1,6}-\d{1,3}-\d{1,3}", fullmatch=True),
)


@FAST
@given(TYPED)
def test_parsers_give_a_value_or_none(typed: str) -> None:
    assert parse_time(typed) is None or isinstance(parse_time(typed), time)
    minutes = parse_minutes(typed)
    assert minutes is None or minutes >= 0
    found = parse_date(typed)
    assert found is None or found == "impossible" or isinstance(found, date)
    zone = canonical_timezone(typed)
    assert zone is None or ZoneInfo(zone) is not None
    assert all(ZoneInfo(z) for z in suggest_timezones(typed))
    try:
        rule = parse_repeat(typed)
    except RuleError:
        return
    assert rule == "" or rule.startswith("FREQ=") or ";FREQ=" in rule


@FAST
@given(kind=st.sampled_from(["date", "time", "timezone", "repeat"]), typed=TYPED)
def test_options_give_a_value_or_a_sentence_in_each_language(kind: str, typed: str) -> None:
    option = Option(kind, OptionKind(kind), "help")
    try:
        if option.kind is OptionKind.TIMEZONE:
            coerce_timezone(option, typed, "America/Chicago")
        else:
            {**OPTION_TYPES, **DATE_TIME_TYPES}[option.kind](option, typed, TODAY)
    except FieldError as error:
        # Every placeholder is filled (test_i18n checks the catalogs have the same ones).
        assert set(re.findall(r"\{(\w+)\}", error.msgid)) <= set(error.values)
        for language in ("en", "es"):
            assert plain_text(translator(language)(error.msgid, **error.values))


DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
parts = st.fixed_dictionaries(
    {"FREQ": st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "SECONDLY"])},
    optional={
        "INTERVAL": st.integers(0, 400).map(str),
        "COUNT": st.integers(0, 800).map(str),
        "UNTIL": st.dates(date(2020, 1, 1), date(9999, 12, 31)).map(lambda d: f"{d:%Y%m%d}"),
        "BYDAY": st.lists(
            st.tuples(
                st.sampled_from(["", "+1", "2", "-1", "+5", "-5", "+6"]), st.sampled_from(DAYS)
            ),
            min_size=1,
            max_size=4,
        ).map(lambda days: ",".join(n + d for n, d in days)),
        "BYMONTHDAY": st.lists(st.integers(-32, 32), min_size=1, max_size=3).map(
            lambda days: ",".join(map(str, days))
        ),
        "BYMONTH": st.lists(st.integers(0, 13), min_size=1, max_size=3).map(
            lambda months: ",".join(map(str, months))
        ),
        "BYSETPOS": st.sampled_from(["1", "-1", "2", "400"]),
        "BYHOUR": st.just("9,10"),
    },
)
# Rules in range, so that most are accepted and their expansion is checked.
sensible = st.fixed_dictionaries(
    {"FREQ": st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"])},
    optional={
        "INTERVAL": st.integers(1, 4).map(str),
        "COUNT": st.integers(1, 30).map(str),
        "BYDAY": st.lists(st.sampled_from(DAYS), min_size=1, max_size=5, unique=True).map(",".join),
    },
)
ZONES = ["America/Los_Angeles", "America/New_York", "Europe/London", "Australia/Sydney"]


@settings(max_examples=200, deadline=None)
@given(
    rule=st.one_of(parts, sensible).map(lambda p: ";".join(f"{k}={v}" for k, v in p.items())),
    day=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    zone=st.sampled_from(ZONES),
)
def test_any_accepted_rule_expands_within_bounds_at_its_wall_time(
    rule: str, day: date, at: time, zone: str
) -> None:
    start = datetime.combine(day, at)
    try:
        body = parse_repeat(rule)
        check_series(body, start)
    except RuleError:
        return  # refused, with a reason the person is told; nothing else may escape
    meeting = Meeting(1, "x", start, zone, 60, "a", rule=body)
    after = datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC)
    found = occurrences(meeting, after, after + timedelta(days=400))
    assert found, body  # a rule accepted has a meeting within a year of its start
    assert len(found) <= 401  # at most daily
    assert len({o.key for o in found}) == len(found)
    for occurrence in found:
        local = to_local(occurrence.start, zone)
        if local.time() != at:  # only where that wall time does not exist that day
            wall = datetime.combine(local.date(), at)
            back = wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
            assert to_local(back, zone) != wall, (body, occurrence)
    assert describe_rule(translator("es"), body, start)
