"""A poll and its counts, as the use cases see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.posted import PostedMessage

QUESTION_MAX = 300
OPTION_MAX = 80
OPTIONS_MIN = 2
OPTIONS_MAX = 10


@dataclass(frozen=True, slots=True)
class NewPoll:
    question: str
    options: tuple[str, ...]
    multiple: bool
    anonymous: bool
    # Counts shown on the post while it is open; otherwise only when it closes.
    live: bool
    channel: str
    closes_at: datetime | None


@dataclass(frozen=True, slots=True)
class Poll:
    id: int
    question: str
    options: tuple[str, ...]
    # Votes per option, in the options' order (for every poll, anonymous or named).
    counts: tuple[int, ...]
    voters: int
    multiple: bool
    anonymous: bool
    live: bool
    channel: str
    created_by: int
    created_by_name: str
    closes_at: datetime | None
    closed_at: datetime | None
    posts: tuple[PostedMessage, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class PollSummary:
    """A line of `poll list`: how many members have voted, and when it closes or closed."""

    id: int
    question: str
    voters: int
    closes_at: datetime | None
    closed_at: datetime | None


class VoteOutcome:
    """What a click did: counted, changed, taken back, or refused (and why)."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    ALREADY = "already"  # an anonymous poll's vote is final
    CLOSED = "closed"  # or there is no such poll
    NO_OPTION = "no_option"  # the poll has no option at that position


@dataclass(frozen=True)
class Vote:
    """A click's outcome (a VoteOutcome value) and the label of the option clicked."""

    outcome: str
    label: str = ""  # empty when the poll is closed or has no such option
