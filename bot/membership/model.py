"""Members and what is recorded about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# The kernel's (every command needs the member who acts), named here with the rest.
from bot.members import Member as Member
from bot.members import MemberStatus as MemberStatus
from bot.members import Profile as Profile
from bot.roles import Role


class AccountTaken(Exception):
    """Storage found the account already belongs to a member: another request (a double
    click on a form's submit, a second window) joined with it a moment ago."""


class Decision(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


# Records that copy an author's name (the library's audit, role changes) keep this
# instead once the author leaves: the entry stays, the name goes, and readers see
# "Former member" in their language. The member row itself keeps a tombstone name.
NAME_REMOVED = ""
TOMBSTONE_NAME = "Former member"

# Limits on what a member types; storage columns are sized from these.
NAME_MAX = 80
ORGANIZATION_MAX = 120
JURISDICTION_MAX = 120
LIST_ITEM_MAX = 60


@dataclass(frozen=True, slots=True)
class JoinRequest:
    id: int
    member_id: int
    requested_at: datetime
    decision: Decision = Decision.PENDING
    decided_by: int | None = None
    decided_by_name: str | None = None
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RoleChange:
    member_id: int
    role: Role
    granted: bool  # False: revoked
    by_member_id: int | None
    by_name: str
    at: datetime


@dataclass(frozen=True, slots=True)
class DirectoryQuery:
    words: str | None = None  # each word in the name or the organization
    organization: str | None = None
    region: str | None = None
    discipline: str | None = None
    interest: str | None = None
    name: str | None = None
    # The role as granted in chat (MEMBER or COORDINATOR): admins come from the config.
    role: Role | None = None
    page: int = 1
    per_page: int = 10


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """What the directory shows of a member: no more is loaded for a listing."""

    id: int
    display_name: str
    organization: str
    region: str
    discipline: str


# Counting stops here: past it a listing is too broad to read, and a filter helps more.
DIRECTORY_COUNT_CAP = 500


@dataclass(frozen=True, slots=True)
class DirectoryPage:
    members: list[DirectoryEntry] = field(default_factory=list)
    total: int = 0  # at most DIRECTORY_COUNT_CAP + 1
    page: int = 1
    per_page: int = 10

    @property
    def more_than_cap(self) -> bool:
        return self.total > DIRECTORY_COUNT_CAP

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))
