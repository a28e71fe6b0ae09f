"""The feeds' ETags come from the meetings' version row (raised with every meeting
change, in its transaction), the day, and for a personal feed the member's answers:
a 304 reads those and makes nothing, on both databases."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.web.calendar_feed import MADE
from storage import Storage
from tests.harness import Harness
from tests.statements import queries, statements
from tests.web.support import web_client
from tests.web.test_calendar_feed import changed_series
from tests.web.test_personal_feed import answer, answered, feed_path

Client = TestClient[web.Request, web.Application]
FEEDS = ("/calendar.ics", "/meetings/1.ics")


async def tags(client: Client, paths: tuple[str, ...] = FEEDS) -> list[str]:
    found = []
    for path in paths:
        response = await client.get(path)
        assert response.status == 200, path
        found.append(response.headers["ETag"])
    return found


async def test_every_kind_of_meeting_change_changes_the_etags(harness_on: Harness) -> None:
    await changed_series(harness_on)
    async with web_client(harness_on) as client:
        for line in (
            'meeting schedule title="Board" date=2026-04-01 time=10am timezone=America/Chicago',
            'meeting edit 1 title="Office hours, renamed"',
            "meeting edit 1 public=yes",
            "meeting cancel 1 occurrence=2026-03-26",
            "meeting edit 1 scope=this occurrence=2026-04-02 time=10:00",
            "meeting cancel 3",
        ):
            before = await tags(client)
            reply = await harness_on.say("admin", line)
            assert reply.invalid_field is None, line
            if reply.message is not None and reply.message.buttons and "cancel 3" in line:
                await harness_on.click("admin", reply.message.buttons[0])  # confirm
            after = await tags(client)
            assert all(b != a for b, a in zip(before, after, strict=True)), line


async def test_an_answer_leaves_the_coalitions_feed_as_it_was(harness_on: Harness) -> None:
    await changed_series(harness_on)
    await harness_on.join("maria", "Maria Lopez")
    async with web_client(harness_on) as client:
        before = await tags(client)
        await answer(harness_on, "maria", 1, "2026-03-05", "going")
        assert await tags(client) == before


async def test_a_304_reads_the_version_and_makes_no_feed(harness_on: Harness) -> None:
    await changed_series(harness_on)
    async with web_client(harness_on) as client:
        store = client.app[MADE]
        for path, tag in zip(FEEDS, await tags(client), strict=True):
            store.feeds.clear()
            made = store.made
            with statements(harness_on.storage) as sent:
                again = await client.get(path, headers={"If-None-Match": tag})
            assert again.status == 304 and again.headers["ETag"] == tag, path
            assert store.made == made and not store.feeds, path  # nothing built
            assert sent and all("from meetings " not in s for s in sent), sent
            assert any("meetings_version" in s for s in sent)


async def test_the_whole_feed_gets_a_new_etag_on_a_new_day(harness_on: Harness) -> None:
    """What it holds depends on the time only through which day it is (a year back
    from the start of today, in the coalition's zone)."""
    await changed_series(harness_on)
    async with web_client(harness_on) as client:
        (tag,) = await tags(client, ("/calendar.ics",))
        harness_on.clock.advance(timedelta(hours=2))  # 11:00 in Chicago: the same day
        assert await tags(client, ("/calendar.ics",)) == [tag]
        harness_on.clock.advance(timedelta(days=1))
        assert await tags(client, ("/calendar.ics",)) != [tag]


async def test_a_personal_304_makes_no_feed_and_follows_answers_and_meetings(
    storage: Storage,
) -> None:
    harness = await answered(storage)
    path = await feed_path(harness, "maria")
    async with web_client(harness) as client:
        store = client.app[MADE]
        (tag,) = await tags(client, (path,))
        made = store.made
        with statements(storage) as sent:
            again = await client.get(path, headers={"If-None-Match": tag})
        assert again.status == 304 and store.made == made
        # The feed with its member's status, and the version row.
        assert len(queries(sent)) == 2, sent
        assert all("meeting_rsvps" not in s and "from meetings " not in s for s in sent)
        await answer(harness, "dana", 1, "2026-03-05", "going")  # not Maria's
        assert await tags(client, (path,)) == [tag]
        await answer(harness, "maria", 1, "2026-03-26", "maybe")
        (after_answer,) = await tags(client, (path,))
        assert after_answer != tag
        await harness.say("admin", 'meeting edit 2 title="Open webinar, renamed"')
        assert await tags(client, (path,)) != [after_answer]
