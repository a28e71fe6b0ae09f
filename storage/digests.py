"""Weekly digest claims: one per week and platform, claimed before posting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.discussions.ports import DigestRetry
from bot.meetings.model import DeliveryStatus, DeliveryTarget
from storage.dialect import insert_on_conflict
from storage.schema import DigestDeliveryRow


class SqlDigestDeliveries:
    """Digest claims, made exactly as meeting delivery claims are (see SqlDeliveries.claim)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(
        self,
        period: datetime,
        target: DeliveryTarget,
        *,
        owner: str,
        at: datetime,
        skipped: bool = False,
    ) -> int | None:
        status = DeliveryStatus.SKIPPED if skipped else DeliveryStatus.CLAIMED
        statement = (
            insert_on_conflict(self._session, DigestDeliveryRow)
            .values(
                period_start=period,
                target=str(target),
                status=status.value,
                owner=owner,
                claimed_at=at,
                attempts=1,
            )
            .on_conflict_do_nothing(index_elements=["period_start", "target"])
            .returning(DigestDeliveryRow.id)
        )
        found: int | None = (await self._session.execute(statement)).scalar_one_or_none()
        return found

    async def sent(self, claim_id: int, *, at: datetime) -> None:
        await self._session.execute(
            update(DigestDeliveryRow)
            .where(DigestDeliveryRow.id == claim_id)
            .values(status=DeliveryStatus.SENT.value, sent_at=at, last_error=None)
        )

    async def failed(
        self, claim_id: int, error: str, *, retry_at: datetime | None, at: datetime
    ) -> None:
        status = DeliveryStatus.FAILED if retry_at is not None else DeliveryStatus.GAVE_UP
        await self._session.execute(
            update(DigestDeliveryRow)
            .where(DigestDeliveryRow.id == claim_id)
            .values(status=status.value, last_error=error[:500], next_attempt_at=retry_at)
        )

    async def retryable(
        self, period: datetime, now: datetime, owner: str, stale_before: datetime
    ) -> list[DigestRetry]:
        candidates = (
            await self._session.execute(
                select(
                    DigestDeliveryRow.id,
                    DigestDeliveryRow.target,
                    DigestDeliveryRow.status,
                    DigestDeliveryRow.owner,
                    DigestDeliveryRow.attempts,
                ).where(
                    DigestDeliveryRow.period_start == period,
                    or_(
                        and_(
                            DigestDeliveryRow.status == DeliveryStatus.FAILED.value,
                            DigestDeliveryRow.next_attempt_at <= now,
                        ),
                        and_(
                            # Any owner's, this one's too (its run failed after the claim).
                            DigestDeliveryRow.status == DeliveryStatus.CLAIMED.value,
                            DigestDeliveryRow.claimed_at < stale_before,
                        ),
                    ),
                )
            )
        ).all()
        taken: list[DigestRetry] = []
        for claim_id, target, status, was_owner, attempts in candidates:
            # Conditional on what was read: of two instances, one takes it over.
            result = await self._session.execute(
                update(DigestDeliveryRow)
                .where(
                    DigestDeliveryRow.id == claim_id,
                    DigestDeliveryRow.status == status,
                    DigestDeliveryRow.owner == was_owner,
                    DigestDeliveryRow.attempts == attempts,
                )
                .values(
                    status=DeliveryStatus.CLAIMED.value,
                    owner=owner,
                    claimed_at=now,
                    attempts=attempts + 1,
                    next_attempt_at=None,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                taken.append(DigestRetry(claim_id, DeliveryTarget.parse(target), attempts + 1))
        return taken
