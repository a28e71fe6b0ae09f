"""One transaction per command or click, with the core's repositories bound to it."""

from __future__ import annotations

from contextlib import suppress
from types import TracebackType

from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import StorageUnavailable
from storage.members import SqlMembers
from storage.records import SqlJoinRequests, SqlLinkCodes, SqlRoleChanges

# Errors that mean "the database is not there right now", not "this request is wrong".
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, OSError, TimeoutError)


class SqlUnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.members = SqlMembers(self.session)
        self.join_requests = SqlJoinRequests(self.session)
        self.role_changes = SqlRoleChanges(self.session)
        self.link_codes = SqlLinkCodes(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing rolls back anything not committed; if the connection is gone,
        # there is nothing left to roll back.
        with suppress(*UNAVAILABLE):
            await self.session.close()
        if isinstance(exc, UNAVAILABLE) or (
            isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
        ):
            raise StorageUnavailable(str(exc)) from exc

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        with suppress(*UNAVAILABLE):
            await self.session.rollback()
