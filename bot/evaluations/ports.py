"""What evaluations need from storage, as protocols (storage/evaluations.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol

from bot.evaluations.model import Evaluation, Opened, Question


class MyEvaluation(NamedTuple):
    """An evaluation sent to or answered by a member, as their export shows it."""

    meeting_id: int
    occurrence: date
    sent: bool
    answered: bool
    # A named evaluation's answers; None if anonymous (nothing ties them to the member).
    answers: tuple[str, ...] | None


class EvaluationRepository(Protocol):
    async def add(
        self,
        meeting_id: int,
        *,
        anonymous: bool,
        template: str,
        questions: Sequence[Question],
        by_member_id: int,
        at: datetime,
    ) -> Evaluation | None:
        """A meeting's evaluation (taken up again if it was removed); None if it has one."""
        ...

    async def remove(self, meeting_id: int, at: datetime) -> bool:
        """No more sending for this meeting; answers kept. False if it had none."""
        ...

    async def get(self, evaluation_id: int) -> Evaluation | None: ...

    async def of_meeting(self, meeting_id: int) -> Evaluation | None: ...

    async def active(self) -> list[Evaluation]:
        """The evaluations still sent, with their meetings."""
        ...

    async def open(self, opened: Opened) -> bool:
        """Record that an occurrence's evaluation is sent; False if it was already."""
        ...

    async def opened(self, evaluation_id: int, occurrence: date) -> Opened | None: ...

    async def taking_answers(self, now: datetime) -> list[Opened]:
        """Opened occurrences whose window is still open."""
        ...

    async def recipients(self, evaluation_id: int, occurrence: date) -> list[int]:
        """Members the evaluation goes to and has not reached yet: those who said Going
        (and, after the attendance branch, those who checked in)."""
        ...

    async def claim_send(
        self,
        evaluation_id: int,
        occurrence: date,
        member_id: int,
        *,
        owner: str,
        now: datetime,
        hold: timedelta,
        tries: int = 5,
    ) -> str:
        """Take the DM to a member: "new" the first time; "again" if a claim was left
        unsent past `hold` (it may have gone out: look first), up to `tries` claims in
        all; "" if not this caller's."""
        ...

    async def sent(
        self, evaluation_id: int, occurrence: date, member_id: int, at: datetime
    ) -> None: ...

    async def claim_reminders(
        self, opened: Opened, *, owner: str, now: datetime, hold: timedelta
    ) -> list[int]:
        """Take the one reminder of each member sent the evaluation who has not answered."""
        ...

    async def reminded(
        self, evaluation_id: int, occurrence: date, member_id: int, at: datetime
    ) -> None: ...

    async def claim_post(
        self, evaluation_id: int, occurrence: date, *, now: datetime, hold: timedelta
    ) -> tuple[int, frozenset[str]] | None:
        """Take the public "Share your feedback" post if not done (again after `hold`
        if a try failed): (tries so far, platforms posted on); None if not this caller's."""
        ...

    async def post_tried(
        self,
        evaluation_id: int,
        occurrence: date,
        posted_on: frozenset[str],
        tries: int,
        done_at: datetime | None,
    ) -> None:
        """Note a try of the public post; `done_at` set: posted everywhere, or given up."""
        ...

    async def answer(
        self,
        evaluation_id: int,
        occurrence: date,
        member_id: int,
        answers: Sequence[str],
        now: datetime,
    ) -> str:
        """Save a member's answers; an AnswerOutcome value.

        Anonymous: the answers join the occurrence's shuffled list, with no member,
        and the member joins "who answered", with nothing about what. Named: the
        answers are the member's, and may be given again (changed) within the window.
        """
        ...

    async def answered(self, evaluation_id: int, occurrence: date, member_id: int) -> bool: ...

    async def named_answers(
        self, evaluation_id: int, occurrence: date, member_id: int
    ) -> tuple[str, ...] | None: ...

    async def instants_between(self, after: datetime, until: datetime) -> list[datetime]:
        """Reminder instants in (after, until] of opened occurrences."""
        ...

    async def forget_member(self, member_id: int) -> None:
        """A member leaves: who they were sent to, who answered, and their named answers go
        (a named answer stays in the counts as an anonymous one)."""
        ...

    async def of_member(self, member_id: int) -> list[MyEvaluation]: ...


class EvaluationsRepositories(Protocol):
    @property
    def evaluations(self) -> EvaluationRepository: ...
