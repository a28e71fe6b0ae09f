"""Peer matching as the use cases see it: an opt-in, a round, a group and its answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

WISHES = ("same", "other", "any")
ROLES = ("mentor", "mentee")
# What a check-in button records.
MET = "yes"
NOT_YET = "not_yet"
SKIP = "skip"
ANSWERS = (MET, NOT_YET, SKIP)
TOPICS_MAX = 10


def folded(text: str) -> str:
    """How matching compares organizations, regions and topics: case and spacing ignored."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True, slots=True)
class Preferences:
    region: str = "any"  # same | other | any
    discipline: str = "any"
    topics: tuple[str, ...] = ()  # from the member's interests
    role: str = ""  # mentor | mentee | ""
    same_organization: bool = False


@dataclass(frozen=True, slots=True)
class OptIn:
    member_id: int
    preferences: Preferences
    joined_at: datetime
    snoozed_until: date | None = None

    def active_on(self, day: date) -> bool:
        """Matched in a round held on `day` (a snooze ends on its date: matched again from then)."""
        return self.snoozed_until is None or self.snoozed_until <= day


@dataclass(frozen=True, slots=True)
class Placement:
    """One member's place in a round: their group and their check-in."""

    round_id: int
    member_id: int
    group: int
    introduced: bool = False
    asked: bool = False
    answer: str | None = None


@dataclass(frozen=True, slots=True)
class RoundStats:
    round_id: int
    due_at: datetime
    groups: int
    members: int
    asked: int
    answered: int
    met: int
