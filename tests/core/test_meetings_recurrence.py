"""Recurrence in the meeting's own zone: DST, monthly Nth weekday, cancelled and moved dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.meetings.model import Meeting, OccurrenceChange
from bot.meetings.recurrence import RuleError, occurrences, parse_repeat
from bot.timezones import to_local


def weekly(zone: str, first: datetime, rule: str = "FREQ=WEEKLY") -> Meeting:
    return Meeting(1, "Office hours", first, zone, 60, "announcements", rule=rule)


def test_weekly_9am_los_angeles_stays_9am_across_both_changes() -> None:
    meeting = weekly("America/Los_Angeles", datetime(2026, 2, 26, 9, 0))
    found = occurrences(
        meeting, datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)
    )
    local_hours = {to_local(o.start, meeting.timezone).hour for o in found}
    assert local_hours == {9}
    by_day = {o.key: o.start.hour for o in found}
    assert by_day[date(2026, 3, 5)] == 17  # PST, UTC-8
    assert by_day[date(2026, 3, 12)] == 16  # PDT from March 8, UTC-7
    assert by_day[date(2026, 10, 29)] == 16
    assert by_day[date(2026, 11, 5)] == 17  # PST again from November 1


def test_europe_london_keeps_wall_time_over_its_own_changes() -> None:
    meeting = weekly("Europe/London", datetime(2026, 3, 19, 14, 30))
    found = occurrences(
        meeting, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    )
    starts = {o.key: o.start for o in found}
    assert starts[date(2026, 3, 26)].hour == 14  # GMT
    assert starts[date(2026, 4, 2)].hour == 13  # BST from March 29
    assert starts[date(2026, 10, 22)].hour == 13
    assert starts[date(2026, 10, 29)].hour == 14  # GMT from October 25
    assert {to_local(s, meeting.timezone).strftime("%H:%M") for s in starts.values()} == {"14:30"}


def test_monthly_second_thursday() -> None:
    rule = parse_repeat("2nd Thursday")
    assert rule == "FREQ=MONTHLY;BYDAY=+2TH"
    meeting = weekly("America/Chicago", datetime(2026, 1, 1, 10, 0), rule)
    found = occurrences(meeting, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
    assert [o.key for o in found] == [
        date(2026, 1, 8),
        date(2026, 2, 12),
        date(2026, 3, 12),
        date(2026, 4, 9),
    ]


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("none", ""),
        ("weekly", "FREQ=WEEKLY"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("Every 1 week", "FREQ=WEEKLY"),
        ("last friday", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("monthly on the 3rd tuesday", "FREQ=MONTHLY;BYDAY=+3TU"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6"),
    ],
)
def test_repeat_choices_become_rules(typed: str, rule: str) -> None:
    assert parse_repeat(typed) == rule


@pytest.mark.parametrize(
    "typed",
    ["fortnightly-ish", "FREQ=WEEKLY;BYDAY=XX", "FREQ=HOURLY", "every 0 weeks", "FREQ=SOMETIMES"],
)
def test_malformed_rules_are_refused(typed: str) -> None:
    with pytest.raises(RuleError):
        parse_repeat(typed)


def test_cancelled_and_moved_occurrences() -> None:
    meeting = weekly("America/Los_Angeles", datetime(2026, 3, 5, 9, 0))
    moved_to = datetime(2026, 3, 13, 18, 0, tzinfo=UTC)
    changes = {
        date(2026, 3, 12): OccurrenceChange(date(2026, 3, 12), start=moved_to),
        date(2026, 3, 19): OccurrenceChange(date(2026, 3, 19), cancelled=True),
    }
    found = occurrences(
        meeting, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 31, tzinfo=UTC), changes
    )
    assert [o.key for o in found] == [date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 26)]
    moved = found[1]
    assert moved.start == moved_to and moved.moved
    assert moved.end - moved.start == timedelta(minutes=60)
