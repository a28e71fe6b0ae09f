"""Delivery claims: one row per announcement or reminder post, claimed before posting."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.meetings.model import (
    Delivery,
    DeliveryKey,
    DeliveryKind,
    DeliveryStatus,
    DeliveryTarget,
    NewClaim,
)
from bot.meetings.ports import SentMark
from bot.ports import PostedMessage
from storage.dialect import insert_on_conflict
from storage.meetings import chunks
from storage.schema import DeliveryRow

log = logging.getLogger(__name__)

CLAIM_COLUMNS = ("meeting_id", "occurrence_start", "kind", "offset_minutes", "target")
CLAIM_CHUNK = 500


def _target(text: str) -> DeliveryTarget | None:
    """A stored target; None, logged, for one no version of the bot wrote."""
    try:
        return DeliveryTarget.parse(text)
    except ValueError:
        log.warning("ignoring a delivery to %r: not a target the bot knows", text)
        return None


def _delivery(row: DeliveryRow) -> Delivery:
    return Delivery(
        id=row.id,
        key=DeliveryKey(
            row.meeting_id,
            row.occurrence_start,
            DeliveryKind(row.kind),
            row.offset_minutes,
            DeliveryTarget.parse(row.target),
        ),
        due_at=row.due_at,
        occurrence_key=date.fromisoformat(row.occurrence),
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        late=row.late,
    )


def _claim_chunks(wanted: list[NewClaim]) -> list[list[NewClaim]]:
    # 12 values a row: 500 rows stay under the bound parameters either backend takes.
    return [wanted[n : n + CLAIM_CHUNK] for n in range(0, len(wanted), CLAIM_CHUNK)]


def _claim_values(claim: NewClaim, owner: str, at: datetime) -> dict[str, object]:
    key = claim.key
    return {
        "meeting_id": key.meeting_id,
        "occurrence_start": key.occurrence_start,
        "occurrence": claim.occurrence.isoformat(),
        "kind": key.kind.value,
        "offset_minutes": key.offset,
        "target": str(key.target),
        "due_at": claim.due_at,
        "status": _claim_status(claim).value,
        "late": claim.late,
        "attempts": 0 if claim.skipped else 1,
        "owner": owner,
        "claimed_at": at,
    }


def _claim_status(claim: NewClaim) -> DeliveryStatus:
    return DeliveryStatus.SKIPPED if claim.skipped else DeliveryStatus.CLAIMED


def _claimed(new_id: int, claim: NewClaim) -> Delivery:
    return Delivery(
        id=new_id,
        key=claim.key,
        due_at=claim.due_at,
        occurrence_key=claim.occurrence,
        status=_claim_status(claim),
        attempts=0 if claim.skipped else 1,
        late=claim.late,
    )


def _refs(mark: SentMark) -> str:
    return json.dumps(
        [
            {"platform": p.platform, "channel": p.channel, "message_id": p.message_id}
            for p in mark.posted
        ]
    )


def _posted(raw: str | None) -> list[PostedMessage]:
    return [PostedMessage(**item) for item in json.loads(raw or "[]")]


class SqlDeliveries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def existing(
        self, meeting_ids: Sequence[int], after: datetime, before: datetime
    ) -> set[DeliveryKey]:
        found: set[DeliveryKey] = set()
        for chunk in chunks(meeting_ids):
            rows = await self.session.execute(
                select(
                    DeliveryRow.meeting_id,
                    DeliveryRow.occurrence_start,
                    DeliveryRow.kind,
                    DeliveryRow.offset_minutes,
                    DeliveryRow.target,
                ).where(
                    DeliveryRow.meeting_id.in_(chunk),
                    DeliveryRow.occurrence_start >= after,
                    DeliveryRow.occurrence_start < before,
                )
            )
            found.update(
                DeliveryKey(m, s, DeliveryKind(k), o, target)
                for m, s, k, o, t in rows
                if (target := _target(t)) is not None
            )
        return found

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
        wanted = NewClaim(key, occurrence, due_at, late=late, skipped=skipped)
        return (await self.claim_many([wanted], owner=owner, at=at)).get(key)

    async def claim_many(
        self, wanted: Sequence[NewClaim], *, owner: str, at: datetime
    ) -> dict[DeliveryKey, Delivery]:
        # The unique claim is the whole guarantee: whoever inserts a row first posts it;
        # everyone else (a second replica, a restarted process) gets nothing back. One
        # statement per chunk: RETURNING names only the rows this statement inserted.
        by_key = {claim.key: claim for claim in wanted}
        # In one order everywhere (the earliest due first): two instances inserting the
        # same keys in opposite orders would each wait on the other's (PostgreSQL ends
        # that as a deadlock).
        ordered = sorted(by_key.values(), key=lambda claim: (claim.due_at, claim.key.token))
        won: dict[DeliveryKey, Delivery] = {}
        for chunk in _claim_chunks(ordered):
            statement = (
                insert_on_conflict(self.session, DeliveryRow)
                .values([_claim_values(claim, owner, at) for claim in chunk])
                .on_conflict_do_nothing(index_elements=list(CLAIM_COLUMNS))
                .returning(DeliveryRow.id, *(getattr(DeliveryRow, c) for c in CLAIM_COLUMNS))
            )
            for new_id, meeting_id, start, kind, offset, target in await self.session.execute(
                statement
            ):
                key = DeliveryKey(
                    meeting_id, start, DeliveryKind(kind), offset, DeliveryTarget.parse(target)
                )
                won[key] = _claimed(new_id, by_key[key])
        return won

    async def sent(
        self, delivery_id: int, posted: Sequence[PostedMessage], *, at: datetime
    ) -> None:
        await self.sent_many([SentMark(delivery_id, posted, at)])

    async def sent_many(self, marks: Sequence[SentMark]) -> None:
        # One UPDATE run for every mark (an executemany: asyncpg sends them in one
        # round trip), so the marks of a batch of posts cost one trip to the database.
        if not marks:
            return
        statement = (
            update(DeliveryRow.__table__)  # type: ignore[arg-type]
            .where(DeliveryRow.id == bindparam("mark_id"))
            .values(
                status=DeliveryStatus.SENT.value,
                sent_at=bindparam("mark_at", type_=DeliveryRow.sent_at.type),
                posted=bindparam("mark_posted"),
                last_error=None,
            )
        )
        rows = [
            {"mark_id": mark.delivery_id, "mark_at": mark.at, "mark_posted": _refs(mark)}
            for mark in marks
        ]
        connection = await self.session.connection()
        await connection.execute(statement, rows)

    async def refresh(self, delivery_ids: Collection[int], *, owner: str, at: datetime) -> int:
        # Only rows still this owner's claims: one taken over meanwhile, or marked, is
        # left as it is.
        refreshed = 0
        for chunk in chunks(sorted(delivery_ids)):
            result = await self.session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.id.in_(chunk),
                    DeliveryRow.owner == owner,
                    DeliveryRow.status == DeliveryStatus.CLAIMED.value,
                )
                .values(claimed_at=at)
                .execution_options(synchronize_session=False)
            )
            refreshed += result.rowcount  # type: ignore[attr-defined]
        return refreshed

    async def failed(
        self, delivery_id: int, error: str, *, retry_at: datetime | None, at: datetime
    ) -> None:
        status = DeliveryStatus.FAILED if retry_at is not None else DeliveryStatus.GAVE_UP
        await self.session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(status=status.value, last_error=error[:500], next_attempt_at=retry_at)
        )

    async def retryable(
        self, now: datetime, owner: str, stale_before: datetime, *, keep: Collection[int] = ()
    ) -> list[Delivery]:
        # Stale claims of any owner, this one's too: a claim this instance made and
        # never finished (its sweep failed after the claim) is not left forever.
        wanted = or_(
            and_(
                DeliveryRow.status == DeliveryStatus.FAILED.value,
                DeliveryRow.next_attempt_at <= now,
            ),
            and_(
                DeliveryRow.status == DeliveryStatus.CLAIMED.value,
                DeliveryRow.claimed_at < stale_before,
            ),
        )
        candidates = await self.session.scalars(select(DeliveryRow).where(wanted))
        taken: list[Delivery] = []
        for row in list(candidates):
            if row.id in keep:
                continue  # its outcome is known, not yet written
            if _target(row.target) is None:
                continue  # written by hand: never posted, never in the way
            result = await self.session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.id == row.id,
                    DeliveryRow.status == row.status,
                    DeliveryRow.owner == row.owner,
                    DeliveryRow.attempts == row.attempts,
                )
                .values(
                    status=DeliveryStatus.CLAIMED.value,
                    owner=owner,
                    claimed_at=now,
                    attempts=row.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                found = _delivery(row)
                taken.append(
                    Delivery(
                        found.id,
                        found.key,
                        found.due_at,
                        found.occurrence_key,
                        DeliveryStatus.CLAIMED,
                        row.attempts + 1,
                        found.late,
                    )
                )
        return taken

    async def announced(self, meeting_ids: Sequence[int]) -> set[tuple[int, DeliveryTarget]]:
        found: set[tuple[int, DeliveryTarget]] = set()
        for chunk in chunks(meeting_ids):
            rows = await self.session.execute(
                select(DeliveryRow.meeting_id, DeliveryRow.target).where(
                    DeliveryRow.meeting_id.in_(chunk),
                    DeliveryRow.kind == DeliveryKind.ANNOUNCEMENT.value,
                )
            )
            found.update((m, target) for m, t in rows if (target := _target(t)) is not None)
        return found

    async def announcements(self, meeting_id: int) -> list[tuple[Delivery, list[PostedMessage]]]:
        rows = await self.session.scalars(
            select(DeliveryRow)
            .where(
                DeliveryRow.meeting_id == meeting_id,
                DeliveryRow.kind == DeliveryKind.ANNOUNCEMENT.value,
                DeliveryRow.status == DeliveryStatus.SENT.value,
            )
            .order_by(DeliveryRow.id)
        )
        return [(_delivery(row), _posted(row.posted)) for row in rows]

    async def get(self, delivery_id: int) -> Delivery | None:
        row = await self.session.get(DeliveryRow, delivery_id)
        return _delivery(row) if row else None
