"""Discussion tables: discussions, followers, the threads the bot opened, digest claims."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.discussions.model import QUESTION_MAX, SUMMARY_MAX, TITLE_MAX, TOPICS_TEXT_MAX
from storage.schema.base import Base

WORD_MAX = 60
URL_MAX = 500


class DiscussionRow(Base):
    __tablename__ = "discussions"
    __table_args__ = (Index("ix_discussions_listing", "status", "last_activity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    question: Mapped[str] = mapped_column(String(QUESTION_MAX))
    # Shown as given ("Housing, CAB"); filtered through topic_keys ("|housing|cab|").
    topics: Mapped[str] = mapped_column(String(TOPICS_TEXT_MAX))
    topic_keys: Mapped[str] = mapped_column(String(TOPICS_TEXT_MAX))
    channel: Mapped[str] = mapped_column(String(80))
    started_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    started_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    replies: Mapped[int] = mapped_column(Integer)
    last_activity: Mapped[datetime]
    # Followers have been told of this many replies (a conditional update claims a batch).
    notified_replies: Mapped[int] = mapped_column(Integer)
    notified_at: Mapped[datetime | None]
    # Set while an instance tells followers of a batch; cleared when told. A claim left
    # by an instance that died is taken over after the claim timeout (resent, not lost).
    notice_claimed_at: Mapped[datetime | None]
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX))
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    closed_at: Mapped[datetime | None]


class DiscussionWordRow(Base):
    """Each word of a discussion's title, question and topics: the list's word search."""

    __tablename__ = "discussion_words"

    word: Mapped[str] = mapped_column(String(WORD_MAX), primary_key=True)
    discussion_id: Mapped[int] = mapped_column(
        ForeignKey("discussions.id", ondelete="CASCADE"), primary_key=True
    )


class DiscussionFollowerRow(Base):
    __tablename__ = "discussion_followers"

    discussion_id: Mapped[int] = mapped_column(
        ForeignKey("discussions.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    # Each follower's own notices (storage/follower_notices.py): they are owed one while
    # told_replies < the discussion's notified_replies, unless given up on.
    told_replies: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A failed notice's retry time, or until when an instance holds it while posting.
    next_attempt_at: Mapped[datetime | None]
    # The platform cannot deliver to them (DMs closed), or too many failures.
    given_up_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))


class DiscussionThreadRow(Base):
    """Where the opening message went: replies are counted only under these."""

    __tablename__ = "discussion_threads"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(80), primary_key=True)
    thread: Mapped[str] = mapped_column(String(80), primary_key=True)
    discussion_id: Mapped[int] = mapped_column(
        ForeignKey("discussions.id", ondelete="CASCADE"), index=True
    )
    # A link to the thread (Discord thread, Slack permalink) for the list; None on the terminal.
    url: Mapped[str | None] = mapped_column(String(URL_MAX))


class MeetingDiscussionRow(Base):
    """The discussion of one meeting occurrence: the key makes a second one impossible."""

    __tablename__ = "meeting_discussions"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    # The occurrence's scheduled local date, as RSVPs name it: a moved occurrence keeps it.
    occurrence: Mapped[str] = mapped_column(String(10), primary_key=True)
    discussion_id: Mapped[int] = mapped_column(
        ForeignKey("discussions.id", ondelete="CASCADE"), unique=True
    )


class DigestDeliveryRow(Base):
    """A claim on one weekly digest post, inserted before posting (as meeting_deliveries)."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (
        UniqueConstraint("period_start", "target", name="uq_digest_deliveries_claim"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_start: Mapped[datetime]  # when this digest was due: one per week
    target: Mapped[str] = mapped_column(String(100))  # "<platform>:#", as meeting deliveries
    status: Mapped[str] = mapped_column(String(16))  # bot.meetings.model.DeliveryStatus
    owner: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    # A failed post is retried on the same claim (never a second digest for the week).
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None]
