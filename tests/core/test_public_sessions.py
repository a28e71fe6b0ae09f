"""Sessions for the public pages: the nearest ones each way, as a full expansion would give."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.meetings.model import Meeting
from bot.meetings.public import AHEAD, PAST, SHOWN, sessions
from bot.meetings.recurrence import occurrences
from storage import Storage

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
RULES = ("", "FREQ=WEEKLY", "FREQ=MONTHLY;BYDAY=+2TH", "FREQ=DAILY;COUNT=3")


async def test_the_nearest_sessions_match_a_full_expansion(sqlite: Storage) -> None:
    rng = random.Random(4)
    async with sqlite.unit_of_work() as uow:
        for n in range(60):
            start = (NOW + timedelta(hours=rng.randrange(-24 * 200, 24 * 200))).replace(
                minute=0, second=0, microsecond=0, tzinfo=None
            )
            meeting = Meeting(
                0, f"M{n}", start, "America/Chicago", rng.choice((30, 90)), "a",
                rule=rng.choice(RULES),
            )  # fmt: skip
            await uow.meetings.add(meeting, at=NOW - timedelta(days=300))
        await uow.commit()
    async with sqlite.unit_of_work() as uow:
        found = await sessions(uow, NOW)
        every = await uow.meetings.active(NOW - PAST, NOW + AHEAD)
    expanded = sorted(
        ((o.start, m.id, o.end) for m in every for o in occurrences(m, NOW - PAST, NOW + AHEAD)),
    )
    upcoming = [(s, i) for s, i, end in expanded if end > NOW][:SHOWN]
    past = [(s, i) for s, i, end in reversed(expanded) if end <= NOW][:SHOWN]
    assert [(s.occurrence.start, s.meeting.id) for s in found.upcoming] == upcoming
    assert [(s.occurrence.start, s.meeting.id) for s in found.past] == past
    assert len(upcoming) == len(past) == SHOWN  # the test looks past the first window
