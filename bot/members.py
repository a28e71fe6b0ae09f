"""The member who acts: what the kernel needs to know of a person to answer them.

The membership capability (bot/membership/) manages members; every command needs
the one who acts (their role, language and time zone), so the type is the kernel's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.identity import Identity
from bot.roles import Role


class MemberStatus(StrEnum):
    PENDING = "pending"  # asked to join; waits for a coordinator (approval mode)
    ACTIVE = "active"
    LEFT = "left"  # a tombstone: personal data removed, references kept


@dataclass(frozen=True, slots=True)
class Profile:
    """What a member tells the coalition about themselves."""

    display_name: str
    organization: str
    jurisdiction: str = ""
    discipline: str = ""
    region: str = ""
    interests: tuple[str, ...] = ()
    timezone: str = "UTC"
    language: str = "en"
    listed: bool = True
    dm_reminders: bool = True  # meeting reminders by direct message when they said Going
    # With linked accounts, the platform reminder DMs go to; "": where they last used the bot.
    dm_platform: str = ""


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    profile: Profile
    status: MemberStatus
    role: Role  # MEMBER or COORDINATOR as stored; admins come from the configuration
    joined_at: datetime
    identities: tuple[Identity, ...] = ()
    # The account they last ran a command from, once they have linked several.
    last_used: Identity | None = None

    @property
    def name(self) -> str:
        return self.profile.display_name


class Members(Protocol):
    """What the kernel reads of the members repository: who acts, and who is named."""

    async def get(self, member_id: int) -> Member | None: ...

    async def by_identity(self, identity: Identity) -> Member | None: ...

    async def by_name(self, name: str) -> list[Member]:
        """Active members whose display name is `name`, ignoring case."""
        ...

    async def used(self, identity: Identity, *, at: datetime) -> None:
        """Record that a member with linked accounts ran a command from this one."""
        ...
