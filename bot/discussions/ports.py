"""What discussions need from storage, as protocols (storage/discussions.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.discussions.model import (
    Discussion,
    DiscussionQuery,
    NewDiscussion,
    OccurrenceDiscussion,
    ReplyCount,
)
from bot.meetings.model import DeliveryTarget
from bot.posted import PostedMessage


class DiscussionRepository(Protocol):
    async def add(self, new: NewDiscussion, by_member_id: int, at: datetime) -> Discussion:
        """Save an open discussion; its starter follows it."""
        ...

    async def get(self, discussion_id: int) -> Discussion | None: ...

    async def find(self, query: DiscussionQuery) -> list[Discussion]:
        """Open discussions first, then closed; most recent activity first within each.

        Only those with the topic, and whose title, question or topics hold every word.
        """
        ...

    async def follow(self, discussion_id: int, member_id: int) -> bool:
        """True if the member was not following it yet."""
        ...

    async def unfollow(self, discussion_id: int, member_id: int) -> bool:
        """True if the member was following it."""
        ...

    async def followers(self, discussion_id: int) -> list[int]: ...

    async def forget_follower(self, member_id: int) -> None:
        """A leaving member follows nothing any more."""
        ...

    async def followed_by(self, member_id: int) -> list[int]:
        """The discussions (ids) the member follows: for their export."""
        ...

    async def close(
        self, discussion_id: int, summary: str, by_member_id: int, at: datetime
    ) -> bool:
        """Close it if still open; False if someone closed it first."""
        ...

    async def for_occurrence(self, meeting_id: int, occurrence: date) -> Discussion | None:
        """The discussion opened for that meeting occurrence (its local date), if any."""
        ...

    async def for_meeting(self, meeting_id: int, today: date) -> Discussion | None:
        """The meeting's open occurrence discussion nearest ahead: the one of today's or
        the next occurrence that has one, else of the latest before; None if none is open."""
        ...

    async def occurrence_discussions(
        self, keys: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], OccurrenceDiscussion]:
        """The discussions of those (meeting, occurrence date) that have one, in one query."""
        ...

    async def add_for_occurrence(
        self,
        new: NewDiscussion,
        by_member_id: int,
        at: datetime,
        meeting_id: int,
        occurrence: date,
    ) -> tuple[Discussion, bool]:
        """Save the occurrence's discussion, unless it has one: (the discussion, whether new).

        Two members clicking at once get the same discussion: one is saved, once.
        """
        ...

    async def add_thread(self, discussion_id: int, posted: PostedMessage) -> None:
        """Remember where the opening message went, so replies there are counted."""
        ...

    async def open_threads(self) -> dict[tuple[str, str, str], int]:
        """Every thread of an open discussion, (platform, channel, thread) -> discussion id."""
        ...

    async def opened_thread(self, platform: str, channel: str, thread: str) -> int | None:
        """The open discussion whose thread this is; None for any other thread."""
        ...

    async def add_replies(self, counts: Sequence[ReplyCount]) -> set[int]:
        """Add each batch of replies to its discussion, if still open; the ids counted."""
        ...

    async def unnotified(
        self, quiet_since: datetime, stale_before: datetime, limit: int = 100
    ) -> list[Discussion]:
        """Discussions with replies followers were not told of, last told before `quiet_since`,
        not claimed by an instance, or claimed before `stale_before` (it died before posting)."""
        ...

    async def claim_notice(
        self, discussion_id: int, told_replies: int, at: datetime, stale_before: datetime
    ) -> bool:
        """Claim the batch after `told_replies`, if nobody told or claimed it since (a claim
        older than `stale_before` is taken over): one notice per batch."""
        ...

    async def notice_sent(
        self, discussion_id: int, replies: int, *, claimed_at: datetime, at: datetime
    ) -> None:
        """Mark `replies` as told, if the claim made at `claimed_at` is still the one held."""
        ...

    async def most_active(self, since: datetime, limit: int = 5) -> list[Discussion]:
        """Open discussions with activity since `since`, most replies first."""
        ...

    async def take_owed_notices(
        self, now: datetime, hold_until: datetime, limit: int = 500
    ) -> list[OwedNotice]:
        """Followers owed a notice (told of fewer replies than their discussion's batches,
        not given up on, retry time come), each taken until `hold_until` with a
        conditional update: of two instances, one posts it."""
        ...

    async def notice_told(
        self, discussion_id: int, member_id: int, replies: int, *, at: datetime
    ) -> None:
        """The follower was told of `replies` replies."""
        ...

    async def notice_failed(
        self,
        discussion_id: int,
        member_id: int,
        error: str,
        *,
        retry_at: datetime | None,
        at: datetime,
    ) -> None:
        """A notice could not be posted: tried again at `retry_at`, or (None) given up:
        the platform cannot deliver to them, or it failed too many times."""
        ...


@dataclass(frozen=True, slots=True)
class OwedNotice:
    """A follower owed a notice of new replies, taken by this instance to post."""

    discussion_id: int
    member_id: int
    told: int  # replies they were told of
    replies: int  # replies their discussion's batches told of: they are owed the rest
    attempt: int  # 1 for the first


@dataclass(frozen=True, slots=True)
class DigestRetry:
    """A digest post taken over for another attempt."""

    claim_id: int
    target: DeliveryTarget
    attempt: int  # 2 for the first retry


class DigestDeliveryRepository(Protocol):
    """Claims on the weekly digest's posts: the reminders' exactly-once mechanism.

    As with meeting deliveries (storage/meetings.py), a claim is a row inserted
    under a unique key (period, target) and committed before anything is posted.
    """

    async def claim(
        self,
        period: datetime,
        target: DeliveryTarget,
        *,
        owner: str,
        at: datetime,
        skipped: bool = False,
    ) -> int | None:
        """The new claim's id; None if that period's post to `target` was claimed already."""
        ...

    async def sent(self, claim_id: int, *, at: datetime) -> None: ...

    async def failed(
        self, claim_id: int, error: str, *, retry_at: datetime | None, at: datetime
    ) -> None:
        """Record a failed post: tried again from `retry_at`, or given up when it is None."""
        ...

    async def retryable(
        self, period: datetime, now: datetime, owner: str, stale_before: datetime
    ) -> list[DigestRetry]:
        """Take over that period's posts that failed and are due again, or were claimed before
        `stale_before` by any instance (this one too) that never finished: each by one only."""
        ...


class DiscussionsRepositories(Protocol):
    """The discussions capability's repositories, as a unit of work holds them."""

    @property
    def discussions(self) -> DiscussionRepository: ...

    @property
    def digest_deliveries(self) -> DigestDeliveryRepository: ...
