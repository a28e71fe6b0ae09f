"""Invitations from a roster, keyed by email (see bot/roster/ports.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.roster.model import Invitation, InvitationStatus, RosterEntry
from storage.schema.roster import InvitationRow

_ENTRY_FIELDS = ("name", "organization", "discipline", "region", "jurisdiction")


def _invitation(row: InvitationRow) -> Invitation:
    entry = RosterEntry(
        name=row.name,
        email=row.email,
        organization=row.organization,
        discipline=row.discipline,
        region=row.region,
        jurisdiction=row.jurisdiction,
    )
    return Invitation(
        id=row.id,
        code=row.code,
        entry=entry,
        status=InvitationStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlInvitations:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_emails(self, emails: Collection[str]) -> dict[str, Invitation]:
        if not emails:
            return {}
        rows = await self._session.scalars(
            select(InvitationRow).where(InvitationRow.email.in_(list(emails)))
        )
        return {row.email: _invitation(row) for row in rows}

    async def add_many(self, entries: Sequence[tuple[RosterEntry, str]], *, at: datetime) -> None:
        self._session.add_all(
            InvitationRow(
                code=code,
                email=entry.email,
                status=InvitationStatus.PENDING.value,
                created_at=at,
                updated_at=at,
                **{f: getattr(entry, f) for f in _ENTRY_FIELDS},
            )
            for entry, code in entries
        )
        await self._session.flush()

    async def update_many(self, entries: Sequence[RosterEntry], *, at: datetime) -> None:
        if not entries:
            return
        # One executemany: only pending rows change; a used invitation is the member's now.
        statement = (
            update(InvitationRow.__table__)  # type: ignore[arg-type]
            .where(
                InvitationRow.email == bindparam("key"),
                InvitationRow.status == InvitationStatus.PENDING.value,
            )
            .values(
                updated_at=bindparam("at", type_=InvitationRow.updated_at.type),
                **{f: bindparam(f"v_{f}") for f in _ENTRY_FIELDS},
            )
        )
        params = [
            {"key": e.email, "at": at, **{f"v_{f}": getattr(e, f) for f in _ENTRY_FIELDS}}
            for e in entries
        ]
        connection = await self._session.connection()
        await connection.execute(statement, params)

    async def by_code(self, code: str) -> Invitation | None:
        row = await self._session.scalar(select(InvitationRow).where(InvitationRow.code == code))
        return None if row is None else _invitation(row)

    async def mark_used(self, invitation_id: int, member_id: int, *, at: datetime) -> bool:
        result = await self._session.execute(
            update(InvitationRow)
            .where(
                InvitationRow.id == invitation_id,
                InvitationRow.status == InvitationStatus.PENDING.value,
            )
            .values(status=InvitationStatus.USED.value, member_id=member_id, updated_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def forget_member(self, member_id: int) -> None:
        await self._session.execute(
            delete(InvitationRow).where(InvitationRow.member_id == member_id)
        )

    async def pending(self) -> list[Invitation]:
        rows = await self._session.scalars(
            select(InvitationRow)
            .where(InvitationRow.status == InvitationStatus.PENDING.value)
            .order_by(InvitationRow.name, InvitationRow.id)
        )
        return [_invitation(row) for row in rows]

    async def any_pending(self) -> bool:
        found = await self._session.scalar(
            select(InvitationRow.id)
            .where(InvitationRow.status == InvitationStatus.PENDING.value)
            .limit(1)
        )
        return found is not None

    async def forget_unused(self, before: datetime) -> int:
        result = await self._session.execute(
            delete(InvitationRow).where(
                InvitationRow.status == InvitationStatus.PENDING.value,
                InvitationRow.updated_at < before,
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
