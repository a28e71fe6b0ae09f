"""The one declaration of every command and every button action.

Each capability declares its commands here once (path, options, help, role,
handler). Help text, the terminal's walk-through forms, and later the Slack
manifest and Discord application commands are all derived from it, so the
platforms cannot drift apart. Declared help and labels are msgids: they are
translated when shown.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.member_data import MemberData
from bot.messages import Given, Usage
from bot.options import CLEAR_WORDS, NATIVE_KINDS, Option, OptionKind, OptionType
from bot.roles import Role

__all__ = [
    "CLEAR_WORDS",
    "Action",
    "ActionHandler",
    "Args",
    "Catalogue",
    "CatalogueError",
    "Command",
    "CommandHandler",
    "Option",
    "OptionKind",
    "Prefill",
]

if TYPE_CHECKING:
    from bot.context import Context
    from bot.messages import Reply

Args = Mapping[str, Any]
CommandHandler = Callable[["Context", Args], Awaitable["Reply"]]
ActionHandler = Callable[["Context", str], Awaitable["Reply"]]
# Given what was typed with the command (as form values), the form's values.
Prefill = Callable[["Context", Mapping[str, str]], Awaitable[dict[str, str]]]
# Given the same, the names of options the form leaves out (a field nobody could fill).
FormHides = Callable[["Context", Mapping[str, str]], Awaitable[frozenset[str]]]

# Discord is the strictest platform: names of at most 32 lower-case characters,
# two levels of subcommands, 25 options; Slack accepts anything Discord does.
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_ACTION = re.compile(r"^[a-z][a-z0-9_.]{0,39}$")
MAX_OPTIONS = 25


@dataclass(frozen=True, slots=True)
class Command:
    path: tuple[str, ...]
    help: str
    handler: CommandHandler
    options: tuple[Option, ...] = ()
    role: Role = Role.MEMBER
    # Given no options, ask for them in a form (a modal, or a walk-through in the terminal).
    form: bool = False
    form_title: str = ""
    prefill: Prefill | None = None
    form_hides: FormHides | None = None
    # Replies are public in the channel instead of private to the caller.
    public: bool = False

    @property
    def name(self) -> str:
        return " ".join(self.path)

    def option(self, name: str) -> Option | None:
        """The option called `name`, or known by it as an alias."""
        found = next((o for o in self.options if o.name == name), None)
        return found or next((o for o in self.options if name in o.aliases), None)

    def usage(self, *options: Option, today: date | None = None) -> Usage:
        """This command with example values of `options`, for help and errors."""
        return Usage(
            self.name,
            tuple(Given(o.name, o.example_on(today) or "...", bare=o.takes_rest) for o in options),
        )


@dataclass(frozen=True, slots=True)
class Action:
    """What a button does. Anyone who can see a button can click it, so the role is re-checked."""

    name: str
    handler: ActionHandler
    role: Role = Role.MEMBER


class CatalogueError(Exception):
    """A declaration no platform could accept; raised at start, never in front of users."""


class Catalogue:
    def __init__(
        self,
        commands: Iterable[Command],
        actions: Iterable[Action],
        option_types: Mapping[OptionKind, OptionType] | None = None,
        member_data: MemberData | None = None,
    ) -> None:
        self.commands: dict[tuple[str, ...], Command] = {}
        self.actions: dict[str, Action] = {}
        # How the capabilities' own kinds of option are read (bot/capability.py).
        self.option_types: Mapping[OptionKind, OptionType] = dict(option_types or {})
        # What each capability forgets when a member leaves, and adds to their export.
        self.member_data = member_data or MemberData()
        for command in commands:
            self._add_command(command)
        for action in actions:
            if not _ACTION.match(action.name) or action.name in self.actions:
                raise CatalogueError(f"bad or repeated action name {action.name!r}")
            self.actions[action.name] = action
        self._groups = frozenset(p[0] for p in self.commands if len(p) == 2)

    def _add_command(self, command: Command) -> None:
        if not 1 <= len(command.path) <= 2 or not all(_NAME.match(p) for p in command.path):
            raise CatalogueError(f"bad command path {command.path!r}")
        if command.path in self.commands:
            raise CatalogueError(f"command {command.name!r} declared twice")
        # A name is either a command or a group of subcommands, never both (Discord's rule).
        if len(command.path) == 2 and (command.path[0],) in self.commands:
            raise CatalogueError(f"{command.path[0]!r} is a command and a group")
        if len(command.path) == 1 and any(p[0] == command.path[0] for p in self.commands):
            raise CatalogueError(f"{command.path[0]!r} is a command and a group")
        if len(command.options) > MAX_OPTIONS:
            raise CatalogueError(f"{command.name!r} has more than {MAX_OPTIONS} options")
        for option in command.options:
            if option.kind not in NATIVE_KINDS and option.kind not in self.option_types:
                raise CatalogueError(
                    f"no capability reads {option.kind} options ({command.name!r})"
                )
        names = [n for o in command.options for n in (o.name, *o.aliases)]
        if len(set(names)) != len(names) or not all(_NAME.match(n) for n in names):
            raise CatalogueError(f"{command.name!r} has bad or repeated option names")
        self.commands[command.path] = command

    def command(self, path: tuple[str, ...]) -> Command | None:
        return self.commands.get(path)

    def action(self, name: str) -> Action | None:
        return self.actions.get(name)

    def groups(self) -> dict[str, list[Command]]:
        """Top-level names and their commands: a plain command is a group of one."""
        grouped: dict[str, list[Command]] = {}
        for path, command in sorted(self.commands.items()):
            grouped.setdefault(path[0], []).append(command)
        return grouped

    def is_group(self, name: str) -> bool:
        return name in self._groups

    def visible_to(self, role: Role) -> list[Command]:
        return [c for _, c in sorted(self.commands.items()) if c.role <= role]
