"""Assembles the catalogue from every capability's declarations."""

from __future__ import annotations

from functools import cache

from bot import help as help_command
from bot.catalogue import Catalogue, Command, Option, OptionKind
from bot.discussions import commands as discussions
from bot.i18n import N_
from bot.meetings import commands as meetings
from bot.membership import commands as membership
from bot.resources import commands as resources
from bot.roles import Role

HELP = Command(
    ("help",),
    N_("Show what I can do, or explain one command"),
    help_command.show,
    (Option("command", OptionKind.TEXT, help_command.HELP_TOPIC, N_("Command"), max_length=60),),
    role=Role.GUEST,
)


@cache
def build_catalogue() -> Catalogue:
    return Catalogue(
        commands=(
            HELP,
            *membership.COMMANDS,
            *resources.COMMANDS,
            *meetings.COMMANDS,
            *discussions.COMMANDS,
        ),
        actions=(*membership.ACTIONS, *resources.ACTIONS, *meetings.ACTIONS, *discussions.ACTIONS),
    )
