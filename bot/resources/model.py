"""Resources in the library, their review, their search, and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.posted import PostedMessage


class ResourceStatus(StrEnum):
    PENDING = "pending"  # suggested; waits for a coordinator
    APPROVED = "approved"  # in the library, searchable
    REJECTED = "rejected"
    RETIRED = "retired"  # was in the library; out of search and the export, kept for the record


class ReviewPost(StrEnum):
    """Whether the suggestion reached the coordinators' channel yet."""

    QUEUED = "queued"  # saved, not yet posted (or posting failed): retried later
    POSTED = "posted"


class Sort(StrEnum):
    NEWEST = "newest"
    BEST = "best"


LEVELS = ("local", "state", "national")

# Limits on what a member types; storage columns are sized from these.
URL_MAX = 2000
TITLE_MAX = 200
DESCRIPTION_MAX = 1000
TOPIC_MAX = 60
TOPICS_MAX = 10
TYPE_MAX = 60
REASON_MAX = 500
QUERY_MAX = 200
# Words past this add nothing a person means, and only slow the search down.
QUERY_TERMS_MAX = 12


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What a member suggests; `url_key` is the normalized URL that catches duplicates."""

    url: str
    url_key: str
    title: str
    description: str
    type: str
    topics: tuple[str, ...] = ()
    jurisdiction: str = ""  # one of LEVELS, or empty
    language: str = "en"


@dataclass(frozen=True, slots=True)
class Correction:
    """What a coordinator may correct, before approving or once in the library."""

    title: str
    description: str
    type: str
    topics: tuple[str, ...]
    url: str
    url_key: str
    jurisdiction: str
    language: str


@dataclass(frozen=True, slots=True)
class Resource:
    id: int
    url: str
    url_key: str
    title: str
    description: str
    type: str
    topics: tuple[str, ...]
    jurisdiction: str
    language: str
    status: ResourceStatus
    suggested_by: int
    suggested_by_name: str
    suggested_at: datetime
    decided_by: int | None = None
    decided_by_name: str | None = None
    decided_at: datetime | None = None
    reason: str = ""
    review: ReviewPost = ReviewPost.QUEUED
    review_posts: tuple[PostedMessage, ...] = ()

    @property
    def correction(self) -> Correction:
        return Correction(
            self.title,
            self.description,
            self.type,
            self.topics,
            self.url,
            self.url_key,
            self.jurisdiction,
            self.language,
        )

    @property
    def self_approved(self) -> bool:
        """Approved by the coordinator who suggested it: allowed, and always shown."""
        return self.status in {ResourceStatus.APPROVED, ResourceStatus.RETIRED} and (
            self.decided_by == self.suggested_by
        )


def correction_as_dict(correction: Correction) -> dict[str, Any]:
    """What the audit trail compares (the key follows the link, so it is left out)."""
    return {
        "url": correction.url,
        "title": correction.title,
        "description": correction.description,
        "type": correction.type,
        "topics": list(correction.topics),
        "jurisdiction": correction.jurisdiction,
        "language": correction.language,
    }


@dataclass(frozen=True, slots=True)
class Retirement:
    """A coordinator's request to take a resource out of the library, and whether it was done.

    Asked first and confirmed with a button: the request keeps the reason,
    which a button could not carry.
    """

    id: int
    resource_id: int
    asked_by: int
    asked_by_name: str
    asked_at: datetime
    reason: str
    done_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """`terms` are plain words (see search.py); the backends never see raw input.

    Each filter holds the values asked for: a resource matches one of them (any type
    given), and every filter given (a type and a topic). Empty: no filter."""

    terms: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    sort: Sort = Sort.NEWEST
    page: int = 1
    per_page: int = 5


# Counting stops here: past it a listing is too broad to read in chat, and another
# word or a filter helps more. It also bounds the work: best match ranks only the
# newest this many matches, so a word found in half the library costs no more.
SEARCH_COUNT_CAP = 200


@dataclass(frozen=True, slots=True)
class SearchPage:
    resources: list[Resource] = field(default_factory=list)
    total: int = 0  # at most SEARCH_COUNT_CAP + 1
    page: int = 1
    per_page: int = 5

    @property
    def more_than_cap(self) -> bool:
        return self.total > SEARCH_COUNT_CAP

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, SEARCH_COUNT_CAP) // self.per_page))


class AuditAction(StrEnum):
    SUGGESTED = "suggested"
    EDITED = "edited"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which audit entries to read: every field left empty matches everything."""

    actions: frozenset[AuditAction] = frozenset()
    by_name: str = ""  # part of the name of who acted, in any case
    since: datetime | None = None  # from this instant on
    until: datetime | None = None  # before this instant
    resource_id: int | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One decision or edit: who, what, when, and the values before and after."""

    resource_id: int
    action: AuditAction
    by_member_id: int | None
    by_name: str
    at: datetime
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OwnSuggestion:
    """A resource as its suggester sees it in their data export."""

    id: int
    title: str
    url: str
    status: ResourceStatus
    suggested_at: datetime
    decided_at: datetime | None = None
