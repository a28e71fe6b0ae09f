"""Sign-in links and sessions of the coordinators' dashboard (bot/dashboard/ports.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.dashboard.ports import SessionSeen
from storage.members import to_member
from storage.schema import MemberRow
from storage.schema.dashboard import DashboardLinkRow, DashboardSessionRow

# One statement, the member's accounts and interests joined: every dashboard request
# asks, and a query for each of them cost more than the page's own. Built once.
_SEEN = (
    select(
        DashboardSessionRow.member_id,
        DashboardSessionRow.csrf,
        DashboardSessionRow.last_seen,
        DashboardSessionRow.flash.is_not(None) & (DashboardSessionRow.flash != ""),
        MemberRow,
    )
    .outerjoin(MemberRow, MemberRow.id == DashboardSessionRow.member_id)
    .options(joinedload(MemberRow.identities), joinedload(MemberRow.interests))
    .where(DashboardSessionRow.session_hash == bindparam("session_hash"))
)


class SqlDashboardAccess:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_link(self, token_hash: str, member_id: int, expires_at: datetime) -> None:
        self.session.add(
            DashboardLinkRow(token_hash=token_hash, member_id=member_id, expires_at=expires_at)
        )
        await self.session.flush()

    async def link_usable(self, token_hash: str, now: datetime) -> bool:
        found = await self.session.scalar(
            select(DashboardLinkRow.token_hash).where(
                DashboardLinkRow.token_hash == token_hash,
                DashboardLinkRow.used_at.is_(None),
                DashboardLinkRow.expires_at > now,
            )
        )
        return found is not None

    async def use_link(self, token_hash: str, now: datetime) -> int | None:
        # One statement, so a link cannot sign in twice even when opened twice at once.
        result = await self.session.execute(
            update(DashboardLinkRow)
            .where(
                DashboardLinkRow.token_hash == token_hash,
                DashboardLinkRow.used_at.is_(None),
                DashboardLinkRow.expires_at > now,
            )
            .values(used_at=now)
            .returning(DashboardLinkRow.member_id)
            .execution_options(synchronize_session=False)
        )
        return result.scalar_one_or_none()

    async def start_session(
        self, session_hash: str, member_id: int, csrf: str, now: datetime
    ) -> None:
        self.session.add(
            DashboardSessionRow(
                session_hash=session_hash,
                member_id=member_id,
                csrf=csrf,
                started_at=now,
                last_seen=now,
            )
        )
        await self.session.flush()

    async def seen(self, session_hash: str) -> SessionSeen | None:
        result = await self.session.execute(_SEEN, {"session_hash": session_hash})
        found = result.unique().first()
        if found is None:
            return None
        member_id, csrf, last_seen, flash, member = found
        return SessionSeen(
            member_id, csrf, last_seen, bool(flash), to_member(member) if member else None
        )

    async def active_session(
        self, session_hash: str, now: datetime, idle: timedelta, step: timedelta
    ) -> tuple[int, str] | None:
        row = await self.session.scalar(
            select(DashboardSessionRow).where(DashboardSessionRow.session_hash == session_hash)
        )
        if row is None:
            return None
        if row.last_seen + idle <= now:
            await self.end_session(session_hash)
            return None
        if row.last_seen + step <= now:
            # Conditional, so two tabs refreshing it at once write it forward only.
            await self.session.execute(
                update(DashboardSessionRow)
                .where(
                    DashboardSessionRow.session_hash == session_hash,
                    DashboardSessionRow.last_seen < now,
                )
                .values(last_seen=now)
                .execution_options(synchronize_session=False)
            )
        return row.member_id, row.csrf

    async def set_flash(self, session_hash: str, text: str) -> None:
        await self.session.execute(
            update(DashboardSessionRow)
            .where(DashboardSessionRow.session_hash == session_hash)
            .values(flash=text)
            .execution_options(synchronize_session=False)
        )

    async def take_flash(self, session_hash: str) -> str:
        where = DashboardSessionRow.session_hash == session_hash
        text = await self.session.scalar(select(DashboardSessionRow.flash).where(where))
        if not text:
            return ""
        # Cleared only if still this text: two tabs loading at once show it once between them.
        result = await self.session.execute(
            update(DashboardSessionRow)
            .where(where, DashboardSessionRow.flash == text)
            .values(flash=None)
            .execution_options(synchronize_session=False)
        )
        return text if int(getattr(result, "rowcount", 0) or 0) == 1 else ""

    async def end_session(self, session_hash: str) -> None:
        await self.session.execute(
            delete(DashboardSessionRow).where(DashboardSessionRow.session_hash == session_hash)
        )

    async def forget_expired(self, now: datetime, idle: timedelta) -> int:
        links = await self.session.execute(
            delete(DashboardLinkRow).where(DashboardLinkRow.expires_at <= now)
        )
        sessions = await self.session.execute(
            delete(DashboardSessionRow).where(DashboardSessionRow.last_seen <= now - idle)
        )
        return int(getattr(links, "rowcount", 0) or 0) + int(getattr(sessions, "rowcount", 0) or 0)
