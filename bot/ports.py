"""What the core needs from the outside world, as protocols.

storage/ implements the repositories and the unit of work; each adapter
implements a Poster. The core depends only on these shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.identity import Identity
from bot.membership.model import (
    Decision,
    DirectoryPage,
    DirectoryQuery,
    JoinRequest,
    Member,
    Profile,
    RoleChange,
)
from bot.messages import Message
from bot.roles import Role

if TYPE_CHECKING:  # the capabilities' protocols import PostedMessage from here
    from bot.discussions.ports import DigestDeliveryRepository, DiscussionRepository
    from bot.meetings.ports import DeliveryRepository, MeetingRepository, RsvpRepository
    from bot.resources.ports import (
        ResourceAuditRepository,
        ResourceRepository,
        RetirementRepository,
        SuggestionsByMember,
    )


class MemberRepository(Protocol):
    async def add(
        self, profile: Profile, identity: Identity, *, pending: bool, at: datetime
    ) -> Member:
        """A new member with this account; AccountTaken if the account joined meanwhile."""
        ...

    async def get(self, member_id: int) -> Member | None: ...

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


class UnitOfWork(Protocol):
    """One transaction: every change a use case makes is committed whole or not at all."""

    @property
    def members(self) -> MemberRepository: ...

    @property
    def join_requests(self) -> JoinRequestRepository: ...

    @property
    def role_changes(self) -> RoleChangeRepository: ...

    @property
    def link_codes(self) -> LinkCodeRepository: ...

    @property
    def resources(self) -> ResourceRepository: ...

    @property
    def resource_audit(self) -> ResourceAuditRepository: ...

    @property
    def resource_suggestions(self) -> SuggestionsByMember: ...

    @property
    def resource_retirements(self) -> RetirementRepository: ...

    @property
    def meetings(self) -> MeetingRepository: ...

    @property
    def rsvps(self) -> RsvpRepository: ...

    @property
    def deliveries(self) -> DeliveryRepository: ...

    @property
    def discussions(self) -> DiscussionRepository: ...

    @property
    def digest_deliveries(self) -> DigestDeliveryRepository: ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """Where a platform put a message, so the core can edit it later (live counts)."""

    platform: str
    channel: str
    message_id: str
    # A link people can open (a Discord thread, a Slack permalink); "" where there is none.
    url: str = ""


class Undeliverable(Exception):
    """The platform will never deliver to this person as things are: they closed their
    direct messages, blocked the bot, or their account is gone. Trying again is useless."""


class Poster(Protocol):
    """One connected platform's way of posting what the core sends unprompted.

    Posting raises when the platform refused or failed, so callers that must
    not lose a message (reminders, review posts) can retry; `post_to_user` raises
    `Undeliverable` when retrying cannot help.
    """

    platform: str

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage | None: ...

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage | None: ...


@runtime_checkable
class Editor(Protocol):
    """A Poster that can also replace a message it posted earlier."""

    async def edit(self, posted: PostedMessage, message: Message) -> None: ...


@dataclass(frozen=True, slots=True)
class ChannelProblem:
    """Why the bot cannot post in a channel on one platform."""

    platform: str
    # The platform's name for the missing permission; empty when there is no such
    # channel that the bot can see.
    permission: str = ""


@runtime_checkable
class ChannelChecker(Protocol):
    """A Poster that can tell, before anything is saved, whether it can post in a channel."""

    async def channel_problem(self, channel: str) -> ChannelProblem | None: ...


@runtime_checkable
class Threader(Protocol):
    """A Poster that can hang a thread under a message it posted, write in it, and close it.

    `open_thread` returns where the thread's replies arrive, as the platform's
    message events will name it: on Slack the message itself (replies carry its
    ts as thread_ts); on Discord the thread channel started from the message, or
    the forum post the message opened. Its `url` links to the thread when the
    platform has links.
    """

    async def open_thread(self, posted: PostedMessage, title: str) -> PostedMessage: ...

    async def post_in_thread(self, thread: PostedMessage, message: Message) -> None: ...

    async def close_thread(self, thread: PostedMessage) -> None: ...


Posters = Sequence[Poster]
