"""Join requests, role changes and link codes: the membership's records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select

from bot.membership.model import Decision, JoinRequest, RoleChange
from bot.roles import Role
from storage.schema import JoinRequestRow, LinkCodeRow, MemberRow, RoleChangeRow

_Decider = aliased(MemberRow)


class SqlJoinRequests:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open(self, member_id: int, at: datetime) -> JoinRequest:
        row = JoinRequestRow(member_id=member_id, requested_at=at, decision="pending")
        self.session.add(row)
        await self.session.flush()
        return JoinRequest(id=row.id, member_id=member_id, requested_at=at)

    def _select(self) -> Select[JoinRequestRow, str]:
        return select(JoinRequestRow, _Decider.display_name).outerjoin(
            _Decider, _Decider.id == JoinRequestRow.decided_by
        )

    async def get(self, request_id: int) -> JoinRequest | None:
        result = await self.session.execute(self._select().where(JoinRequestRow.id == request_id))
        found = result.first()
        return _request(found[0], found[1]) if found else None

    async def pending(self) -> list[JoinRequest]:
        query = self._select().where(JoinRequestRow.decision == "pending")
        result = await self.session.execute(query.order_by(JoinRequestRow.requested_at))
        return [_request(row, name) for row, name in result]

    async def for_member(self, member_id: int) -> list[JoinRequest]:
        query = self._select().where(JoinRequestRow.member_id == member_id)
        result = await self.session.execute(query.order_by(JoinRequestRow.id))
        return [_request(row, name) for row, name in result]

    async def decide(
        self, request_id: int, decision: Decision, by_member_id: int, at: datetime
    ) -> bool:
        # A conditional update is the whole race: of two coordinators clicking at
        # once, exactly one changes the row, on SQLite and PostgreSQL alike.
        result = await self.session.execute(
            update(JoinRequestRow)
            .where(JoinRequestRow.id == request_id, JoinRequestRow.decision == "pending")
            .values(decision=decision.value, decided_by=by_member_id, decided_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _request(row: JoinRequestRow, decided_by_name: str | None) -> JoinRequest:
    return JoinRequest(
        id=row.id,
        member_id=row.member_id,
        requested_at=row.requested_at,
        decision=Decision(row.decision),
        decided_by=row.decided_by,
        decided_by_name=decided_by_name,
        decided_at=row.decided_at,
    )


class SqlRoleChanges:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, change: RoleChange) -> None:
        self.session.add(
            RoleChangeRow(
                member_id=change.member_id,
                role=change.role.name.lower(),
                granted=change.granted,
                by_member_id=change.by_member_id,
                by_name=change.by_name,
                at=change.at,
            )
        )
        await self.session.flush()

    async def history(self, member_id: int | None = None) -> list[RoleChange]:
        query = select(RoleChangeRow).order_by(RoleChangeRow.at.desc(), RoleChangeRow.id.desc())
        if member_id is not None:
            query = query.where(RoleChangeRow.member_id == member_id)
        return [
            RoleChange(
                member_id=row.member_id,
                role=Role[row.role.upper()],
                granted=row.granted,
                by_member_id=row.by_member_id,
                by_name=row.by_name,
                at=row.at,
            )
            for row in await self.session.scalars(query)
        ]


class SqlLinkCodes:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, code: str, member_id: int, expires_at: datetime) -> None:
        self.session.add(LinkCodeRow(code=code, member_id=member_id, expires_at=expires_at))
        await self.session.flush()

    async def redeem(self, code: str, now: datetime) -> int | None:
        # One statement, so a code cannot be used twice even by two requests at once.
        result = await self.session.execute(
            update(LinkCodeRow)
            .where(
                LinkCodeRow.code == code,
                LinkCodeRow.used_at.is_(None),
                LinkCodeRow.expires_at > now,
            )
            .values(used_at=now)
            .returning(LinkCodeRow.member_id)
            .execution_options(synchronize_session=False)
        )
        return result.scalar_one_or_none()
