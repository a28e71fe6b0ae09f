"""Every capability the bot runs: one line each.

The catalogue of commands, the option types, the parts, the listeners, the jobs and the
repositories storage must provide all come from these declarations
(bot/capability.py). Adding a capability adds its line here, and its
repositories to bot/ports.py's UnitOfWork.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from bot.attendance.capability import ATTENDANCE
from bot.capability import Capability, Listener, Part
from bot.catalogue import Catalogue, CatalogueError
from bot.dashboard.capability import DASHBOARD_ACCESS
from bot.discussions.capability import DISCUSSIONS
from bot.evaluations.capability import EVALUATIONS
from bot.help import HELP
from bot.matching.capability import MATCHING
from bot.meetings.capability import MEETINGS
from bot.member_data import MemberData
from bot.membership.capability import MEMBERSHIP
from bot.options import OptionKind
from bot.polls.capability import POLLS
from bot.questions.capability import QUESTIONS
from bot.reports.capability import REPORTS
from bot.resources.capability import RESOURCES
from bot.roster.capability import ROSTER
from bot.whenargs import DATE_TIME_TYPES

CAPABILITIES: tuple[Capability, ...] = (
    Capability("help", commands=(HELP,)),
    # Dates and times: the kernel reads them for every capability that asks.
    Capability("dates and times", option_types=DATE_TIME_TYPES),
    MEMBERSHIP,
    RESOURCES,
    # Before meetings, attendance and evaluations: when a member leaves, it keeps their
    # counts (no member id) before those delete their rows (bot/reports/member_data.py).
    REPORTS,
    MEETINGS,
    DISCUSSIONS,
    DASHBOARD_ACCESS,
    ROSTER,
    POLLS,
    QUESTIONS,
    ATTENDANCE,
    MATCHING,
    EVALUATIONS,
)


@cache
def build_catalogue() -> Catalogue:
    return catalogue_of(CAPABILITIES)


def catalogue_of(capabilities: Sequence[Capability]) -> Catalogue:
    """The catalogue the capabilities declare; CatalogueError at start if they clash."""
    readers: dict[OptionKind, str] = {}
    for capability in capabilities:
        for kind in capability.option_types:
            # One reader per kind: a second would silently replace the first.
            if kind in readers:
                raise CatalogueError(
                    f"{readers[kind]!r} and {capability.name!r} both read {kind} options"
                )
            readers[kind] = capability.name
    return Catalogue(
        commands=[c for capability in capabilities for c in capability.commands],
        actions=[a for capability in capabilities for a in capability.actions],
        option_types={
            kind: read
            for capability in capabilities
            for kind, read in capability.option_types.items()
        },
        member_data=MemberData(
            on_leave=tuple(step for c in capabilities for step in c.on_leave),
            export=tuple(part for c in capabilities for part in c.export),
        ),
    )


def parts() -> list[Part]:
    return [part for capability in CAPABILITIES for part in capability.parts]


def listeners() -> list[Listener]:
    return [listen for capability in CAPABILITIES for listen in capability.listeners]
