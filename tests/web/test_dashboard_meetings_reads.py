"""The dashboard's meeting list reads every row's answer counts at once: its statements
do not grow with the number of meetings listed."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from adapters.web.dashboard_coming import COMING, LISTED, PER_MEETING, ComingStore, coming
from bot.meetings.model import Answer, Meeting
from bot.meetings.public import AHEAD
from bot.meetings.recurrence import next_occurrences
from storage import Storage
from tests.harness import text_of
from tests.statements import statements
from tests.web.meetings_support import announced, dana_signed_in
from tests.web.support import web_client


async def test_the_meeting_list_reads_no_more_with_more_meetings(storage: Storage) -> None:
    harness, _ = await announced(storage)
    async with web_client(harness) as client:
        await dana_signed_in(client, harness)
        kept = client.app[COMING].kept
        kept.clear()  # both views work the dates out: the meetings are read
        with statements(storage) as few:
            first = await (await client.get("/dashboard/meetings")).text()
        for n in range(4):
            reply = await harness.say(
                "dana",
                f'meeting schedule title="Series {n}" date=2026-03-0{n + 6} time=10am '
                "timezone=UTC repeat=weekly",
            )
            assert "Scheduled" in text_of(reply), text_of(reply)
        kept.clear()
        with statements(storage) as many:
            second = await (await client.get("/dashboard/meetings")).text()
    rows = re.compile(r'href="/dashboard/meetings/\d+#on-')
    assert len(rows.findall(first)) == 3 and len(rows.findall(second)) == 15
    assert len(many) == len(few), many
    # The counts are still each row's own: Maria is going to the first date only.
    counts = r'on-{}">Office hours[^\n]*</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>'
    assert re.findall(counts.format("2026-03-05"), second) == [("1", "0", "0")]
    assert re.findall(counts.format("2026-03-12"), second) == [("0", "0", "0")]


async def test_counts_of_many_occurrences_match_one_at_a_time(storage: Storage) -> None:
    harness, _ = await announced(storage)
    asked = [(1, date(2026, 3, 5)), (1, date(2026, 3, 12)), (2, date(2026, 3, 5))]
    async with harness.storage.unit_of_work() as uow:
        together = await uow.rsvps.counts_of(asked)
        one_by_one = {key: await uow.rsvps.counts(*key) for key in asked}
    assert together == one_by_one
    assert together[1, date(2026, 3, 5)][Answer.GOING] == 1
    assert sum(together[1, date(2026, 3, 12)].values()) == 0
    async with harness.storage.unit_of_work() as uow:
        assert await uow.rsvps.counts_of([]) == {}


async def test_a_full_page_from_the_near_window_is_the_years_first_rows(storage: Storage) -> None:
    """With more meetings than the list shows, the rows worked out for the next two weeks
    are the first rows of the whole year: the soonest, a series' first three dates."""
    now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    async with storage.unit_of_work() as uow:
        for n in range(60):
            start = datetime(2026, 3, 2, 9, 0) + timedelta(hours=n)
            rule = ("FREQ=DAILY", "FREQ=WEEKLY", "")[n % 3]
            await uow.meetings.add(Meeting(0, f"M{n}", start, "UTC", 60, "a", rule=rule), at=now)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        shown = await coming(uow, ComingStore(), now)
        meetings = await uow.meetings.active(now - timedelta(days=1), now + AHEAD)
    year = next_occurrences([(m, {}) for m in meetings], now - timedelta(days=1), now + AHEAD)
    per_meeting: Counter[int] = Counter()
    expected = []
    for meeting, occurrence in year:
        if occurrence.end > now and per_meeting[meeting.id] < PER_MEETING:
            per_meeting[meeting.id] += 1
            expected.append((meeting.id, occurrence.start))
    assert len(expected) > LISTED
    assert [(m.id, o.start) for m, o in shown] == expected[:LISTED]
