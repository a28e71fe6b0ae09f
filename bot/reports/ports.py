"""What a report needs from storage: counts the database aggregates (storage/reports.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple, Protocol

from bot.reports.model import Basis


class Scope(NamedTuple):
    """Occurrences dated since..until (inclusive), of one meeting or all."""

    since: date
    until: date
    meeting_id: int | None = None
    # (meeting, occurrence) whose rows are no session's: answers alone to a date that
    # did not take place (bot/reports/build.py), so the totals count nobody for them.
    left_out: tuple[tuple[int, date], ...] = ()


class SessionCounts(NamedTuple):
    meeting_id: int
    occurrence: date
    going: int
    maybe: int
    declined: int
    attended: int
    organizations: int
    jurisdictions: int


class PeopleCounts(NamedTuple):
    participants: int
    returning: int
    organizations: list[tuple[str, int]]
    jurisdictions: int
    regions: list[str]


class EvaluationAnswers(NamedTuple):
    """An occurrence's evaluation: how many were sent, and the answers, with no member."""

    meeting_id: int
    occurrence: date
    sent: int
    kinds: tuple[str, ...]  # each question's kind: "scale" or "text"
    questions: tuple[str, ...]
    answers: Sequence[Sequence[str]]


class ReportsRepository(Protocol):
    async def has_attendance(self, scope: Scope) -> bool: ...

    async def sessions(self, scope: Scope, basis: Basis) -> list[SessionCounts]:
        """Every occurrence in scope with an answer, an attendance or an evaluation."""
        ...

    async def people(self, scope: Scope, basis: Basis) -> PeopleCounts: ...

    async def evaluations(self, scope: Scope) -> list[EvaluationAnswers]: ...

    async def titles(self, meeting_ids: Sequence[int]) -> dict[int, str]: ...

    async def keep_departure(self, member_id: int) -> None:
        """Copy a leaving member's answers, attendance and evaluation sends as counts under
        a random number, with no member id, before those capabilities delete them."""
        ...


class ReportsRepositories(Protocol):
    @property
    def reports(self) -> ReportsRepository: ...
