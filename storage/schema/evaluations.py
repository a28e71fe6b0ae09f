"""Evaluation tables: the evaluation, its opened occurrences, sends, who answered, answers.

Anonymous means anonymous (tests/storage/test_evaluations_schema.py checks the shape):
an anonymous evaluation's answers are one row per occurrence holding the list of
answers in shuffled order (`evaluation_anonymous`: no member, no time, no row per
answer), and `evaluation_respondents` says only that a member answered (no time,
nothing about the answer). Both are tables without a SQLite rowid, so no insertion
order is kept; on PostgreSQL each answer rewrites every respondent row of the
occurrence, so no transaction stamp (xmin) singles out the last one to answer.
Named answers are `evaluation_named`, a row per member.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base

NO_ROWID = {"sqlite_with_rowid": False}


class EvaluationRow(Base):
    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    anonymous: Mapped[bool] = mapped_column(Boolean)
    template: Mapped[str] = mapped_column(String(40))
    # The template's questions when it was created, as JSON [[text, kind], ...].
    questions: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]


class EvaluationOccurrenceRow(Base):
    """An occurrence whose evaluation was sent, its window, and its public post's claim."""

    __tablename__ = "evaluation_occurrences"

    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    ends_at: Mapped[datetime]
    closes_at: Mapped[datetime] = mapped_column(index=True)
    remind_at: Mapped[datetime] = mapped_column(index=True)
    post_claimed_at: Mapped[datetime | None]
    posted_at: Mapped[datetime | None]


class EvaluationSendRow(Base):
    """The DM of an evaluation to one member, and its one reminder: each claimed once."""

    __tablename__ = "evaluation_sends"

    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    claimed_by: Mapped[str] = mapped_column(String(80))
    claimed_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    reminder_claimed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]


class EvaluationRespondentRow(Base):
    """That a member answered an occurrence's evaluation: nothing about what, or when."""

    __tablename__ = "evaluation_respondents"
    __table_args__ = NO_ROWID

    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )


class EvaluationAnonymousRow(Base):
    """An occurrence's anonymous answers: a JSON list of answer lists, in shuffled order."""

    __tablename__ = "evaluation_anonymous"
    __table_args__ = NO_ROWID

    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    answers: Mapped[str] = mapped_column(Text)


class EvaluationNamedRow(Base):
    """A member's answers to a named evaluation (JSON list), changeable in the window."""

    __tablename__ = "evaluation_named"

    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    answers: Mapped[str] = mapped_column(Text)
