"""Discord forms half filled in, kept where every replica sees them, until they expire.

A form asked in several modals (adapters/discord/forms.py) keeps the answers given so
far between steps; the next step may reach another replica, or this one restarted.
The answers are personal data: a row goes when the form is sent, when it expires,
and when the member leaves (storage/members.py `erase`). They are never logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.schema.discord_forms import DiscordFormRow


class DiscordForms:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def save(self, token: str, user_id: str, state: str, *, expires_at: datetime) -> None:
        """Write the form's state (JSON), creating the row or replacing what it held."""
        async with self._sessions() as session, session.begin():
            row = await session.get(DiscordFormRow, token)
            if row is None:
                session.add(
                    DiscordFormRow(token=token, user_id=user_id, state=state, expires_at=expires_at)
                )
            elif row.user_id == user_id:
                row.state = state

    async def load(self, token: str, user_id: str, *, now: datetime) -> str | None:
        """The form's state, if it is this person's and has not expired."""
        async with self._sessions() as session:
            found = await session.execute(
                select(DiscordFormRow.state).where(
                    DiscordFormRow.token == token,
                    DiscordFormRow.user_id == user_id,
                    DiscordFormRow.expires_at > now,
                )
            )
            return found.scalar_one_or_none()

    async def delete(self, token: str) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(delete(DiscordFormRow).where(DiscordFormRow.token == token))

    async def forget_expired(self, now: datetime) -> int:
        """Delete forms past their expiry; how many went."""
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                delete(DiscordFormRow).where(DiscordFormRow.expires_at <= now)
            )
        return int(getattr(result, "rowcount", 0) or 0)


async def forget_forms_of(session: AsyncSession, user_ids: Iterable[str]) -> None:
    """Delete the forms these Discord accounts were filling in (a member leaving)."""
    accounts = list(user_ids)
    if accounts:
        await session.execute(delete(DiscordFormRow).where(DiscordFormRow.user_id.in_(accounts)))
