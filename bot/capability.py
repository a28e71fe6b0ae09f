"""What a capability brings, declared once: bot/registry.py lists the capabilities.

A capability (membership, resources, meetings, discussions, polls; matching
next) lives in its own package of bot/ and declares in its `capability.py`
everything the kernel and the adapters need to run it. The kernel modules never
import a capability (tests/core/test_boundaries.py); they take these
declarations as values.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.catalogue import Action, Command
from bot.delivery import Services
from bot.invocation import ThreadMessage
from bot.member_data import ExportPart, LeaveStep
from bot.options import OptionKind, OptionType

# A part of a capability that lives as long as the process (a buffer, a service),
# made once from the Services and found again with `services.get(its type)`.
Part = Callable[[Services], object]
Work = Callable[[Services], Awaitable[object]]
# Told of each platform event (Dispatcher.event); True when the event was the
# capability's to take (a reply in a discussion's thread), False when none of its business.
Listener = Callable[[Services, ThreadMessage], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Job:
    """Work run every `seconds`; with several replicas, only on the leader unless told."""

    name: str
    seconds: float
    work: Work
    leader_only: bool = True


class TimedWork(Protocol):
    """Work due at instants the database knows (meeting reminders).

    The scheduler asks when it is next due, wakes at each of those instants, and
    runs it on every sweep as a safety net.
    """

    async def run_due(self) -> object: ...

    async def next_due(self, until: datetime) -> list[datetime]: ...


@dataclass(frozen=True, slots=True)
class Capability:
    name: str
    commands: tuple[Command, ...] = ()
    actions: tuple[Action, ...] = ()
    # How its own kinds of option are read (a meeting's date, time, length, repeat rule).
    option_types: Mapping[OptionKind, OptionType] = field(default_factory=dict)
    # The unit of work's attributes it uses; storage must provide each
    # (storage/unit_of_work.py; tests/core/test_capabilities.py checks).
    repositories: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()
    listeners: tuple[Listener, ...] = ()
    jobs: tuple[Job, ...] = ()
    # Parts (by type) the scheduler runs when due: each must be a TimedWork.
    timed: tuple[type[TimedWork], ...] = ()
    # Run when the bot stops, before the database is closed (buffered counts written).
    on_stop: tuple[Work, ...] = ()
    # When a member leaves: forget what was theirs here, in the unit of work that
    # erases their profile (bot/member_data.py). Their export: what it holds of them.
    on_leave: tuple[LeaveStep, ...] = ()
    export: tuple[ExportPart, ...] = ()
