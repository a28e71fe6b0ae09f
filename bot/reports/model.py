"""A sessions report: what each occurrence had, and the period's totals.

Figures only, and free-text answers with no names: the report names no member,
whether they are listed in the directory, hidden from it, or gone. Figures are
built from counts the database aggregates (storage/reports.py), so the numbers a
funder reads are the ones tests assert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

SCALE_POINTS = (1, 2, 3, 4, 5)


class Basis(StrEnum):
    """Whose organizations and regions the report counts."""

    ATTENDED = "attended"  # attendance recorded (check-in, coordinator, import)
    GOING = "going"  # no attendance recorded in the period: those who said Going


@dataclass(frozen=True, slots=True)
class Period:
    since: date
    until: date  # inclusive
    series: int | None = None  # a meeting's number: its occurrences only


@dataclass(frozen=True, slots=True)
class SessionLine:
    """One occurrence of a meeting, on the day it took place; all zeros if nobody
    answered, attended or was sent an evaluation."""

    meeting_id: int
    title: str
    occurrence: date
    going: int
    maybe: int
    declined: int
    attended: int
    organizations: int  # distinct, of the basis's people
    jurisdictions: int
    sent: int  # evaluations sent by DM
    responses: int
    usefulness: tuple[int, ...]  # how many answered 1, 2, 3, 4, 5
    # (question, answer): free text, sorted, never with a name.
    texts: tuple[tuple[str, str], ...] = ()
    # The date it was scheduled on, when it was moved to another (`occurrence`).
    moved_from: date | None = None

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.sent if self.sent else None

    @property
    def average_usefulness(self) -> float | None:
        return average(self.usefulness)


@dataclass(frozen=True, slots=True)
class Totals:
    participants: int  # distinct people of the basis in the period
    returning: int  # of them, at two occurrences or more
    organizations: tuple[tuple[str, int], ...]  # (organization, people), most first
    jurisdictions: int
    regions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    series_title: str | None
    basis: Basis
    sessions: tuple[SessionLine, ...]
    totals: Totals

    @property
    def usefulness(self) -> tuple[int, ...]:
        """The period's answers to the usefulness question, per point of the scale."""
        return tuple(sum(s.usefulness[i] for s in self.sessions) for i in range(len(SCALE_POINTS)))

    @property
    def average_usefulness(self) -> float | None:
        return average(self.usefulness)

    @property
    def sent(self) -> int:
        return sum(s.sent for s in self.sessions)

    @property
    def responses(self) -> int:
        return sum(s.responses for s in self.sessions)

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.sent if self.sent else None


def average(distribution: tuple[int, ...]) -> float | None:
    count = sum(distribution)
    if not count:
        return None
    return sum(p * n for p, n in zip(SCALE_POINTS, distribution, strict=False)) / count
