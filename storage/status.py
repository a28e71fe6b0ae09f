"""Read-only views of the delivery claims: for `coalition-bot status` and the metrics.

Nothing here writes. It reads meeting_deliveries, digest_deliveries and the
follower-notice claims on discussions, so an operator can see what the scheduler
did without asking the running bot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.meetings.model import DeliveryStatus
from storage.database import Storage
from storage.schema import (
    DeliveryRow,
    DigestDeliveryRow,
    DiscussionFollowerRow,
    DiscussionRow,
    MeetingRow,
)

MEETING = "meeting"
DIGEST = "digest"
FOLLOWERS = "followers"


@dataclass(frozen=True)
class DeliveryCounts:
    """Rows of each claim table by state, read at one moment."""

    states: dict[tuple[str, str], int]  # (MEETING or DIGEST, status) -> rows
    late: int  # meeting deliveries posted after their time (within the grace period)
    retried: dict[str, int]  # MEETING or DIGEST -> rows posted (or tried) more than once
    follower_claims: int  # discussions whose follower notice an instance is sending now
    # When the oldest claim still held was taken, or last refreshed by its heartbeat.
    oldest_claim: datetime | None
    follower_notices: FollowerNotices | None = None


@dataclass(frozen=True)
class FollowerNotices:
    """Follower notices (direct messages) by their state, counted per follower."""

    given_up: int  # the platform refused them (DMs closed) or too many failures
    waiting: int  # failed, still owed: to be retried


@dataclass(frozen=True)
class Claim:
    """One delivery a coordinator may need to know about."""

    what: str  # MEETING, DIGEST or FOLLOWERS
    status: str
    title: str  # the meeting's or discussion's title; "" for the digest
    claimed_at: datetime
    owner: str
    attempts: int = 0
    due_at: datetime | None = None
    starts_at: datetime | None = None  # the meeting occurrence a reminder is for
    timezone: str | None = None  # the meeting's zone
    kind: str = ""  # DeliveryKind for a meeting: announce or remind
    offset: int = 0  # minutes before the start
    target: str = ""  # "<platform>:#" or "@<member id>"
    next_attempt_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class Found:
    count: int
    first: list[Claim] = field(default_factory=list)  # the oldest few


async def delivery_counts(storage: Storage) -> DeliveryCounts:
    async with storage.read_sessions() as session:
        states: dict[tuple[str, str], int] = {}
        retried: dict[str, int] = {}
        oldest: list[datetime] = []
        tables: tuple[tuple[str, Any], ...] = ((MEETING, DeliveryRow), (DIGEST, DigestDeliveryRow))
        for what, table in tables:
            rows = await session.execute(select(table.status, func.count()).group_by(table.status))
            states.update(((what, status), count) for status, count in rows)
            retried[what] = await _count(session, table, [table.attempts > 1])
            first = await session.scalar(
                select(func.min(table.claimed_at)).where(
                    table.status == DeliveryStatus.CLAIMED.value
                )
            )
            if first is not None:
                oldest.append(first)
        late = await session.scalar(
            select(func.count()).where(
                DeliveryRow.late.is_(True), DeliveryRow.status == DeliveryStatus.SENT.value
            )
        )
        followers, first_notice = (
            await session.execute(
                select(func.count(), func.min(DiscussionRow.notice_claimed_at)).where(
                    DiscussionRow.notice_claimed_at.is_not(None)
                )
            )
        ).one()
        if first_notice is not None:
            oldest.append(first_notice)
    return DeliveryCounts(
        states=states,
        late=int(late or 0),
        retried=retried,
        follower_claims=int(followers or 0),
        oldest_claim=min(oldest) if oldest else None,
        follower_notices=await follower_notices(storage),
    )


async def follower_notices(
    storage: Storage, *, given_up_since: datetime | None = None
) -> FollowerNotices:
    """Followers given up on (since that instant, if given), and followers whose
    notice failed and is owed still (it will be retried)."""
    given_up: list[Any] = [DiscussionFollowerRow.given_up_at.is_not(None)]
    if given_up_since is not None:
        given_up.append(DiscussionFollowerRow.given_up_at >= given_up_since)
    waiting: list[Any] = [
        DiscussionFollowerRow.given_up_at.is_(None),
        DiscussionFollowerRow.last_error.is_not(None),
        DiscussionFollowerRow.told_replies < DiscussionRow.notified_replies,
    ]
    async with storage.read_sessions() as session:
        gave_up = await _count(session, DiscussionFollowerRow, given_up)
        owed = await session.scalar(
            select(func.count())
            .select_from(DiscussionFollowerRow)
            .join(DiscussionRow, DiscussionRow.id == DiscussionFollowerRow.discussion_id)
            .where(*waiting)
        )
    return FollowerNotices(given_up=gave_up, waiting=int(owed or 0))


async def meeting_deliveries(
    storage: Storage,
    statuses: Sequence[DeliveryStatus],
    *,
    due_since: datetime | None = None,
    claimed_before: datetime | None = None,
    retry_before: datetime | None = None,
    late: bool | None = None,
    limit: int = 5,
) -> Found:
    """Meeting deliveries in these states, the oldest first; each keyword narrows them:
    due since, claimed before, or waiting for a retry due before that instant."""
    conditions = _conditions(DeliveryRow, statuses, claimed_before, retry_before)
    if due_since is not None:
        conditions.append(DeliveryRow.due_at >= due_since)
    if late is not None:
        conditions.append(DeliveryRow.late.is_(late))
    async with storage.read_sessions() as session:
        count = await _count(session, DeliveryRow, conditions)
        rows = await session.execute(
            select(DeliveryRow, MeetingRow.title, MeetingRow.timezone)
            .join(MeetingRow, MeetingRow.id == DeliveryRow.meeting_id)
            .where(*conditions)
            .order_by(DeliveryRow.due_at, DeliveryRow.id)
            .limit(limit)
        )
        first = [_meeting_claim(row, title, zone) for row, title, zone in rows]
    return Found(count, first)


async def digest_deliveries(
    storage: Storage,
    statuses: Sequence[DeliveryStatus],
    *,
    due_since: datetime | None = None,
    claimed_before: datetime | None = None,
    retry_before: datetime | None = None,
    limit: int = 5,
) -> Found:
    """Weekly digest claims, as meeting_deliveries."""
    conditions = _conditions(DigestDeliveryRow, statuses, claimed_before, retry_before)
    if due_since is not None:
        conditions.append(DigestDeliveryRow.period_start >= due_since)
    async with storage.read_sessions() as session:
        count = await _count(session, DigestDeliveryRow, conditions)
        rows = await session.scalars(
            select(DigestDeliveryRow)
            .where(*conditions)
            .order_by(DigestDeliveryRow.period_start, DigestDeliveryRow.id)
            .limit(limit)
        )
        first = [
            Claim(
                what=DIGEST,
                status=row.status,
                title="",
                claimed_at=row.claimed_at,
                owner=row.owner,
                attempts=row.attempts,
                due_at=row.period_start,
                target=row.target,
                next_attempt_at=row.next_attempt_at,
                last_error=row.last_error,
            )
            for row in rows
        ]
    return Found(count, first)


async def follower_claims(
    storage: Storage, *, claimed_before: datetime | None = None, limit: int = 5
) -> Found:
    """Discussions whose followers an instance is telling of new replies now."""
    conditions: list[Any] = [DiscussionRow.notice_claimed_at.is_not(None)]
    if claimed_before is not None:
        conditions.append(DiscussionRow.notice_claimed_at < claimed_before)
    async with storage.read_sessions() as session:
        count = await _count(session, DiscussionRow, conditions)
        rows = await session.execute(
            select(DiscussionRow.title, DiscussionRow.notice_claimed_at)
            .where(*conditions)
            .order_by(DiscussionRow.notice_claimed_at)
            .limit(limit)
        )
        first = [
            Claim(
                what=FOLLOWERS,
                status=DeliveryStatus.CLAIMED.value,
                title=t,
                claimed_at=at,
                owner="",
            )
            for t, at in rows
            if at is not None
        ]
    return Found(count, first)


def _conditions(
    table: Any,
    statuses: Sequence[DeliveryStatus],
    claimed_before: datetime | None,
    retry_before: datetime | None,
) -> list[Any]:
    conditions: list[Any] = [table.status.in_([s.value for s in statuses])]
    if claimed_before is not None:
        conditions.append(table.claimed_at < claimed_before)
    if retry_before is not None:
        conditions.append(table.next_attempt_at < retry_before)
    return conditions


async def _count(session: AsyncSession, table: Any, conditions: list[Any]) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(table).where(*conditions)) or 0
    )


def _meeting_claim(row: DeliveryRow, title: str, zone: str) -> Claim:
    return Claim(
        what=MEETING,
        status=row.status,
        title=title,
        claimed_at=row.claimed_at,
        owner=row.owner,
        attempts=row.attempts,
        due_at=row.due_at,
        starts_at=row.occurrence_start,
        timezone=zone,
        kind=row.kind,
        offset=row.offset_minutes,
        target=row.target,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
    )
