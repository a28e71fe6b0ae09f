"""Question tables: the question, who upvoted it (one row per member), where it was posted.

`asked_by` is kept for anonymous questions too (the asker is told of the answer;
admins may see it), and set to NULL when the asker leaves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.questions.model import ANSWER_MAX, QUESTION_MAX
from storage.schema.base import Base


class QuestionRow(Base):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(QUESTION_MAX))
    # Comma-separated, as typed from the list or new.
    topics: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean)
    meeting_id: Mapped[int | None] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(80))
    asked_by: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    asked_at: Mapped[datetime]
    upvotes: Mapped[int] = mapped_column(Integer, default=0)
    answer: Mapped[str | None] = mapped_column(String(ANSWER_MAX))
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    # Set once, by a conditional UPDATE … WHERE answered_at IS NULL.
    answered_at: Mapped[datetime | None]
    hidden_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    hidden_at: Mapped[datetime | None]


class QuestionUpvoteRow(Base):
    """That a member upvoted a question: once per member, whatever account clicked."""

    __tablename__ = "question_upvotes"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )


class QuestionPostRow(Base):
    """Where a platform put the question: edited with the count and the answer."""

    __tablename__ = "question_posts"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(80), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
