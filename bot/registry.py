"""Every capability the bot runs: one line each.

The catalogue of commands, the option types, the parts, the listeners, the jobs and the
repositories storage must provide all come from these declarations
(bot/capability.py). Adding a capability adds its line here, and its
repositories to bot/ports.py's UnitOfWork.
"""

from __future__ import annotations

from functools import cache

from bot.capability import Capability, Listener, Part
from bot.catalogue import Catalogue
from bot.dashboard.capability import DASHBOARD_ACCESS
from bot.discussions.capability import DISCUSSIONS
from bot.help import HELP
from bot.meetings.capability import MEETINGS
from bot.membership.capability import MEMBERSHIP
from bot.polls.capability import POLLS
from bot.resources.capability import RESOURCES
from bot.roster.capability import ROSTER

CAPABILITIES: tuple[Capability, ...] = (
    Capability("help", commands=(HELP,)),
    MEMBERSHIP,
    RESOURCES,
    MEETINGS,
    DISCUSSIONS,
    DASHBOARD_ACCESS,
    ROSTER,
    POLLS,
)


@cache
def build_catalogue() -> Catalogue:
    return Catalogue(
        commands=[c for capability in CAPABILITIES for c in capability.commands],
        actions=[a for capability in CAPABILITIES for a in capability.actions],
        option_types={
            kind: read
            for capability in CAPABILITIES
            for kind, read in capability.option_types.items()
        },
    )


def parts() -> list[Part]:
    return [part for capability in CAPABILITIES for part in capability.parts]


def listeners() -> list[Listener]:
    return [listen for capability in CAPABILITIES for listen in capability.listeners]
