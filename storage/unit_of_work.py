"""One transaction per command or click, with the core's repositories bound to it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from functools import cached_property
from types import TracebackType

from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import StorageUnavailable
from storage.attendance import SqlAttendance
from storage.calendar_feeds import SqlCalendarFeeds
from storage.dashboard import SqlDashboardAccess
from storage.deliveries import SqlDeliveries
from storage.digests import SqlDigestDeliveries
from storage.discussions import SqlDiscussions
from storage.engagement import SqlEngagement
from storage.evaluations import SqlEvaluations
from storage.invitations import SqlInvitations
from storage.matching import SqlMatching
from storage.meetings import SqlMeetings
from storage.members import SqlMembers
from storage.polls import SqlPolls
from storage.questions import SqlQuestions
from storage.records import SqlJoinRequests, SqlLinkCodes, SqlRoleChanges
from storage.reports import SqlReports
from storage.resource_audit import SqlResourceAudit
from storage.resource_retirements import SqlRetirements
from storage.resources import SqlResources
from storage.resources_by_member import SqlSuggestionsByMember
from storage.rsvps import SqlRsvps
from storage.write_turn import WriteTurn

# Errors that mean "the database is not there right now", not "this request is wrong".
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, OSError, TimeoutError)


class SqlUnitOfWork:
    """A session and the repositories bound to it, for one command, click or job."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], turn: WriteTurn | None = None
    ) -> None:
        self.session = sessions()
        self._after_commit: list[Callable[[], None]] = []
        self.members = SqlMembers(self.session)
        # SQLite, a unit of work that may write: it waits its turn before its
        # BEGIN IMMEDIATE (storage/write_turn.py), and holds it until it ends.
        self._turn = turn
        self._holds_turn = False

    async def __aenter__(self) -> SqlUnitOfWork:
        if self._turn is not None:
            try:
                self._holds_turn = await self._turn.acquire()
            except TimeoutError as error:
                await self.session.close()
                raise StorageUnavailable("SQLite's write turn did not come") from error
        return self

    @cached_property
    def join_requests(self) -> SqlJoinRequests:
        return SqlJoinRequests(self.session)

    @cached_property
    def role_changes(self) -> SqlRoleChanges:
        return SqlRoleChanges(self.session)

    @cached_property
    def link_codes(self) -> SqlLinkCodes:
        return SqlLinkCodes(self.session)

    @cached_property
    def meetings(self) -> SqlMeetings:
        return SqlMeetings(self.session, self._after_commit.append)

    @cached_property
    def rsvps(self) -> SqlRsvps:
        return SqlRsvps(self.session)

    @cached_property
    def deliveries(self) -> SqlDeliveries:
        return SqlDeliveries(self.session)

    @cached_property
    def resources(self) -> SqlResources:
        return SqlResources(self.session)

    @cached_property
    def resource_audit(self) -> SqlResourceAudit:
        return SqlResourceAudit(self.session)

    @cached_property
    def resource_suggestions(self) -> SqlSuggestionsByMember:
        return SqlSuggestionsByMember(self.session)

    @cached_property
    def resource_retirements(self) -> SqlRetirements:
        return SqlRetirements(self.session)

    @cached_property
    def discussions(self) -> SqlDiscussions:
        return SqlDiscussions(self.session)

    @cached_property
    def digest_deliveries(self) -> SqlDigestDeliveries:
        return SqlDigestDeliveries(self.session)

    @cached_property
    def calendar_feeds(self) -> SqlCalendarFeeds:
        return SqlCalendarFeeds(self.session)

    @cached_property
    def dashboard(self) -> SqlDashboardAccess:
        return SqlDashboardAccess(self.session)

    @cached_property
    def engagement(self) -> SqlEngagement:
        return SqlEngagement(self.session)

    @cached_property
    def invitations(self) -> SqlInvitations:
        return SqlInvitations(self.session)

    @cached_property
    def polls(self) -> SqlPolls:
        return SqlPolls(self.session, self._after_commit.append)

    @cached_property
    def questions(self) -> SqlQuestions:
        return SqlQuestions(self.session)

    @cached_property
    def attendance(self) -> SqlAttendance:
        return SqlAttendance(self.session)

    @cached_property
    def matching(self) -> SqlMatching:
        return SqlMatching(self.session)

    @cached_property
    def evaluations(self) -> SqlEvaluations:
        return SqlEvaluations(self.session, self._after_commit.append)

    @cached_property
    def reports(self) -> SqlReports:
        return SqlReports(self.session)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing rolls back anything not committed; if the connection is gone,
        # there is nothing left to roll back.
        try:
            with suppress(*UNAVAILABLE):
                await self.session.close()
        finally:
            if self._holds_turn and self._turn is not None:
                self._holds_turn = False
                self._turn.release()
        if isinstance(exc, UNAVAILABLE) or (
            isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
        ):
            raise StorageUnavailable(str(exc)) from exc

    async def commit(self) -> None:
        await self.session.commit()
        if not self._after_commit:
            return
        # Told only once the change is visible to others (a scheduler re-reads it).
        callbacks, self._after_commit[:] = list(self._after_commit), []
        for callback in dict.fromkeys(callbacks):
            callback()

    async def rollback(self) -> None:
        with suppress(*UNAVAILABLE):
            await self.session.rollback()
