"""Retiring a resource: the request (with its reason) until confirmed, then the record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from bot.resources.model import ResourceStatus, Retirement
from storage.resources import bump_library
from storage.schema import MemberRow, ResourceRetirementRow, ResourceRow


def _select() -> Select[ResourceRetirementRow, str]:
    return select(ResourceRetirementRow, MemberRow.display_name).join(
        MemberRow, MemberRow.id == ResourceRetirementRow.asked_by
    )


class SqlRetirements:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ask(self, resource_id: int, by_member_id: int, reason: str, at: datetime) -> int:
        row = ResourceRetirementRow(
            resource_id=resource_id, asked_by=by_member_id, asked_at=at, reason=reason
        )
        self.session.add(row)
        await self.session.flush()
        return row.id

    async def _one(self, query: Select[ResourceRetirementRow, str]) -> Retirement | None:
        found = (await self.session.execute(query)).first()
        if found is None:
            return None
        row, name = found
        return Retirement(
            id=row.id,
            resource_id=row.resource_id,
            asked_by=row.asked_by,
            asked_by_name=name,
            asked_at=row.asked_at,
            reason=row.reason,
            done_at=row.done_at,
        )

    async def get(self, retirement_id: int) -> Retirement | None:
        return await self._one(_select().where(ResourceRetirementRow.id == retirement_id))

    async def retire(self, retirement: Retirement, at: datetime) -> bool:
        # Conditional, as decisions are: of two confirmations at once, one retires it.
        result = await self.session.execute(
            update(ResourceRow)
            .where(
                ResourceRow.id == retirement.resource_id,
                ResourceRow.status == ResourceStatus.APPROVED.value,
            )
            .values(status=ResourceStatus.RETIRED.value)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        await self.session.execute(
            update(ResourceRetirementRow)
            .where(ResourceRetirementRow.id == retirement.id)
            .values(done_at=at)
            .execution_options(synchronize_session=False)
        )
        await bump_library(self.session)
        return True

    async def of_resource(self, resource_id: int) -> Retirement | None:
        return await self._one(
            _select()
            .where(
                ResourceRetirementRow.resource_id == resource_id,
                ResourceRetirementRow.done_at.is_not(None),
            )
            .order_by(ResourceRetirementRow.done_at.desc())
            .limit(1)
        )
