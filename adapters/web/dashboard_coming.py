"""The dashboard's list of coming meetings: their dates worked out once per version of the
meetings and per hour, and kept in the process.

Working out the dates of a thousand series (and reading them) was most of the
meetings page's time, on every request, though they change only when a meeting
does. So the dates are kept, named by

- the meetings' version (storage/meetings.py `bump_meetings`), raised in the same
  transaction as every change the list shows (a meeting scheduled, edited or
  cancelled; one date moved or cancelled), and read on every request in one
  primary-key lookup before anything else: a replica never shows a list older than
  the last commit it can see, and there is nothing to expire or to tell the others;
- the hour the request falls in: the dates are worked out from the start of that
  hour, and each request keeps those not yet over at its own moment.

Only meetings and their dates are kept, nothing of a person: the answers are counted
for each request (dashboard_meetings.py).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from aiohttp import web

from adapters.web.kept import Kept
from bot.meetings.model import Meeting, Occurrence, OccurrenceChange
from bot.meetings.public import AHEAD
from bot.meetings.recurrence import next_occurrences
from bot.ports import UnitOfWork

# The list: each meeting's next dates, and at most this many rows in all.
PER_MEETING = 3
LISTED = 100
# Nearer windows tried before the year (AHEAD): one usually fills the page.
NEARER = (timedelta(days=14), timedelta(days=60))
# The dates are worked out from the start of the hour, so that they serve all of it.
BUCKET = timedelta(hours=1)
# A meeting lasts at most a day, so one under way started within the day before.
LONGEST = timedelta(days=1)
KEEP = 4  # (version, hour) pairs kept: the current one and a few a slow reader may ask

Pairs = list[tuple[Meeting, Mapping[date, OccurrenceChange]]]
Rows = list[tuple[Meeting, Occurrence]]


@dataclass
class Expanded:
    """The meetings active around one hour, and their dates worked out per window."""

    pairs: Pairs
    found: dict[timedelta, Rows] = field(default_factory=dict)


@dataclass
class ComingStore:
    """Dates worked out by (meetings' version, hour); `made` counts windows worked out
    (for the benchmark and tests: a kept one makes none)."""

    kept: Kept[tuple[int, datetime], Expanded] = field(default_factory=lambda: Kept(KEEP))
    made: int = 0
    # Readers arriving together after a change wait for one of them to work it out.
    working: asyncio.Lock = field(default_factory=asyncio.Lock)


COMING = web.AppKey("dashboard_coming", ComingStore)


def hour_of(now: datetime) -> datetime:
    seconds = BUCKET.total_seconds()
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, UTC)


async def coming(uow: UnitOfWork, store: ComingStore, now: datetime) -> Rows:
    """Each meeting's next few dates within a year, soonest first (one under way counts):
    a weekly series does not push every other meeting off the page."""
    # The version first: what is read after it is at least as new, so a list kept under
    # a version is never older than it.
    key = (await uow.meetings.version(), hour_of(now))
    # Working out a year of dates for every meeting is costly, and the page shows only
    # the first LISTED. The rows starting before a nearer horizon are the same as the
    # year's rows starting before it (a meeting's earlier dates are within it too, so
    # its PER_MEETING count is the same); so when the near window fills the page, its
    # rows are the page, and the year is never worked out.
    for horizon in (*NEARER, AHEAD):
        found = await _window(uow, store, key, horizon)
        shown = _first(found, now)
        if len(shown) >= LISTED:
            break
    return shown


async def _window(
    uow: UnitOfWork, store: ComingStore, key: tuple[int, datetime], horizon: timedelta
) -> Rows:
    expanded = store.kept.get(key)
    if expanded is not None and horizon in expanded.found:
        return expanded.found[horizon]
    async with store.working:
        expanded = store.kept.get(key)
        if expanded is None:
            expanded = store.kept.put(key, Expanded(await _active(uow, key[1])))
        if horizon not in expanded.found:
            hour = key[1]
            # The year's window reaches the end of the hour, for a request late in it.
            until = hour + horizon + (BUCKET if horizon == AHEAD else timedelta())
            expanded.found[horizon] = next_occurrences(expanded.pairs, hour - LONGEST, until)
            store.made += 1
        return expanded.found[horizon]


async def _active(uow: UnitOfWork, hour: datetime) -> Pairs:
    meetings = await uow.meetings.active(hour - LONGEST, hour + BUCKET + AHEAD)
    changes = await uow.meetings.changes([m.id for m in meetings]) if meetings else {}
    return [(m, changes.get(m.id, {})) for m in meetings]


def _first(found: Rows, now: datetime) -> Rows:
    """The first LISTED rows not over at `now`, at most PER_MEETING of each meeting.

    `found` starts at the hour's start less a day: a date that began before `now` less
    a day is over, and a date under way began after it. Those starting a year after
    `now` or later are left out (the year's window reaches the end of the hour).
    """
    until = now + AHEAD
    shown: Rows = []
    per_meeting: Counter[int] = Counter()
    for meeting, occurrence in found:
        if occurrence.start >= until:
            break
        if occurrence.end > now and per_meeting[meeting.id] < PER_MEETING:
            per_meeting[meeting.id] += 1
            shown.append((meeting, occurrence))
            if len(shown) == LISTED:
                break
    return shown
