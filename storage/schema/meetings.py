"""Meeting tables: meetings, changed occurrences, answers, and delivery claims."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.meetings.model import AGENDA_MAX, LINK_MAX, RULE_MAX, TITLE_MAX
from bot.meetings.topics import TOPIC_MAX, TOPICS_MAX
from storage.schema.base import Base


class MeetingRow(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # The first start as a local wall time ("2026-03-12T09:00") in `timezone`:
    # recurrence is computed on wall times, so this is deliberately not an instant.
    start_local: Mapped[str] = mapped_column(String(19))
    timezone: Mapped[str] = mapped_column(String(64))
    duration: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(80))
    link: Mapped[str] = mapped_column(String(LINK_MAX))
    agenda: Mapped[str] = mapped_column(String(AGENDA_MAX))
    rule: Mapped[str] = mapped_column(String(RULE_MAX))
    reminders: Mapped[str | None] = mapped_column(String(100))  # "1440,15"; NULL: default
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    cancelled: Mapped[bool] = mapped_column(Boolean)
    # Bounds of the whole series in UTC, so a sweep reads only meetings that can
    # have something due (last_end NULL: repeats without end).
    first_start: Mapped[datetime] = mapped_column(index=True)
    last_end: Mapped[datetime | None] = mapped_column(index=True)
    # Set when answers changed: the announcement's counts are edited by the next sweep.
    refresh_at: Mapped[datetime | None] = mapped_column(index=True)
    # The join link shows on the public web pages and feed only when set.
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Changes so far (edits, cancellations, an occurrence moved): calendars' SEQUENCE.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # The meeting's topics, one a line ("" for none): few, and read with the meeting.
    topics: Mapped[str] = mapped_column(
        String(TOPICS_MAX * (TOPIC_MAX + 1)), default="", server_default=""
    )


class OccurrenceChangeRow(Base):
    __tablename__ = "meeting_occurrence_changes"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)  # local date
    cancelled: Mapped[bool] = mapped_column(Boolean)
    new_start: Mapped[datetime | None]


class MeetingsVersionRow(Base):
    """One row: a number raised in the same transaction as every change a calendar
    feed or the sessions page shows (a meeting scheduled, edited, cancelled, made
    public; an occurrence moved or cancelled), so a feed's ETag is known in one
    primary-key read on every replica (storage/meetings.py `bump_meetings`)."""

    __tablename__ = "meetings_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class RsvpRow(Base):
    """One answer per member per occurrence, whichever platform it came from."""

    __tablename__ = "meeting_rsvps"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    answer: Mapped[str] = mapped_column(String(16))
    answered_at: Mapped[datetime]


class DeliveryRow(Base):
    """A claim on one post: inserted before posting, so it can only ever be made once."""

    __tablename__ = "meeting_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    occurrence_start: Mapped[datetime]
    occurrence: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(16))
    offset_minutes: Mapped[int] = mapped_column(Integer)
    target: Mapped[str] = mapped_column(String(100))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    late: Mapped[bool] = mapped_column(Boolean)
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None]
    owner: Mapped[str] = mapped_column(String(64))  # the instance that claimed it
    claimed_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    posted: Mapped[str | None] = mapped_column(Text)  # JSON list of where it was posted

    __table_args__ = (
        UniqueConstraint(
            "meeting_id",
            "occurrence_start",
            "kind",
            "offset_minutes",
            "target",
            name="uq_meeting_deliveries_claim",
        ),
        Index("ix_meeting_deliveries_status", "status", "next_attempt_at"),
    )
