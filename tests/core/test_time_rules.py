"""Time as coordinators type it: rules refused with an example, far dates, DST notes, zones.

The harness clock starts on Monday 2026-03-02, 15:00 UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.i18n import translator
from bot.meetings.model import Meeting
from bot.meetings.recurrence import first_start, parse_repeat
from bot.meetings.rulecheck import RuleError, check_series
from bot.meetings.ruletext import describe_rule
from bot.timefmt import example_day
from bot.timezones import canonical_timezone, suggest_timezones
from tests.harness import Harness, text_of

TODAY = date(2026, 3, 2)


# Each rule cannot give a sensible series; each sentence says what to type instead.
REFUSED = [
    ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL", "FREQ=WEEKLY;INTERVAL=2"),
    ("FREQ=DAILY;INTERVAL=1000", "INTERVAL", "FREQ=WEEKLY;INTERVAL=2"),
    ("FREQ=WEEKLY;COUNT=0", "COUNT", "FREQ=WEEKLY;COUNT=10"),
    ("FREQ=WEEKLY;COUNT=100000", "COUNT", "FREQ=WEEKLY;COUNT=10"),
    ("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2", "no meeting", "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "no meeting", "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "no meeting", "FREQ=MONTHLY;BYMONTHDAY=15"),
    ("FREQ=SECONDLY", "more often", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
    ("FREQ=MINUTELY;INTERVAL=5", "more often", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
    ("FREQ=HOURLY", "more often", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
    ("FREQ=DAILY;BYHOUR=9,10", "more often", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
    ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO", "FREQ=WEEKLY;BYDAY=TU,TH"),
    ("FREQ=WEEKLY;UNTIL=20260101", "before its first meeting", "FREQ=WEEKLY;UNTIL=2026"),
    ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "both COUNT and UNTIL", "FREQ=WEEKLY;COUNT=10"),
    ("FREQ=WEEKLY;UNTIL=99991231", "five years", "FREQ=WEEKLY;COUNT=10"),
    ("FREQ=WEEKLY;BYDAY=XX", "don't understand", "FREQ=WEEKLY;BYDAY=TU,TH"),
    ("FREQ=MONTHLY;BYMONTHDAY=40", "don't understand", "FREQ=WEEKLY;BYDAY=TU,TH"),
    ("every 0 weeks", "INTERVAL", "FREQ=WEEKLY;INTERVAL=2"),
    ("FREQ=WEEKLY;INTERVAL=²", "INTERVAL", "FREQ=WEEKLY;INTERVAL=2"),
    ("FREQ=WEEKLY;UNTIL=20261340", "don't understand", "FREQ=WEEKLY;BYDAY=TU,TH"),
]


@pytest.mark.parametrize(("rule", "said", "example"), REFUSED)
async def test_rules_without_a_sensible_series_are_refused_with_an_example(
    harness: Harness, rule: str, said: str, example: str
) -> None:
    await harness.join("admin", "Dana Reyes")
    reply = await harness.say(
        "admin",
        'meeting schedule title="Office hours" date=2026-03-10 time=9am '
        f'timezone=America/Los_Angeles repeat="{rule}"',
    )
    assert reply.invalid_field == "repeat", text_of(reply)
    assert said in text_of(reply) and example in text_of(reply)
    assert await harness.storage_count("meetings") == 0


def test_refused_rules_are_refused_quickly_even_when_nothing_ever_matches() -> None:
    # dateutil alone scans day by day to the year 9999 (seconds of CPU) for this one.
    with pytest.raises(RuleError) as refused:
        check_series("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31", datetime(2026, 3, 10, 9))
    assert refused.value.reason == "never"


@pytest.mark.parametrize("day", ["9999-12-31", "2040-01-01", "1900-01-01", "2019-06-01"])
async def test_dates_far_from_today_are_refused_with_a_sentence(harness: Harness, day: str) -> None:
    await harness.join("admin", "Dana Reyes")
    reply = await harness.say(
        "admin", f'meeting schedule title="Far" date={day} time=11pm timezone=Etc/GMT+12'
    )
    assert reply.invalid_field == "date"
    assert "more than five years from today" in text_of(reply)
    assert example_day(TODAY).isoformat() in text_of(reply)


async def test_a_time_skipped_by_spring_forward_is_said_in_the_reply(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    reply = text_of(
        await harness.say(
            "admin",
            'meeting schedule title="Night shift" date=2027-03-14 time=2:30 '
            "timezone=America/Los_Angeles",
        )
    )
    assert "does not exist" in reply and "3:30" in reply, reply


async def test_an_ambiguous_fall_back_time_is_said_in_the_reply(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    reply = text_of(
        await harness.say(
            "admin",
            'meeting schedule title="Night shift" date=2026-11-01 time=1:30 '
            "timezone=America/Los_Angeles",
        )
    )
    assert "happens twice" in reply, reply


async def test_a_rule_that_skips_the_date_given_says_the_real_first_date(
    harness: Harness,
) -> None:
    await harness.join("admin", "Dana Reyes")
    reply = text_of(
        await harness.say(
            "admin",
            'meeting schedule title="Monthly" date=2026-03-10 time=9am '
            'timezone=America/Chicago repeat="2nd thursday"',
        )
    )
    assert "first meeting is on Thursday, March 12, 2026" in reply, reply
    assert "Monthly, on the second Thursday" in reply
    assert "Repeats: Repeats" not in reply


async def test_an_ordinary_start_gets_no_note(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    reply = text_of(
        await harness.say(
            "admin",
            'meeting schedule title="Weekly" date=2026-03-10 time=9am '
            "timezone=America/Chicago repeat=weekly",
        )
    )
    assert "Scheduled" in reply
    assert "does not" not in reply and "twice" not in reply


ZONES = {
    "America/New_York": ["Eastern", "eastern time", "ET", "EST", "edt", "US/Eastern",
                         "Eastern Time (US & Canada)", "hora del este", "Hora del Este",
                         "  EASTERN  "],
    "America/Chicago": ["Central", "CT", "cst", "US/Central", "hora del centro", "Central Time"],
    "America/Denver": ["Mountain", "MT", "MST", "US/Mountain", "Hora de la Montaña"],
    "America/Los_Angeles": ["Pacific", "PT", "PST", "pdt", "US/Pacific", "Pacific Time",
                            "hora del pacífico", "Hora del Pacifico"],
    "America/Phoenix": ["Arizona", "US/Arizona"],
    "America/Anchorage": ["Alaska", "AKST", "US/Alaska"],
    "Pacific/Honolulu": ["Hawaii", "HST", "US/Hawaii", "Hawái"],
    "Europe/London": ["europe/london", "Europe/London"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "zone"), [(typed, zone) for zone, names in ZONES.items() for typed in names]
)
def test_time_zones_as_people_type_them_are_stored_as_iana_names(typed: str, zone: str) -> None:
    assert canonical_timezone(typed) == zone


async def test_a_zone_name_is_accepted_in_a_command_and_stored_as_iana(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    reply = text_of(
        await harness.say(
            "admin", 'meeting schedule title="Weekly" date=2026-03-10 time=9am timezone=Eastern'
        )
    )
    assert "America/New_York" in reply


def test_suggestions_for_a_misspelt_zone_are_those_of_the_coalition() -> None:
    assert suggest_timezones("Easten") == ["America/New_York"]
    assert suggest_timezones("Pacfic time") == ["America/Los_Angeles"]
    assert "Pacific/Yap" not in suggest_timezones("Pacifc")


async def test_an_unknown_zone_offers_us_zones_not_far_away_ones(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    reply = await harness.say("admin", "profile edit timezone=Marsian")
    assert reply.invalid_field == "timezone"
    said = text_of(reply)
    assert "America/Chicago" in said and "Asia/" not in said and "Pacific/Yap" not in said


def _dates_in(text: str, typed: str) -> list[date]:
    found = re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)
    return [date.fromisoformat(d) for d in found if d not in typed]


@pytest.mark.parametrize(
    "typed",
    [
        "help meeting schedule",
        "meeting schedule title=x date=tomorrow time=9am",
        "meeting schedule title=x date=2026-02-30 time=9am",
        "meeting view 1 occurrence=march",
    ],
)
async def test_example_dates_are_never_in_the_past(harness: Harness, typed: str) -> None:
    await harness.join("admin", "Dana Reyes")
    for shift in (0, 200, 400):
        harness.clock.set(datetime(2026, 3, 2, 15, tzinfo=UTC) + timedelta(days=shift))
        today = harness.clock.now().date()
        said = text_of(await harness.say("admin", typed))
        shown = _dates_in(said, typed)
        assert shown, said
        assert all(today < d <= today.replace(year=today.year + 1) for d in shown), said


@pytest.mark.parametrize(
    ("rule", "english", "spanish"),
    [
        ("FREQ=WEEKLY;BYDAY=TU,TH", "Every Tuesday and Thursday", "Cada martes y jueves"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "Every 2 weeks on Monday", "Cada 2 semanas, el lunes"),
        ("FREQ=MONTHLY;BYDAY=+2TH", "Monthly, on the second Thursday", "el segundo jueves"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "Every weekday", "Todos los días laborables"),
        ("FREQ=WEEKLY", "Every Tuesday", "Cada martes"),
        ("FREQ=WEEKLY;COUNT=6", "Every Tuesday, 6 times", "Cada martes, 6 veces"),
        ("FREQ=WEEKLY;UNTIL=20260601", "Every Tuesday, until Jun 1, 2026", "hasta el 1 jun 2026"),
        ("FREQ=DAILY", "Every day", "Todos los días"),
        ("FREQ=MONTHLY", "Monthly, on day 10", "Mensual, el día 10"),
        ("", "Does not repeat", "No se repite"),
    ],
)
def test_rules_are_shown_in_plain_words(rule: str, english: str, spanish: str) -> None:
    start = datetime(2026, 3, 10, 9)  # a Tuesday
    assert describe_rule(translator("en"), rule, start) == english
    assert spanish in describe_rule(translator("es"), rule, start)


@pytest.mark.parametrize(
    "typed",
    ["weekly", "every 2 weeks", "2nd thursday", "last friday", "daily", "monthly",
     "FREQ=WEEKLY;BYDAY=TU,TH", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "FREQ=WEEKLY;COUNT=10",
     "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR", "FREQ=YEARLY"],
)  # fmt: skip
def test_every_rule_people_use_is_accepted_and_never_shown_as_code_twice(typed: str) -> None:
    rule = parse_repeat(typed)
    start = datetime(2026, 3, 10, 9)
    check_series(rule, start)
    words = describe_rule(translator("en"), rule, start)
    assert not words.startswith("Repeats")
    meeting = Meeting(1, "x", start, "America/Chicago", 60, "a", rule=rule)
    assert first_start(meeting) is not None


async def test_moving_one_occurrence_into_a_skipped_hour_is_said(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    await harness.say(
        "admin",
        'meeting schedule title="Sundays" date=2027-03-07 time=9am '
        "timezone=America/Los_Angeles repeat=weekly",
    )
    reply = text_of(
        await harness.say("admin", "meeting edit 1 scope=this occurrence=2027-03-14 time=2:30")
    )
    assert "Moved" in reply and "does not exist" in reply, reply


async def test_editing_a_series_into_a_repeated_hour_is_said(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    await harness.say(
        "admin", 'meeting schedule title="Once" date=2026-11-01 time=9am timezone=America/Chicago'
    )
    reply = text_of(await harness.say("admin", "meeting edit 1 time=1:30"))
    assert "Saved" in reply and "happens twice" in reply, reply
