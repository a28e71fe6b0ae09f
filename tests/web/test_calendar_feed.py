"""/calendar.ics read by a second parser (`ical`): the same occurrences as the core's,
across a DST change, with a cancelled and a moved occurrence; ETag and 304; SEQUENCE."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream

from bot.meetings.recurrence import occurrences
from tests.harness import Harness
from tests.web.support import web_client

ZONE = ZoneInfo("America/Los_Angeles")
# Weekly from Thursday March 5, 2026: US clocks change on March 8.
WEEKLY = (
    'meeting schedule title="Office hours" date=2026-03-05 time=9am '
    'timezone=America/Los_Angeles link=https://zoom.us/j/111 repeat="FREQ=WEEKLY;COUNT=6"'
)


def at(value: date | datetime) -> datetime:
    """`ical` types starts as date or date-time; the bot's are always date-times."""
    assert isinstance(value, datetime)
    return value


def read(content: str) -> IcalCalendar:
    return IcsCalendarStream.calendar_from_ics(content)


async def changed_series(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    for line in (
        WEEKLY,
        "meeting cancel 1 occurrence=2026-03-12",
        "meeting edit 1 scope=this occurrence=2026-03-19 time=11:00",
        'meeting schedule title="Open webinar" date=2026-03-10 time=1pm '
        "timezone=America/Chicago link=https://zoom.us/j/222 public=yes",
    ):
        reply = await harness.say("admin", line)
        assert reply.invalid_field is None, line


async def test_the_feed_expands_to_the_cores_occurrences(harness_on: Harness) -> None:
    await changed_series(harness_on)
    async with web_client(harness_on) as client:
        response = await client.get("/calendar.ics")
        content = await response.text()
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = read(content)
    async with harness_on.storage.unit_of_work() as uow:
        meeting = await uow.meetings.get(1)
        assert meeting is not None
        changes = (await uow.meetings.changes([1]))[1]
    ours = occurrences(
        meeting, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), changes
    )
    theirs = [at(e.start) for e in calendar.timeline_tz(ZONE) if e.uid == "meeting-1@coalition-bot"]
    assert theirs == [o.start.astimezone(ZONE) for o in ours]
    assert datetime(2026, 3, 12, 9, 0, tzinfo=ZONE) not in theirs  # cancelled
    assert datetime(2026, 3, 19, 11, 0, tzinfo=ZONE) in theirs  # moved
    # 9:00 local on both sides of the DST change, so 17:00 then 16:00 UTC.
    assert {s.hour for s in theirs if s.date() != date(2026, 3, 19)} == {9}
    series = next(e for e in calendar.events if e.uid == "meeting-1@coalition-bot" and e.rrule)
    assert series.exdate == [datetime(2026, 3, 12, 9, 0, tzinfo=ZONE)]
    assert series.sequence == 2  # one cancelled occurrence, one moved
    assert series.dtstamp is not None
    assert {tz.tz_id for tz in calendar.timezones} == {"America/Los_Angeles", "America/Chicago"}
    assert "zoom.us/j/111" not in content  # a private meeting's link stays in chat
    webinar = next(e for e in calendar.events if e.uid == "meeting-2@coalition-bot")
    assert webinar.url == "https://zoom.us/j/222"


async def test_an_unchanged_feed_is_not_sent_again(harness_on: Harness) -> None:
    await changed_series(harness_on)
    async with web_client(harness_on) as client:
        first = await client.get("/calendar.ics")
        body = await first.read()
        tag = first.headers["ETag"]
        assert first.headers["Last-Modified"].endswith(" GMT")
        harness_on.clock.advance(datetime(2026, 3, 3, tzinfo=UTC) - harness_on.clock.now())
        again = await client.get("/calendar.ics", headers={"If-None-Match": tag})
        assert again.status == 304 and await again.read() == b""
        assert again.headers["ETag"] == tag
        same = await client.get("/calendar.ics")
        assert await same.read() == body  # made from stored data: the same bytes later
        await harness_on.say("admin", 'meeting edit 1 title="Office hours, renamed"')
        changed = await client.get("/calendar.ics", headers={"If-None-Match": tag})
        assert changed.status == 200 and changed.headers["ETag"] != tag
        calendar = read(await changed.text())
    series = next(e for e in calendar.events if e.uid == "meeting-1@coalition-bot" and e.rrule)
    assert series.summary == "Office hours, renamed" and series.sequence == 3


async def test_a_meeting_cancelled_whole_leaves_the_feed_with_a_new_etag(
    harness_on: Harness,
) -> None:
    await changed_series(harness_on)
    async with web_client(harness_on) as client:
        tag = (await client.get("/calendar.ics")).headers["ETag"]
        asked = await harness_on.say("admin", "meeting cancel 2")
        assert asked.message is not None
        await harness_on.click("admin", asked.message.buttons[0])  # confirm
        after = await client.get("/calendar.ics", headers={"If-None-Match": tag})
        assert after.status == 200 and after.headers["ETag"] != tag
        calendar = read(await after.text())
    assert {e.uid for e in calendar.events} == {"meeting-1@coalition-bot"}


async def test_one_meetings_feed_and_unknown_ones(harness_on: Harness) -> None:
    await changed_series(harness_on)
    async with web_client(harness_on) as client:
        one = await client.get("/meetings/2.ics")
        assert one.status == 200
        calendar = read(await one.text())
        for path in ("/meetings/99.ics", "/meetings/x.ics"):
            missing = await client.get(path)
            assert missing.status == 404 and "Page not found" in await missing.text()
    (event,) = calendar.events
    assert event.summary == "Open webinar"
