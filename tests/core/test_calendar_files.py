"""Every calendar file the bot makes, read back by a second, independent parser (`ical`).

icalendar writes the files; `ical` is strict about RFC 5545 (DTSTAMP, UID, UNTIL
in UTC beside a zoned start), so a file it reads is one calendars will take.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream

from bot.meetings.calendar import build_ics
from bot.meetings.model import Meeting, Occurrence, OccurrenceChange
from bot.meetings.recurrence import first_start, occurrences, parse_repeat
from bot.timezones import to_utc
from tests.harness import Harness, text_of

STAMP = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def read(content: bytes) -> IcalCalendar:
    return IcsCalendarStream.calendar_from_ics(content.decode())


def at(value: date | datetime) -> datetime:
    """`ical` types starts as date or date-time; the bot's are always date-times."""
    assert isinstance(value, datetime)
    return value


def first_occurrence(meeting: Meeting) -> Occurrence:
    start = first_start(meeting)
    assert start is not None
    return Occurrence(meeting.id, start.date(), start, start + timedelta(minutes=meeting.duration))


def weekly() -> Meeting:
    return Meeting(
        4,
        "Office hours; Q&A, \\ notes",
        datetime(2026, 3, 5, 9, 0),
        "America/Los_Angeles",
        60,
        "announcements",
        link="https://zoom.us/j/1",
        agenda="Line one\nLine two, with a comma; and a semicolon",
        rule="FREQ=WEEKLY;UNTIL=20260521",
    )


def test_a_single_meeting_has_every_required_property() -> None:
    meeting = Meeting(1, "Kick-off", datetime(2026, 4, 1, 14, 30), "America/Chicago", 90, "a")
    calendar = read(build_ics(meeting, first_occurrence(meeting), series=False, stamp=STAMP))
    (event,) = calendar.events
    assert event.uid == "meeting-1@coalition-bot"
    assert event.dtstamp == STAMP
    assert event.start == datetime(2026, 4, 1, 14, 30, tzinfo=ZoneInfo("America/Chicago"))
    assert event.end - event.start == timedelta(minutes=90)
    assert [tz.tz_id for tz in calendar.timezones] == ["America/Chicago"]


def test_a_series_with_a_cancelled_and_a_moved_occurrence() -> None:
    meeting = weekly()
    zone = ZoneInfo(meeting.timezone)
    moved_to = datetime(2026, 3, 20, 11, 0, tzinfo=zone).astimezone(UTC)
    changes = {
        date(2026, 3, 12): OccurrenceChange(date(2026, 3, 12), cancelled=True),
        date(2026, 3, 19): OccurrenceChange(date(2026, 3, 19), start=moved_to),
    }
    content = build_ics(
        meeting, first_occurrence(meeting), series=True, stamp=STAMP, changes=changes
    )
    calendar = read(content)
    series, moved = calendar.events
    assert series.uid == moved.uid == "meeting-4@coalition-bot"
    assert series.dtstamp == moved.dtstamp == STAMP
    assert series.rrule is not None and series.rrule.until is not None
    assert at(series.rrule.until).tzinfo is not None  # UTC, as RFC 5545 wants beside a TZID start
    assert series.exdate == [datetime(2026, 3, 12, 9, 0, tzinfo=zone)]
    assert moved.recurrence_id == "20260319T090000"
    assert [tz.tz_id for tz in calendar.timezones] == ["America/Los_Angeles"]
    # The calendar's own expansion agrees with the bot's.
    shown = [at(e.start) for e in calendar.timeline_tz(zone)]
    ours = occurrences(
        meeting, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), changes
    )
    assert shown == [o.start.astimezone(zone) for o in ours]
    assert datetime(2026, 3, 20, 11, 0, tzinfo=zone) in shown
    assert all(s.hour == 9 for s in shown if s.date() != date(2026, 3, 20))


async def test_the_command_gives_files_that_parse(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    scheduled = await harness.say(
        "admin",
        'meeting schedule title="Office hours" date=2026-03-05 time=9am '
        'timezone=Pacific repeat="FREQ=WEEKLY;COUNT=8"',
    )
    assert "Scheduled" in text_of(scheduled)
    await harness.say("admin", "meeting cancel 1 occurrence=2026-03-12")
    await harness.say("admin", "meeting edit 1 scope=this occurrence=2026-03-19 time=11:00")
    for typed in ("meeting ics 1", "meeting ics 1 series=yes"):
        reply = await harness.say("admin", typed)
        assert reply.message is not None
        calendar = read(reply.message.attachments[0].content)
        assert calendar.events and all(e.dtstamp == harness.clock.now() for e in calendar.events)
    assert len(calendar.events) == 2 and calendar.events[0].exdate


ZONES = ["America/Los_Angeles", "America/New_York", "Pacific/Honolulu", "Europe/London", "UTC"]
RULES = ["", "weekly", "every 2 weeks", "2nd thursday", "last friday", "daily", "monthly"]
RULES += ["FREQ=WEEKLY;BYDAY=TU,TH;COUNT=12", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270101"]


@settings(max_examples=30, deadline=None)
@given(
    title=st.text(min_size=1, max_size=60),
    agenda=st.text(max_size=120),
    day=st.dates(date(2026, 3, 3), date(2028, 12, 31)),
    minute=st.integers(0, 24 * 60 - 1),
    zone=st.sampled_from(ZONES),
    typed=st.sampled_from(RULES),
    duration=st.integers(1, 24 * 60),
    cancelled=st.sets(st.integers(1, 6), max_size=3),
)
def test_any_meeting_gives_a_file_that_parses(
    title: str,
    agenda: str,
    day: date,
    minute: int,
    zone: str,
    typed: str,
    duration: int,
    cancelled: set[int],
) -> None:
    start = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
    rule = parse_repeat(typed)
    meeting = Meeting(9, title, start, zone, duration, "a", agenda=agenda, rule=rule)
    assume(first_start(meeting) is not None)  # scheduling refuses a rule that ended already
    first = first_occurrence(meeting)
    later = occurrences(meeting, first.start, first.start + timedelta(days=120))
    changes = {
        o.key: OccurrenceChange(o.key, cancelled=True)
        for n, o in enumerate(later)
        if n in cancelled
    }
    for series in (False, True):
        calendar = read(build_ics(meeting, first, series=series, stamp=STAMP, changes=changes))
        assert calendar.events
        for event in calendar.events:
            assert event.dtstamp == STAMP and event.uid and event.start
            assert at(event.start).astimezone(UTC) in {first.start, to_utc(start, zone)}
        if series and rule:
            assert len(calendar.events[0].exdate) == len(changes)
