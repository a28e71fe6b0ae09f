"""Everything a use case may touch while handling one command or click."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.clock import Clock
from bot.config import Config
from bot.delivery import Broadcaster, Services
from bot.errors import FieldError, UserError
from bot.i18n import Translator
from bot.identity import Identity, MemberRef, Place
from bot.invocation import ActorHints
from bot.member_data import MemberData
from bot.members import Member, MemberStatus
from bot.messages import Code, Moment, Strong, Usage
from bot.options import Option
from bot.ports import UnitOfWork
from bot.roles import Role
from bot.timefmt import moment


class CommandInfo(Protocol):
    """What a use case may read of a declared command (bot/catalogue.py's Command)."""

    @property
    def path(self) -> tuple[str, ...]: ...
    @property
    def name(self) -> str: ...
    @property
    def help(self) -> str: ...
    @property
    def options(self) -> tuple[Option, ...]: ...
    @property
    def role(self) -> Role: ...
    @property
    def form(self) -> bool: ...
    @property
    def form_title(self) -> str: ...

    def usage(self, *options: Option, today: date | None = None) -> Usage: ...


class Commands(Protocol):
    """What a use case may read of the catalogue: help lists it, forms are made from it.

    A protocol, so that the catalogue (whose handlers take a Context) and this module
    do not import each other.
    """

    @property
    def commands(self) -> Mapping[tuple[str, ...], CommandInfo]: ...

    def command(self, path: tuple[str, ...]) -> CommandInfo | None: ...

    def groups(self) -> Mapping[str, Sequence[CommandInfo]]: ...

    def is_group(self, name: str) -> bool: ...

    def visible_to(self, role: Role) -> Sequence[CommandInfo]: ...

    @property
    def member_data(self) -> MemberData: ...


@dataclass(slots=True)
class Context:
    actor: Identity
    place: Place
    member: Member | None  # None until the person has joined
    role: Role
    tr: Translator
    uow: UnitOfWork
    clock: Clock
    config: Config
    catalogue: Commands
    hints: ActorHints
    # For work after the commit (Reply.after_commit): fresh units of work, the platforms.
    services: Services
    # The connected platforms, for use cases that must check a channel before saving.
    broadcaster: Broadcaster | None = None

    def require_member(self) -> Member:
        if self.member is None or self.member.status is not MemberStatus.ACTIVE:
            raise UserError(
                "You need to join the coalition first. Type {command} to start.",
                command=Code("/coalition join"),
            )
        return self.member

    def moment(self, at: datetime) -> Moment:
        """An instant for this reader: their zone if they have one, else the coalition's."""
        zone = self.member.profile.timezone if self.member else self.config.coalition.timezone
        return moment(at, zone, self.tr.language)

    async def check_channel(self, option: str, channel: str) -> None:
        """Refuse a channel the bot cannot post in, saying what is missing, before saving."""
        if self.broadcaster is None:
            return
        for problem in await self.broadcaster.channel_problems(channel):
            if problem.permission:
                raise FieldError(
                    option,
                    "I can't post in {channel} on {platform}: I'm missing the {permission} permission there. Ask an admin to grant it, or pick another channel.",
                    channel=Strong(f"#{channel}"),
                    platform=Strong(problem.platform.capitalize()),
                    permission=Strong(problem.permission),
                )
            raise FieldError(
                option,
                "There is no channel {channel} on {platform} that I can see. Check the name, or invite me to that channel.",
                channel=Strong(f"#{channel}"),
                platform=Strong(problem.platform.capitalize()),
            )

    async def resolve_member(self, ref: MemberRef) -> Member:
        """The active member a command names, or a clear error."""
        members = self.uow.members
        if ref.identity is not None:
            found = await members.by_identity(ref.identity)
        else:
            assert ref.name is not None
            # In the terminal "@maria" is both a user id and a name: try the account first.
            found = await members.by_identity(
                Identity(self.actor.platform, self.actor.workspace, ref.name)
            )
            if found is None:
                named = await members.by_name(ref.name)
                if len(named) > 1:
                    raise UserError(
                        "More than one member is called {name}. Mention them with @ instead.",
                        name=Strong(ref.name),
                    )
                found = named[0] if named else None
        if found is None or found.status is not MemberStatus.ACTIVE:
            raise UserError(
                "I can't find a member by that name. Check the spelling, or find them with {command}.",
                command=Code("/coalition directory"),
            )
        return found
