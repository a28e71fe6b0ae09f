"""Where sign-in links and dashboard sessions are kept: only hashes of their secrets."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol


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

    async def active_session(
        self, session_hash: str, now: datetime, idle: timedelta
    ) -> tuple[int, str] | None:
        """(member id, CSRF token) of a session used within `idle`, its use noted; else None."""
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


class DashboardRepositories(Protocol):
    @property
    def dashboard(self) -> DashboardAccess: ...
