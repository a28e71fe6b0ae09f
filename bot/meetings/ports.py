"""What the meetings capability needs from storage, as protocols."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, Protocol

from bot.identity import Identity
from bot.meetings.model import (
    Answer,
    Delivery,
    DeliveryKey,
    DeliveryTarget,
    Meeting,
    NewClaim,
    OccurrenceChange,
)
from bot.members import MemberStatus
from bot.posted import PostedMessage


@dataclass(frozen=True, slots=True)
class Attendee:
    member_id: int
    name: str
    answer: Answer
    identities: tuple[Identity, ...] = ()
    language: str = "en"
    dm_reminders: bool = True
    timezone: str = "UTC"
    dm_platform: str = ""  # their choice of platform for DMs; "": where they last used the bot
    last_used: Identity | None = None


class MeetingRepository(Protocol):
    async def add(self, meeting: Meeting, *, at: datetime) -> Meeting:
        """Store a new meeting (its id is ignored) and return it with its id."""
        ...

    async def get(self, meeting_id: int) -> Meeting | None: ...

    async def update(self, meeting: Meeting, *, at: datetime) -> None: ...

    async def cancel(self, meeting_id: int, *, at: datetime) -> bool:
        """Cancel the whole meeting; False if it already was (a second click, a race)."""
        ...

    async def active(self, after: datetime, before: datetime) -> list[Meeting]:
        """Meetings not cancelled whose occurrences may fall between the two instants."""
        ...

    async def held_between(self, after: datetime, before: datetime) -> list[Meeting]:
        """Meetings whose occurrences may fall between the two instants, with those
        cancelled after `after`: their occurrences before the cancellation were held,
        and a report counts them (bot/reports/held.py)."""
        ...

    async def version(self) -> int:
        """A number raised with every change to any meeting that a calendar feed shows
        (scheduled, edited, cancelled, public or not, an occurrence moved or
        cancelled), in the same transaction: a feed's ETag in one primary-key read."""
        ...

    async def created_since(self, since: datetime) -> list[Meeting]:
        """Meetings not cancelled that were scheduled at or after `since` (to announce)."""
        ...

    async def changes(self, meeting_ids: Sequence[int]) -> dict[int, dict[date, OccurrenceChange]]:
        """Cancelled or moved single occurrences, by meeting and local date."""
        ...

    async def change_occurrence(
        self, meeting_id: int, change: OccurrenceChange, *, at: datetime
    ) -> None:
        """Cancel or move one occurrence; the meeting counts it as a change made `at`."""
        ...

    async def request_refresh(self, meeting_id: int, *, at: datetime) -> None:
        """Ask for the announcement to be edited (counts changed, meeting changed)."""
        ...

    async def refresh_wanted(self) -> list[tuple[int, datetime]]: ...

    async def refreshed(self, meeting_id: int, requested_at: datetime) -> None:
        """Clear the request, unless a newer one came in meanwhile."""
        ...


class RsvpRepository(Protocol):
    async def answer(
        self, meeting_id: int, occurrence: date, member_id: int, answer: Answer, *, at: datetime
    ) -> Answer | None:
        """Record the member's answer; returns their previous one."""
        ...

    async def forget_member(self, member_id: int, *, at: datetime) -> None:
        """Delete a leaving member's answers; the meetings' posted counts are refreshed."""
        ...

    async def answers_of(self, member_id: int) -> list[tuple[int, date, Answer]]:
        """The member's answers as (meeting id, occurrence, answer): for their export."""
        ...

    async def counts(self, meeting_id: int, occurrence: date) -> dict[Answer, int]: ...

    async def counts_of(
        self, occurrences: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], dict[Answer, int]]:
        """`counts` of many occurrences at once (a list page), in a few statements
        however many there are; every occurrence asked is in the answer."""
        ...

    async def attendees(
        self, meeting_id: int, occurrence: date, answers: Sequence[Answer] = ()
    ) -> list[Attendee]:
        """Members who answered (only these answers, if given), by name."""
        ...

    async def going_to(
        self, occurrences: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], list[Attendee]]:
        """Who answered Going, for many (meeting id, occurrence) at once: one query."""
        ...


class SentMark(NamedTuple):
    """A delivery posted: where it went, and when."""

    delivery_id: int
    posted: Sequence[PostedMessage]
    at: datetime


class DeliveryRepository(Protocol):
    async def existing(
        self, meeting_ids: Sequence[int], after: datetime, before: datetime
    ) -> set[DeliveryKey]:
        """Claims already made for occurrences starting between the two instants."""
        ...

    async def claim(
        self,
        key: DeliveryKey,
        occurrence: date,
        *,
        due_at: datetime,
        owner: str,
        at: datetime,
        late: bool = False,
        skipped: bool = False,
    ) -> Delivery | None:
        """Insert the claim; None if it exists already (someone else has it)."""
        ...

    async def claim_many(
        self, wanted: Sequence[NewClaim], *, owner: str, at: datetime
    ) -> dict[DeliveryKey, Delivery]:
        """Insert the claims not made yet, at once; the ones this call made, by key."""
        ...

    async def sent(
        self, delivery_id: int, posted: Sequence[PostedMessage], *, at: datetime
    ) -> None: ...

    async def sent_many(self, marks: Sequence[SentMark]) -> None:
        """Mark many deliveries sent, with where each was posted: one statement."""
        ...

    async def refresh(self, delivery_ids: Collection[int], *, owner: str, at: datetime) -> int:
        """Set `claimed_at` of the ones still claimed by `owner` (posts still under
        way there), so no other instance takes them as stale; how many were."""
        ...

    async def failed(
        self, delivery_id: int, error: str, *, retry_at: datetime | None, at: datetime
    ) -> None:
        """Record a failed attempt; retry_at None means give up."""
        ...

    async def retryable(
        self, now: datetime, owner: str, stale_before: datetime, *, keep: Collection[int] = ()
    ) -> list[Delivery]:
        """Claims to attempt again, now owned by `owner`: failed ones whose retry time
        came, and ones claimed before `stale_before` and never finished, by any instance
        (it died mid-post, or its sweep failed after the claim), except the ids in `keep`.
        Each is taken with a conditional update, so once."""
        ...

    async def announced(self, meeting_ids: Sequence[int]) -> set[tuple[int, DeliveryTarget]]:
        """(meeting id, target) of every announcement claimed, whatever its key's instant."""
        ...

    async def announcements(
        self, meeting_id: int
    ) -> list[tuple[Delivery, list[PostedMessage]]]: ...

    async def get(self, delivery_id: int) -> Delivery | None: ...


class CalendarFeedRepository(Protocol):
    """Members' personal calendar feeds, one a member, kept as the hash of the token."""

    async def created(self, member_id: int) -> datetime | None:
        """When the member's feed was made; None if they have none."""
        ...

    async def add(self, token_hash: str, member_id: int, *, at: datetime) -> bool:
        """False, adding nothing, when the member already has a feed."""
        ...

    async def member_of(self, token_hash: str) -> int | None:
        """The member whose feed this is; None for an unknown or revoked token."""
        ...

    async def feed_of(self, token_hash: str) -> tuple[int, int, MemberStatus] | None:
        """(member, a number raised with each of their answers, the member's status)
        of this feed; None for an unknown or revoked token."""
        ...

    async def forget(self, member_id: int) -> bool:
        """Delete the member's feed; whether they had one."""
        ...


class MeetingsRepositories(Protocol):
    """The meetings capability's repositories, as a unit of work holds them."""

    @property
    def meetings(self) -> MeetingRepository: ...

    @property
    def rsvps(self) -> RsvpRepository: ...

    @property
    def deliveries(self) -> DeliveryRepository: ...

    @property
    def calendar_feeds(self) -> CalendarFeedRepository: ...
