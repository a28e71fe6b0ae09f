"""Meetings, their occurrences, answers and reminder deliveries.

A meeting keeps its first start as a *naive local wall time* beside its IANA
zone; each occurrence is computed in that zone and only then turned into UTC,
so a weekly 9:00 meeting stays at 9:00 local across daylight-saving changes.

An occurrence is identified by its scheduled local date (`key`, "2026-03-12"):
meetings repeat at most daily, and a date survives moving the series to
another hour, so answers (RSVPs) stay with their occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

TITLE_MAX = 120
AGENDA_MAX = 1000
LINK_MAX = 500
RULE_MAX = 200
MAX_DURATION_MINUTES = 24 * 60
# `meeting list` shows every upcoming meeting, however far ahead, this many a page.
LIST_LIMIT = 15
# Further ahead than any meeting is scheduled: the list's bound for storage.
FOREVER = timedelta(days=40_000)


class BrokenMeeting(Exception):
    """A meeting's stored row cannot be read, expanded or drawn (a bad rule, zone or
    date written before today's checks, or by hand): that meeting is skipped."""


# What expanding or drawing a broken row raises (ZoneInfoNotFoundError is a KeyError).
ROW_ERRORS: tuple[type[Exception], ...] = (BrokenMeeting, ValueError, KeyError, OverflowError)


class Answer(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NOT_GOING = "not_going"


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    title: str
    start: datetime  # naive local wall time of the first occurrence, in `timezone`
    timezone: str
    duration: int  # minutes
    channel: str
    link: str = ""
    agenda: str = ""
    rule: str = ""  # an RRULE body ("FREQ=WEEKLY;INTERVAL=2"); "" for a single meeting
    reminders: tuple[int, ...] | None = None  # minutes before; None: the coalition's default
    created_by: int | None = None
    created_at: datetime | None = None
    cancelled: bool = False
    # The join link may show on the public web pages and calendar feed.
    public: bool = False
    # From the coalition's `[lists] topics` (bot/meetings/topics.py): a feed per topic.
    topics: tuple[str, ...] = ()
    # Changes since it was scheduled, and when the last one was made (storage sets both).
    sequence: int = 0
    updated_at: datetime | None = None

    @property
    def recurring(self) -> bool:
        return bool(self.rule)


@dataclass(frozen=True, slots=True)
class OccurrenceChange:
    """One occurrence of a series cancelled or moved; the others stay as the rule says."""

    key: date
    cancelled: bool = False
    start: datetime | None = None  # the new start, aware UTC, when moved


@dataclass(frozen=True, slots=True)
class Occurrence:
    meeting_id: int
    key: date  # the scheduled local date: identifies the occurrence
    start: datetime  # aware UTC, after any move
    end: datetime
    moved: bool = False


def occurrence_target(meeting_id: int, key: date) -> str:
    """A button's target: short, since Discord allows 100 characters for the whole id."""
    return f"{meeting_id}@{key.isoformat()}"


def parse_target(target: str) -> tuple[int, date] | None:
    meeting, _, day = target.partition("@")
    try:
        return int(meeting), date.fromisoformat(day)
    except ValueError:
        return None


class DeliveryKind(StrEnum):
    ANNOUNCEMENT = "announce"
    REMINDER = "remind"


class DeliveryStatus(StrEnum):
    CLAIMED = "claimed"  # an instance is posting it now
    SENT = "sent"
    FAILED = "failed"  # the post failed; retried at next_attempt_at
    GAVE_UP = "gave_up"  # failed too many times; recorded, not retried
    SKIPPED = "skipped"  # its time passed beyond the grace period while the bot was down


@dataclass(frozen=True, slots=True)
class DeliveryTarget:
    """Where one delivery goes: a platform's copy of the meeting's channel, or one person.

    Stored as text, and `str()` gives that text: "<platform>:#" for the channel,
    "@<member id>" for a direct message (one per person, whichever platform it goes
    to: bot/meetings/direct.py), or "<platform>:@<member id>" as DMs were keyed
    before migration 0012, still read.
    """

    platform: str = ""  # the channel's platform; "" for a DM keyed by member alone
    member_id: int | None = None  # a direct message's reader

    @classmethod
    def channel(cls, platform: str) -> DeliveryTarget:
        return cls(platform, None)

    @classmethod
    def dm(cls, member_id: int) -> DeliveryTarget:
        return cls("", member_id)

    @classmethod
    def parse(cls, text: str) -> DeliveryTarget:
        platform, _, where = text.rpartition(":")
        if where.startswith("@") and where[1:].isdigit():
            return cls(platform, int(where[1:]))
        if where == "#" and platform:
            return cls(platform, None)
        raise ValueError(f"not a delivery target: {text!r}")

    @property
    def direct(self) -> bool:
        return self.member_id is not None

    def __str__(self) -> str:
        if self.member_id is None:
            return f"{self.platform}:#"
        prefix = f"{self.platform}:" if self.platform else ""
        return f"{prefix}@{self.member_id}"


@dataclass(frozen=True, slots=True)
class DeliveryKey:
    """What one delivery is: the unique claim that makes sure it is posted once."""

    meeting_id: int
    # Aware UTC. A reminder's occurrence start: a moved occurrence gets fresh reminders.
    # An announcement's is the meeting's creation: one per meeting, however it is edited.
    occurrence_start: datetime
    kind: DeliveryKind
    offset: int  # minutes before the start; 0 at the start
    target: DeliveryTarget

    @property
    def token(self) -> str:
        """The key as one string: what a platform is given to recognise a repeated post."""
        start = self.occurrence_start
        return (
            f"{self.meeting_id}/{start:%Y%m%dT%H%M%S}/{self.kind.value}/{self.offset}/{self.target}"
        )


@dataclass(frozen=True, slots=True)
class NewClaim:
    """A delivery to claim: its key and what its row records besides who and when."""

    key: DeliveryKey
    occurrence: date
    due_at: datetime
    late: bool = False
    skipped: bool = False  # recorded as skipped, never posted


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    key: DeliveryKey
    due_at: datetime
    occurrence_key: date
    status: DeliveryStatus
    attempts: int = 0
    late: bool = False
