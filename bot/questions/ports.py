"""What the question queue needs from storage, as protocols (storage/questions.py)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, Protocol

from bot.posted import PostedMessage
from bot.questions.model import NewQuestion, Question


class MyQuestion(NamedTuple):
    """A question a member asked, as their export shows it."""

    question_id: int
    text: str
    anonymous: bool
    asked_at: datetime
    answer: str | None


class QuestionRepository(Protocol):
    async def add(self, new: NewQuestion, by_member_id: int, at: datetime) -> Question: ...

    async def get(self, question_id: int) -> Question | None: ...

    async def add_post(self, question_id: int, posted: PostedMessage) -> None: ...

    async def upvote(self, question_id: int, member_id: int) -> str:
        """Count a member's upvote once (an UpvoteOutcome value)."""
        ...

    async def open_questions(self, meeting_id: int | None) -> list[Question]:
        """Open (not answered, not hidden) questions, most upvoted first, then oldest."""
        ...

    async def answer(self, question_id: int, text: str, by_member_id: int, at: datetime) -> bool:
        """Mark it answered if it was not; False if someone answered it first."""
        ...

    async def hide(self, question_id: int, by_member_id: int, at: datetime) -> bool:
        """Hide it if it was not hidden; False if it was."""
        ...

    async def forget_member(self, member_id: int) -> None:
        """A member leaves: their questions lose the link to them, their upvotes' rows go;
        the counts stay."""
        ...

    async def asked_by(self, member_id: int) -> list[MyQuestion]:
        """The questions the member asked, oldest first: for their export."""
        ...


class QuestionsRepositories(Protocol):
    @property
    def questions(self) -> QuestionRepository: ...
