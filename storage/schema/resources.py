"""Resource library tables: resources, their topics, and the audit trail.

Full-text search needs more than these models say: an FTS5 table (with its
content view) on SQLite, a generated tsvector column with a GIN index on
PostgreSQL. They are created by migrations 0002 and 0008 (which adds the type
and topic filters to them) and used only by storage/resources_search.py; the
migration test leaves them out of its comparison (see is_search_machinery there).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.membership.model import NAME_MAX
from bot.resources.model import (
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    TOPIC_MAX,
    TOPICS_MAX,
    TYPE_MAX,
    URL_MAX,
)
from storage.schema.base import Base

TOPICS_TEXT_MAX = TOPICS_MAX * (TOPIC_MAX + 2)


class ResourceRow(Base):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_MAX))
    url_key: Mapped[str] = mapped_column(String(URL_MAX))
    # The unique constraint is on a hash: a 2,000-character key is too long for
    # a PostgreSQL b-tree entry once it holds non-ASCII characters.
    url_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX))
    type: Mapped[str] = mapped_column(String(TYPE_MAX))
    # Shown and searched as one text; filtered through resource_topics.
    topics: Mapped[str] = mapped_column(String(TOPICS_TEXT_MAX))
    jurisdiction: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    suggested_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    suggested_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    review: Mapped[str] = mapped_column(String(16))
    review_claimed_until: Mapped[datetime | None]
    # Where the review post went on each platform, as JSON, to edit it later.
    review_posts: Mapped[str] = mapped_column(Text)

    topic_rows: Mapped[list[ResourceTopicRow]] = relationship(
        cascade="all, delete-orphan", order_by="ResourceTopicRow.position", lazy="selectin"
    )

    __table_args__ = (
        Index("ix_resources_status_decided", "status", "decided_at"),
        Index("ix_resources_status_suggested", "status", "suggested_at"),
        Index("ix_resources_review", "review", "id"),
        Index("ix_resources_type", "type"),
        # Covers what a search checks of each full-text match, so SQLite need not
        # read whole rows (long descriptions) to filter them: half the time at 100k.
        Index("ix_resources_filters", "id", "status", "type", "language", "jurisdiction"),
    )


class LibraryVersionRow(Base):
    """One row: a number raised in the same transaction as every change the public
    library shows (an approval, an edit, a retirement), so the web pages can tell
    in one primary-key read whether a page made earlier still holds, on every
    replica (adapters/web/page_cache.py)."""

    __tablename__ = "library_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class ResourceTopicRow(Base):
    __tablename__ = "resource_topics"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    # Lower-cased: free tags are typed in any case, and match in any case.
    topic_key: Mapped[str] = mapped_column(String(TOPIC_MAX), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_resource_topics_topic", "topic_key", "resource_id"),)


class ResourceAuditRow(Base):
    __tablename__ = "resource_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))
    by_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    by_name: Mapped[str] = mapped_column(String(NAME_MAX))
    at: Mapped[datetime]
    before: Mapped[str] = mapped_column(Text)  # JSON
    after: Mapped[str] = mapped_column(Text)  # JSON


class ResourceRetirementRow(Base):
    """A request to retire a resource: kept until confirmed, then the record of it."""

    __tablename__ = "resource_retirements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), index=True
    )
    asked_by: Mapped[int] = mapped_column(ForeignKey("members.id"))
    asked_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    done_at: Mapped[datetime | None]
