"""One transaction per command or click, with the core's repositories bound to it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from types import TracebackType

from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import StorageUnavailable
from storage.discussions import SqlDigestDeliveries, SqlDiscussions
from storage.meetings import SqlDeliveries, SqlMeetings, SqlRsvps
from storage.member_cache import MemberCache
from storage.members import SqlMembers
from storage.records import SqlJoinRequests, SqlLinkCodes, SqlRoleChanges
from storage.resources import SqlResourceAudit, SqlResources
from storage.resources_by_member import SqlSuggestionsByMember

# Errors that mean "the database is not there right now", not "this request is wrong".
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, OSError, TimeoutError)


class SqlUnitOfWork:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], members: MemberCache | None = None
    ) -> None:
        self._sessions = sessions
        self._member_cache = members

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.members = SqlMembers(self.session, self._member_cache)
        self.join_requests = SqlJoinRequests(self.session)
        self.role_changes = SqlRoleChanges(self.session)
        self.link_codes = SqlLinkCodes(self.session)
        self._after_commit: list[Callable[[], None]] = []
        self.meetings = SqlMeetings(self.session, self._after_commit.append)
        self.rsvps = SqlRsvps(self.session)
        self.deliveries = SqlDeliveries(self.session)
        self.resources = SqlResources(self.session)
        self.resource_audit = SqlResourceAudit(self.session)
        self.resource_suggestions = SqlSuggestionsByMember(self.session)
        self.discussions = SqlDiscussions(self.session)
        self.digest_deliveries = SqlDigestDeliveries(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing rolls back anything not committed; if the connection is gone,
        # there is nothing left to roll back.
        if self._touched():
            with suppress(*UNAVAILABLE):
                await self.session.close()
        if isinstance(exc, UNAVAILABLE) or (
            isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
        ):
            raise StorageUnavailable(str(exc)) from exc

    def _touched(self) -> bool:
        """False if nothing was read or written: no connection, nothing to end."""
        session = self.session
        return session.in_transaction() or bool(session.new or session.dirty or session.deleted)

    async def commit(self) -> None:
        # A command answered from memory (help, one's own profile) skips the round trip.
        if self._touched():
            await self.session.commit()
        if self.members.changed and self._member_cache is not None:
            self._member_cache.clear()
        # Told only once the change is visible to others (a scheduler re-reads it).
        callbacks, self._after_commit[:] = list(self._after_commit), []
        for callback in dict.fromkeys(callbacks):
            callback()

    async def rollback(self) -> None:
        if self._touched():
            with suppress(*UNAVAILABLE):
                await self.session.rollback()
