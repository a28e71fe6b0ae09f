"""What a discussion is, as the core sees it; storage/discussions.py persists it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.posted import PostedMessage

TITLE_MAX = 120
QUESTION_MAX = 2000
SUMMARY_MAX = 2000
TOPIC_MAX = 40
TOPICS_MAX = 5
QUERY_MAX = 200
LIST_LIMIT = 15
# The topics as one text ("Housing, CAB" or "|housing|cab|").
TOPICS_TEXT_MAX = TOPICS_MAX * (TOPIC_MAX + 2) + 2


class DiscussionStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class NewDiscussion:
    title: str
    question: str
    topics: tuple[str, ...]
    channel: str


@dataclass(frozen=True, slots=True)
class Discussion:
    id: int
    title: str
    question: str
    topics: tuple[str, ...]
    channel: str
    started_by: int
    started_by_name: str
    started_at: datetime
    status: DiscussionStatus
    replies: int
    last_activity: datetime
    summary: str = ""
    closed_at: datetime | None = None
    # Where the opening message was posted on each platform: its thread hangs under it.
    threads: tuple[PostedMessage, ...] = ()
    # Replies already told to followers (see notify.py).
    notified_replies: int = 0

    @property
    def is_open(self) -> bool:
        return self.status is DiscussionStatus.OPEN


@dataclass(frozen=True, slots=True)
class DiscussionQuery:
    topic: str = ""
    words: tuple[str, ...] = ()
    limit: int = LIST_LIMIT


@dataclass(frozen=True, slots=True)
class ReplyCount:
    """Replies to one discussion since the last write, as bot/discussions/ingest.py batches them."""

    discussion_id: int
    count: int
    latest: datetime


@dataclass(frozen=True, slots=True)
class OccurrenceDiscussion:
    """What a meeting card shows of its occurrence's discussion: a link on each platform."""

    discussion_id: int
    title: str
    threads: tuple[PostedMessage, ...] = ()

    def url(self, platform: str) -> str:
        """The thread's link on that platform; "" where there is none (the terminal)."""
        return next((t.url for t in self.threads if t.platform == platform and t.url), "")
