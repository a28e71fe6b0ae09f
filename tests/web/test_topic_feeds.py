"""Meetings' topics: chosen from `[lists] topics` (the closest suggested for a typo), shown
on /meetings with a feed per topic, /calendar/topic/{slug}.ics read by `ical`."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import ClientResponse
from hypothesis import given
from hypothesis import strategies as st
from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream

from bot.meetings.topics import topic_of_slug, topic_slug
from storage import Storage
from tests.harness import Harness, text_of
from tests.web.meetings_support import announced, dana_signed_in
from tests.web.support import web_client

WEEKLY = (
    'meeting schedule title="Housing office hours" date=2026-03-05 time=9am '
    'timezone=America/Los_Angeles repeat="FREQ=WEEKLY;COUNT=4" topics="housing, climate & health"'
)
WEBINAR = 'meeting schedule title="Open webinar" date=2026-03-10 time=1pm timezone=America/Chicago'


def read(content: str) -> IcalCalendar:
    return IcsCalendarStream.calendar_from_ics(content)


async def two_meetings(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    for line in (WEEKLY, WEBINAR):
        reply = await harness.say("admin", line)
        assert reply.invalid_field is None, text_of(reply)


async def test_topics_are_the_listed_ones_and_a_typo_gets_the_closest(harness_on: Harness) -> None:
    await two_meetings(harness_on)
    async with harness_on.storage.unit_of_work() as uow:
        meeting = await uow.meetings.get(1)
    assert meeting is not None and meeting.topics == ("Housing", "Climate & Health")
    view = text_of(await harness_on.say("admin", "meeting view 1"))
    assert "Topics" in view and "Housing, Climate & Health" in view  # the chat shows them
    typo = await harness_on.say("admin", "meeting edit 2 topics=Hosing")
    assert typo.invalid_field == "topics"
    assert "Hosing" in text_of(typo) and "Did you mean" in text_of(typo)
    assert "topics=Housing" in text_of(typo)
    unknown = await harness_on.say("admin", "meeting edit 2 topics=zzzz")
    assert unknown.invalid_field == "topics" and "Choose from: Health Equity" in text_of(unknown)
    assert "Saved" in text_of(await harness_on.say("admin", "meeting edit 2 topics=workforce"))
    assert "Saved" in text_of(await harness_on.say("admin", "meeting edit 1 topics=none"))
    async with harness_on.storage.unit_of_work() as uow:
        first, second = await uow.meetings.get(1), await uow.meetings.get(2)
    assert first is not None and first.topics == ()
    assert second is not None and second.topics == ("Workforce",)


async def test_the_sessions_page_shows_topics_and_their_feeds(harness_on: Harness) -> None:
    await two_meetings(harness_on)
    async with web_client(harness_on) as client:
        page = await (await client.get("/meetings")).text()
    assert "Topics: Housing, Climate &amp; Health" in page
    for slug in ("housing", "climate-health"):
        assert f'href="webcal://localhost:8080/calendar/topic/{slug}.ics"' in page
        assert f'href="http://localhost:8080/calendar/topic/{slug}.ics"' in page
    assert "/calendar/topic/workforce.ics" not in page  # no session is about it


async def test_a_topic_feed_holds_its_meetings_with_etag_and_304(harness_on: Harness) -> None:
    await two_meetings(harness_on)
    async with web_client(harness_on) as client:
        first = await client.get("/calendar/topic/climate-health.ics")
        assert first.status == 200 and first.headers["Content-Type"].startswith("text/calendar")
        calendar = read(await first.text())
        tag = first.headers["ETag"]
        again = await client.get(
            "/calendar/topic/climate-health.ics", headers={"If-None-Match": tag}
        )
        assert again.status == 304 and await again.read() == b""
        whole = await client.get("/calendar.ics")
        assert whole.headers["ETag"] != tag  # another feed, another version
        for path in ("/calendar/topic/nothing.ics", "/calendar/topic/" + "x" * 5000 + ".ics"):
            missing = await client.get(path)
            assert missing.status == 404 and "Page not found" in await missing.text()
        await harness_on.say("admin", 'meeting edit 2 topics="Climate & Health"')
        changed = await client.get(
            "/calendar/topic/climate-health.ics", headers={"If-None-Match": tag}
        )
        assert changed.status == 200 and changed.headers["ETag"] != tag
        both = read(await changed.text())
    assert {e.uid for e in calendar.events} == {"meeting-1@coalition-bot"}
    (series,) = calendar.events
    assert series.categories == ["Housing", "Climate & Health"]
    starts = [e.start for e in calendar.timeline_tz(UTC)]
    assert len(starts) == 4 and starts[0] == datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
    assert {e.uid for e in both.events} == {"meeting-1@coalition-bot", "meeting-2@coalition-bot"}


@given(st.text(min_size=1, max_size=60).filter(lambda t: t.strip()))
def test_every_topic_has_an_address_safe_slug_that_finds_it(topic: str) -> None:
    slug = topic_slug(topic)
    assert slug and all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert topic_of_slug(slug, ("Other", topic)) in ("Other", topic)
    assert topic_of_slug(slug, (topic,)) == topic


async def test_the_dashboard_edits_topics_through_the_chat_edit(storage: Storage) -> None:
    harness, _ = await announced(storage)
    async with web_client(harness) as client:
        csrf = await dana_signed_in(client, harness)

        async def edit(topics: str) -> ClientResponse:
            form = {"csrf": csrf, "topics": topics, "public_shown": "yes"}
            return await client.post("/dashboard/meetings/1/edit", data=form)

        typo = await edit("Hosing")
        page = await typo.text()
        assert typo.status == 400 and "Did you mean" in page
        assert (
            'value="Hosing" aria-describedby="topics-hint edit-problem" aria-invalid="true"' in page
        )
        assert (await edit("housing, workforce")).status == 200
        assert await topics_of(harness) == ("Housing", "Workforce")
        shown = await (await client.get("/dashboard/meetings/1")).text()
        assert 'id="topics" name="topics" value="Housing, Workforce"' in shown
        assert (await edit("")).status == 200
        assert await topics_of(harness) == ()


async def topics_of(harness: Harness) -> tuple[str, ...]:
    async with harness.storage.unit_of_work() as uow:
        meeting = await uow.meetings.get(1)
    assert meeting is not None
    return meeting.topics
