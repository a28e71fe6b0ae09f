"""What the roster capability needs from storage, as protocols."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from bot.roster.model import Invitation, RosterEntry


class InvitationRepository(Protocol):
    async def by_emails(self, emails: Collection[str]) -> dict[str, Invitation]:
        """The invitations of these (lower-case) emails, by email."""
        ...

    async def add_many(self, entries: Sequence[tuple[RosterEntry, str]], *, at: datetime) -> None:
        """New pending invitations, each (entry, code)."""
        ...

    async def update_many(self, entries: Sequence[RosterEntry], *, at: datetime) -> None:
        """Write the row data of these pending invitations, found by email."""
        ...

    async def by_code(self, code: str) -> Invitation | None: ...

    async def mark_used(self, invitation_id: int, member_id: int, *, at: datetime) -> bool:
        """True if this call turned a pending invitation into the member's used one."""
        ...

    async def forget_member(self, member_id: int) -> None:
        """Delete the invitation this member joined with, if any."""
        ...

    async def pending(self) -> list[Invitation]:
        """Invitations nobody has used yet, by name."""
        ...

    async def any_pending(self) -> bool:
        """Whether any invitation is still unused (one indexed row read, for the join form)."""
        ...

    async def forget_unused(self, before: datetime) -> int:
        """Delete pending invitations last changed before `before`; how many went."""
        ...


class RosterRepositories(Protocol):
    @property
    def invitations(self) -> InvitationRepository: ...
