"""What the coalition's website shows of its meetings: sessions and the calendar feed.

Everyone may see a meeting's title, time and agenda; its join link only when the
meeting is marked public (`public=yes` when scheduling or editing).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.config import Config
from bot.meetings.calendar import build_feed
from bot.meetings.model import FOREVER, Meeting, Occurrence, OccurrenceChange
from bot.meetings.recurrence import next_occurrences
from bot.ports import UnitOfWork
from bot.timezones import to_utc, zone

# How far the pages look: a year back for the timeline, a year ahead for what is coming.
PAST = timedelta(days=365)
AHEAD = timedelta(days=365)
SHOWN = 50  # sessions a page lists each way


@dataclass(frozen=True, slots=True)
class Session:
    meeting: Meeting
    occurrence: Occurrence

    @property
    def link(self) -> str:
        """The join link, only for a meeting marked public."""
        return self.meeting.link if self.meeting.public else ""


@dataclass(frozen=True, slots=True)
class Sessions:
    upcoming: list[Session]  # soonest first
    past: list[Session]  # latest first


# The first window looked at each way; widened fourfold while it holds too few sessions.
FIRST_WINDOW = timedelta(days=14)


async def sessions_version(uow: UnitOfWork, now: datetime) -> str:
    """Differs whenever `sessions(uow, now)` could give another answer at the same `now`:
    the meetings' version, raised with every change to any of them (one key read)."""
    return version_of("sessions", await uow.meetings.version())


async def sessions(uow: UnitOfWork, now: datetime) -> Sessions:
    meetings = await uow.meetings.active(now - PAST, now + AHEAD)
    changes = await uow.meetings.changes([m.id for m in meetings]) if meetings else {}
    pairs = [(m, changes.get(m.id, {})) for m in meetings]
    # Looks at a short window each way first and widens it only while it holds too
    # few: a year of a thousand weekly meetings is a hundred thousand occurrences.
    # A meeting lasts at most a day, so one under way started within the window.
    window = FIRST_WINDOW
    while True:
        found = next_occurrences(pairs, now - min(window, PAST), now + min(window, AHEAD))
        # Under way counts as upcoming: someone may still join it.
        upcoming = [Session(m, o) for m, o in found if o.end > now]
        past = [Session(m, o) for m, o in found if o.end <= now]
        if (len(upcoming) >= SHOWN or window >= AHEAD) and (len(past) >= SHOWN or window >= PAST):
            return Sessions(upcoming[:SHOWN], past[::-1][:SHOWN])
        window *= 4


# Raised when the feed's format changes, so calendars holding an old ETag get the new one.
FEED_FORMAT = "1"


def version_of(*state: object) -> str:
    return hashlib.sha256(repr((FEED_FORMAT, *state)).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Feed:
    """What a calendar feed is made of, and its version (known before it is made)."""

    meetings: list[Meeting]
    changes: dict[int, dict[date, OccurrenceChange]]
    name: str
    version: str

    @property
    def changed(self) -> datetime | None:
        """The latest change of any meeting in it."""
        stamps = [m.updated_at or m.created_at for m in self.meetings]
        return max((s for s in stamps if s is not None), default=None)

    def content(self) -> bytes:
        return build_feed(self.meetings, self.changes, name=self.name)


def feed_day(config: Config, now: datetime) -> date:
    """Today in the coalition's zone. A feed holds what ended at most a year before
    the start of this day, so its content changes with time only when the day does:
    the day is part of its version, and the feed is the same all day long."""
    return now.astimezone(zone(config.coalition.timezone)).date()


def feed_cutoff(config: Config, day: date) -> datetime:
    """What a feed made on `day` holds: meetings and occurrences ending after this."""
    return to_utc(datetime.combine(day, time()), config.coalition.timezone) - PAST


async def calendar_version(uow: UnitOfWork, config: Config, now: datetime, topic: str = "") -> str:
    """The feed's version, known in one primary-key read: a calendar asking with the
    ETag it holds gets its 304 without a meeting being read. A topic's feed changes
    with any meeting (a topic added to one is an edit)."""
    day = feed_day(config, now)
    return version_of("calendar", config.coalition.name, topic, await uow.meetings.version(), day)


async def calendar_feed(uow: UnitOfWork, config: Config, now: datetime, topic: str = "") -> Feed:
    """Every meeting from a year ago on, however far ahead, as one iCalendar feed; with
    `topic`, only the meetings about it (named "Coalition: Topic" in calendars)."""
    # The version is read first: should a change commit in between, the feed is newer
    # than its version (made again at the next request), never older.
    version = await calendar_version(uow, config, now, topic)
    after = feed_cutoff(config, feed_day(config, now))
    meetings = await uow.meetings.active(after, after + PAST + FOREVER)
    name = config.coalition.name
    if topic:
        meetings = [m for m in meetings if topic in m.topics]
        name = f"{name}: {topic}"
    changes = await uow.meetings.changes([m.id for m in meetings]) if meetings else {}
    return Feed(meetings, changes, name, version)


async def meeting_version(uow: UnitOfWork, meeting_id: int) -> str:
    """One meeting's feed's version, known in one key read (it holds every occurrence,
    so it does not depend on the time)."""
    return version_of("meeting", meeting_id, await uow.meetings.version())


async def meeting_feed(uow: UnitOfWork, meeting_id: int) -> Feed | None:
    """One meeting's occurrences, for its "Add to calendar" link; None if there is none."""
    version = await meeting_version(uow, meeting_id)
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None or meeting.cancelled:
        return None
    changes = await uow.meetings.changes([meeting.id])
    return Feed([meeting], changes, meeting.title, version)
