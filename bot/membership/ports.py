"""What the membership capability needs from storage, as protocols."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from bot.identity import Identity
from bot.members import Members
from bot.membership.model import (
    Decision,
    DirectoryPage,
    DirectoryQuery,
    JoinRequest,
    Member,
    Profile,
    RoleChange,
)
from bot.roles import Role


class MemberRepository(Members, Protocol):
    async def add(
        self, profile: Profile, identity: Identity, *, pending: bool, at: datetime
    ) -> Member:
        """A new member with this account; AccountTaken if the account joined meanwhile."""
        ...

    async def get(self, member_id: int) -> Member | None: ...

    async def get_many(self, member_ids: Collection[int]) -> dict[int, Member]:
        """These members by id, in one query (a page of a listing); unknown ids left out."""
        ...

    async def by_identity(self, identity: Identity) -> Member | None: ...

    async def by_name(self, name: str) -> list[Member]:
        """Active members whose display name is `name`, ignoring case."""
        ...

    async def update_profile(
        self,
        member_id: int,
        profile: Profile,
        *,
        at: datetime,
        fields: Collection[str] | None = None,
    ) -> None:
        """Write `fields` of `profile` (every field when None), leaving the others as stored."""
        ...

    async def set_status(self, member_id: int, status: str) -> None: ...

    async def set_role(self, member_id: int, role: Role) -> None: ...

    async def search(self, query: DirectoryQuery) -> DirectoryPage:
        """Active, listed members matching every given filter, by name, one page."""
        ...

    async def with_role(self, role: Role) -> list[Member]: ...

    async def count_joined(self, since: datetime, until: datetime) -> int:
        """Active members who joined in [since, until): the digest's new members."""
        ...

    async def used(self, identity: Identity, *, at: datetime) -> None:
        """Record that a member with linked accounts ran a command from this one."""
        ...

    async def link_identity(self, member_id: int, identity: Identity) -> None: ...

    async def erase(self, member_id: int, *, at: datetime) -> None:
        """Remove personal data and identities; keep a tombstone row for references."""
        ...


class JoinRequestRepository(Protocol):
    async def open(self, member_id: int, at: datetime) -> JoinRequest: ...

    async def get(self, request_id: int) -> JoinRequest | None: ...

    async def pending(self) -> list[JoinRequest]: ...

    async def decide(
        self, request_id: int, decision: Decision, by_member_id: int, at: datetime
    ) -> bool:
        """Record the decision if none was made yet; False if someone decided first."""
        ...

    async def for_member(self, member_id: int) -> list[JoinRequest]: ...


class RoleChangeRepository(Protocol):
    async def record(self, change: RoleChange) -> None: ...

    async def history(self, member_id: int | None = None) -> list[RoleChange]: ...


class LinkCodeRepository(Protocol):
    async def create(self, code: str, member_id: int, expires_at: datetime) -> None: ...

    async def redeem(self, code: str, now: datetime) -> int | None:
        """The member the code belongs to, if it is unused and unexpired; marks it used."""
        ...


class MembershipRepositories(Protocol):
    """The membership capability's repositories, as a unit of work holds them."""

    @property
    def members(self) -> MemberRepository: ...

    @property
    def join_requests(self) -> JoinRequestRepository: ...

    @property
    def role_changes(self) -> RoleChangeRepository: ...

    @property
    def link_codes(self) -> LinkCodeRepository: ...
