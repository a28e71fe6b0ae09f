"""The dashboard's meeting list keeps its dates per process, named by the meetings'
version and the hour: a change shows at the next view, on this instance or another,
and a view within the hour works nothing out again."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from adapters.web.dashboard_coming import (
    COMING,
    LISTED,
    PER_MEETING,
    ComingStore,
    coming,
)
from bot.meetings.model import Meeting
from bot.meetings.public import AHEAD
from bot.meetings.recurrence import next_occurrences
from storage import Storage
from tests.harness import text_of
from tests.web.dashboard_support import Client
from tests.web.meetings_support import TITLE, announced, dana_signed_in
from tests.web.support import web_client

ROW = re.compile(r'href="/dashboard/meetings/(\d+)#on-([0-9-]+)">([^<]*)<')


async def rows_of(client: Client) -> list[tuple[str, str, str]]:
    page = await (await client.get("/dashboard/meetings")).text()
    return ROW.findall(page)


async def test_a_change_shows_at_the_next_view_of_the_list(storage: Storage) -> None:
    harness, _ = await announced(storage)
    async with web_client(harness) as client:
        csrf = await dana_signed_in(client, harness)
        store = client.app[COMING]
        first = await rows_of(client)
        assert [r[1] for r in first] == ["2026-03-05", "2026-03-12", "2026-03-19"]
        made = store.made
        assert await rows_of(client) == first and store.made == made  # kept, not worked out
        await client.post("/dashboard/meetings/1/edit", data={"csrf": csrf, "title": "Heat hours"})
        assert {r[2] for r in await rows_of(client)} == {"Heat hours"}
        await client.post(
            "/dashboard/meetings/1/cancel", data={"csrf": csrf, "occurrence": "2026-03-05"}
        )
        assert [r[1] for r in await rows_of(client)] == ["2026-03-12", "2026-03-19", "2026-03-26"]
        await client.post("/dashboard/meetings/1/cancel", data={"csrf": csrf, "confirm": "yes"})
        assert await rows_of(client) == []


async def test_a_change_made_elsewhere_shows_on_every_instance(storage: Storage) -> None:
    """Two web instances over one database, and the chat: each list shows the last commit."""
    harness, _ = await announced(storage)
    async with web_client(harness) as one, web_client(harness) as other:
        await dana_signed_in(one, harness)
        csrf = await dana_signed_in(other, harness)
        assert {r[2] for r in await rows_of(one)} == {TITLE}
        assert {r[2] for r in await rows_of(other)} == {TITLE}
        await other.post("/dashboard/meetings/1/edit", data={"csrf": csrf, "title": "Heat hours"})
        assert {r[2] for r in await rows_of(one)} == {"Heat hours"}
        reply = await harness.say("dana", 'meeting edit 1 title="Summer hours"')
        assert "Saved" in text_of(reply), text_of(reply)
        for client in (one, other):
            assert {r[2] for r in await rows_of(client)} == {"Summer hours"}
        reply = await harness.say(
            "dana",
            'meeting schedule title="Annual summit" date=2026-03-04 time=10am timezone=UTC',
        )
        assert "Scheduled" in text_of(reply), text_of(reply)
        for client in (one, other):
            assert (await rows_of(client))[0][1:] == ("2026-03-04", "Annual summit")


def expected(meetings: list[Meeting], now: datetime) -> list[tuple[int, datetime]]:
    """The list as worked out from scratch at `now`: the year's dates not over yet,
    a meeting's first PER_MEETING, the first LISTED."""
    year = next_occurrences([(m, {}) for m in meetings], now - timedelta(days=1), now + AHEAD)
    per_meeting: Counter[int] = Counter()
    rows = []
    for meeting, occurrence in year:
        if occurrence.end > now and per_meeting[meeting.id] < PER_MEETING:
            per_meeting[meeting.id] += 1
            rows.append((meeting.id, occurrence.start))
    return rows[:LISTED]


async def test_dates_kept_for_the_hour_are_the_dates_at_each_moment(storage: Storage) -> None:
    """Worked out at the start of the hour, the list later in it leaves out what has
    ended meanwhile, and is what working it all out at that moment gives: with fewer
    rows than the page holds (the year worked out), then more (two weeks are enough)."""
    at = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    for first, last in ((0, 45), (45, 150)):
        async with storage.unit_of_work() as uow:
            for n in range(first, last):
                # Every 20 minutes from 13:00, some lasting 30 minutes, some a day.
                start = datetime(2026, 3, 2, 13, 0) + timedelta(minutes=20 * n)
                rule = ("FREQ=DAILY", "FREQ=WEEKLY", "")[n % 3]
                duration = (30, 90, 1440)[n % 3 if n % 5 else 2]
                meeting = Meeting(0, f"M{n}", start, "UTC", duration, "a", rule=rule)
                await uow.meetings.add(meeting, at=at)
            await uow.commit()
        async with storage.reading() as uow:
            meetings = await uow.meetings.active(at - timedelta(days=2), at + AHEAD)
        store = ComingStore()
        for minutes in (0, 10, 31, 59, 60, 95):
            now = at + timedelta(minutes=minutes)
            async with storage.reading() as uow:
                shown = await coming(uow, store, now)
            assert [(m.id, o.start) for m, o in shown] == expected(meetings, now), minutes
        assert len(store.kept) == 2  # 15:00 and 16:00
        # Each window worked out once an hour at most; with a full page, only two weeks.
        assert store.made <= (2 * 3 if last < LISTED else 2), store.made
        assert len(shown) == min(LISTED, len(expected(meetings, now)))


async def test_a_title_is_text_in_the_kept_rows_too(storage: Storage) -> None:
    harness, _ = await announced(storage)
    async with web_client(harness) as client:
        csrf = await dana_signed_in(client, harness)
        title = 'Heat <b onclick="x()">hours</b> & more'
        await client.post("/dashboard/meetings/1/edit", data={"csrf": csrf, "title": title})
        for _ in range(2):  # made, then kept
            page = await (await client.get("/dashboard/meetings?lang=es")).text()
            assert "<b onclick" not in page
            shown = "Heat &lt;b onclick=&#34;x()&#34;&gt;hours&lt;/b&gt; &amp; more"
            assert page.count(f"{shown}<span") == 3, page
            assert 'href="/dashboard/meetings/1?lang=es#on-2026-03-05"' in page
