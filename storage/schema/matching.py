"""Peer matching tables: who opted in, the rounds, and each member's place in a round.

A round's row is unique by its instant: inserting it is how one replica, once,
takes the round. A place (round, member) holds the member's group, their
introduction's and their check-in's delivery, and their answer; a leaver's places are deleted, the
others' stay (their history without the leaver).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.schema.base import Base


class MatchOptInRow(Base):
    __tablename__ = "match_optins"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    region_wish: Mapped[str] = mapped_column(String(8))
    discipline_wish: Mapped[str] = mapped_column(String(8))
    # Comma-separated, among the member's interests.
    topics: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(8), default="")
    same_organization: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime]
    snoozed_until: Mapped[date | None] = mapped_column(Date)


class MatchRoundRow(Base):
    __tablename__ = "match_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    due_at: Mapped[datetime] = mapped_column(unique=True)
    claimed_by: Mapped[str] = mapped_column(String(80))
    claimed_at: Mapped[datetime]


class MatchPlaceRow(Base):
    __tablename__ = "match_places"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("match_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    grp: Mapped[int] = mapped_column(Integer)
    # The introduction of this member: taken by an instance (a lease, taken over once
    # stale), tried so many times, and done (sent, or given up) at `introduced_at`.
    intro_claimed_at: Mapped[datetime | None]
    intro_tries: Mapped[int] = mapped_column(Integer, default=0)
    introduced_at: Mapped[datetime | None]
    # The "Did you meet?" DM to this member, the same way.
    ask_claimed_at: Mapped[datetime | None]
    ask_tries: Mapped[int] = mapped_column(Integer, default=0)
    asked_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None]
