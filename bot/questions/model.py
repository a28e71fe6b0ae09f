"""A question in the office-hours queue, as the use cases see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.posted import PostedMessage

QUESTION_MAX = 1000
ANSWER_MAX = 1000


@dataclass(frozen=True, slots=True)
class NewQuestion:
    text: str
    topics: tuple[str, ...]
    anonymous: bool
    meeting_id: int | None
    channel: str


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    text: str
    topics: tuple[str, ...]
    anonymous: bool
    meeting_id: int | None
    channel: str
    # Kept for anonymous questions too (to tell the asker, and for admins); None once
    # the asker has left.
    asked_by: int | None
    asked_by_name: str | None
    asked_at: datetime
    upvotes: int
    answer: str | None = None
    answered_by_name: str | None = None
    answered_at: datetime | None = None
    hidden: bool = False
    posts: tuple[PostedMessage, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and not self.hidden


class UpvoteOutcome:
    ADDED = "added"
    ALREADY = "already"
    GONE = "gone"  # hidden or answered: no more upvotes
