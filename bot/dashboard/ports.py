"""Where sign-in links and dashboard sessions are kept: only hashes of their secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from bot.members import Member


@dataclass(frozen=True, slots=True)
class SessionSeen:
    """A session as stored, read without writing anything."""

    member_id: int
    csrf: str
    last_seen: datetime  # the last use written (at most SEEN_STEP behind the last click)
    flash: bool  # whether a text waits to be shown once (`take_flash`)
    member: Member | None  # None: no longer there


class DashboardAccess(Protocol):
    async def add_link(self, token_hash: str, member_id: int, expires_at: datetime) -> None: ...

    async def link_usable(self, token_hash: str, now: datetime) -> bool:
        """Whether the link would still sign someone in (not used, not expired)."""
        ...

    async def use_link(self, token_hash: str, now: datetime) -> int | None:
        """The member the link was made for, once; None when used, expired or unknown."""
        ...

    async def start_session(
        self, session_hash: str, member_id: int, csrf: str, now: datetime
    ) -> None: ...

    async def seen(self, session_hash: str) -> SessionSeen | None:
        """The session as stored, with its member, or None; a read only (it ends nothing
        and writes no use)."""
        ...

    async def active_session(
        self, session_hash: str, now: datetime, idle: timedelta, step: timedelta
    ) -> tuple[int, str] | None:
        """(member id, CSRF token) of a session used within `idle`, else None. Its use
        is written only when the one stored is `step` old or more: most requests
        write nothing."""
        ...

    async def end_session(self, session_hash: str) -> None: ...

    async def set_flash(self, session_hash: str, text: str) -> None:
        """Keep `text` to show once, on the session's next page."""
        ...

    async def take_flash(self, session_hash: str) -> str:
        """The kept text ("" if none), forgotten as it is read."""
        ...

    async def forget_expired(self, now: datetime, idle: timedelta) -> int:
        """Delete expired links and sessions idle for `idle`; how many rows went."""
        ...


MemberField = Literal["region", "discipline", "organization"]


@dataclass(frozen=True, slots=True)
class SessionAnswers:
    """How members answered for one occurrence of a meeting."""

    meeting_id: int
    title: str
    occurrence: date
    going: int
    maybe: int
    not_going: int


@dataclass(frozen=True, slots=True)
class ResourceMonth:
    """Resources of one type suggested, and approved, in one month ("YYYY-MM", UTC)."""

    month: str
    type: str
    suggested: int
    approved: int


class EngagementFigures(Protocol):
    """Counts for the dashboard's engagement page, each worked out by the database
    (GROUP BY), never by reading every row: a report may ask for them too.
    Only counts: no member's name or id leaves these queries."""

    async def member_totals(self) -> tuple[int, int]:
        """(active members, of whom listed in the directory)."""
        ...

    async def members_by(
        self, field: MemberField, limit: int, *, listed_only: bool = False
    ) -> list[tuple[str, int]]:
        """The `limit` largest groups of active members by `field` ("" when not given),
        largest first, then by name."""
        ...

    async def joins_per_month(self, since: datetime) -> list[tuple[str, int]]:
        """Members who joined (active now, or since left) per month ("YYYY-MM", UTC)."""
        ...

    async def resources_per_month(self, since: datetime) -> list[ResourceMonth]:
        """Suggestions per month of suggesting, approvals per month of approving, by type."""
        ...

    async def answers_per_session(self, limit: int) -> list[SessionAnswers]:
        """The `limit` latest occurrences anyone answered for, latest first."""
        ...

    async def most_active_discussions(self, since: datetime, limit: int) -> list[tuple[str, int]]:
        """(title, replies) of the discussions with most replies, active since `since`."""
        ...


class DashboardRepositories(Protocol):
    @property
    def dashboard(self) -> DashboardAccess: ...

    @property
    def engagement(self) -> EngagementFigures: ...
