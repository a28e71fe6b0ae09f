"""Poll tables: the poll, its options with their counts, who voted, named choices, posts.

Anonymous means anonymous (tests/storage/test_polls_schema.py checks the shape):
an anonymous poll's answers are only the counts on `poll_options` (no member, no
time, no row per vote), and `poll_voters` says only that a member voted (no time,
no row id of its own, nothing about the option). So no column, key or timestamp ties
an answer to a person. `poll_choices` (who chose what) holds rows for named polls only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.polls.model import OPTION_MAX, QUESTION_MAX
from storage.schema.base import Base


class PollRow(Base):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(String(QUESTION_MAX))
    multiple: Mapped[bool] = mapped_column(Boolean)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    live: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime]
    closes_at: Mapped[datetime | None] = mapped_column(index=True)
    # Set once, by a conditional UPDATE … WHERE closed_at IS NULL: closed exactly once.
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # The final results post: due from the close, moved on with backoff by a failed try
    # (or by a claim while posting), NULL once posted on every platform or given up.
    results_due_at: Mapped[datetime | None] = mapped_column(index=True)
    results_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The platforms the results were posted on, space-separated: each gets them once.
    results_posted_on: Mapped[str] = mapped_column(String(200), default="", server_default="")


class PollOptionRow(Base):
    """An option and how many chose it: the only record of an anonymous answer."""

    __tablename__ = "poll_options"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(OPTION_MAX))
    votes: Mapped[int] = mapped_column(Integer)


class PollVoterRow(Base):
    """That a member voted in a poll: one vote per member, nothing about what."""

    __tablename__ = "poll_voters"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )


class PollChoiceRow(Base):
    """Who chose which option, in named polls only (so a vote can be changed)."""

    __tablename__ = "poll_choices"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class PollPostRow(Base):
    """Where a platform put the poll: edited with the counts, and when it closes."""

    __tablename__ = "poll_posts"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(80), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
