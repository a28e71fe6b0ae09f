"""The resource library's audit trail: who changed which resource, when, from what to what."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.resources.model import AuditAction, AuditEntry, AuditFilter
from storage.schema import ResourceAuditRow


class SqlResourceAudit:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, entry: AuditEntry) -> None:
        self.session.add(
            ResourceAuditRow(
                resource_id=entry.resource_id,
                action=entry.action.value,
                by_member_id=entry.by_member_id,
                by_name=entry.by_name,
                at=entry.at,
                before=json.dumps(entry.before, ensure_ascii=False, sort_keys=True),
                after=json.dumps(entry.after, ensure_ascii=False, sort_keys=True),
            )
        )
        await self.session.flush()

    async def history(self, resource_id: int | None = None, limit: int = 25) -> list[AuditEntry]:
        return await self.search(AuditFilter(resource_id=resource_id), limit=limit)

    async def search(self, wanted: AuditFilter, *, limit: int) -> list[AuditEntry]:
        query = select(ResourceAuditRow).order_by(
            ResourceAuditRow.at.desc(), ResourceAuditRow.id.desc()
        )
        if wanted.resource_id is not None:
            query = query.where(ResourceAuditRow.resource_id == wanted.resource_id)
        if wanted.actions:
            query = query.where(ResourceAuditRow.action.in_(sorted(wanted.actions)))
        if wanted.by_name:
            # autoescape: a % or _ in the name typed is a character, not a wildcard.
            query = query.where(
                func.lower(ResourceAuditRow.by_name).contains(
                    wanted.by_name.lower(), autoescape=True
                )
            )
        if wanted.since is not None:
            query = query.where(ResourceAuditRow.at >= wanted.since)
        if wanted.until is not None:
            query = query.where(ResourceAuditRow.at < wanted.until)
        return [
            AuditEntry(
                resource_id=row.resource_id,
                action=AuditAction(row.action),
                by_member_id=row.by_member_id,
                by_name=row.by_name,
                at=row.at,
                before=json.loads(row.before),
                after=json.loads(row.after),
            )
            for row in await self.session.scalars(query.limit(limit))
        ]
