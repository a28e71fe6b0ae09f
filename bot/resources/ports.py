"""What the resource library needs from storage, as protocols (storage/resources.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Protocol

from bot.posted import PostedMessage
from bot.resources.model import (
    AuditEntry,
    AuditFilter,
    Correction,
    OwnSuggestion,
    Resource,
    ResourceStatus,
    Retirement,
    SearchPage,
    SearchQuery,
    Suggestion,
)


class ResourceRepository(Protocol):
    async def add(self, suggestion: Suggestion, by_member_id: int, at: datetime) -> Resource | None:
        """Save a pending suggestion with its review post queued.

        None when a resource with the same normalized URL exists, even one saved
        a moment ago by someone else: a unique constraint decides, not a lookup.
        """
        ...

    async def get(self, resource_id: int) -> Resource | None: ...

    async def by_url_key(self, url_key: str) -> Resource | None: ...

    async def pending(self, limit: int = 50) -> list[Resource]:
        """Suggestions waiting for review, oldest first."""
        ...

    async def recent(self, limit: int = 10) -> list[Resource]:
        """Approved resources, newest approval first."""
        ...

    async def search(self, query: SearchQuery) -> SearchPage:
        """Approved resources matching every term and filter, one page."""
        ...

    async def library_version(self) -> int | None:
        """A number that changes, in the same commit, with every approval, edit and
        retirement: whatever the public library shows. None: the store keeps none."""
        ...

    def approved(self) -> AsyncIterator[Resource]:
        """The whole library, oldest approval first: for exports."""
        ...

    async def decide(
        self,
        resource_id: int,
        status: ResourceStatus,
        by_member_id: int,
        at: datetime,
        reason: str = "",
    ) -> bool:
        """Record the decision if none was made yet; False if someone decided first."""
        ...

    async def correct(self, resource_id: int, correction: Correction) -> bool:
        """Change what a coordinator may correct, while pending or in the library; False otherwise.

        The caller checks first that no other resource has the new link's key.
        """
        ...

    async def claim_review_post(
        self, resource_id: int, now: datetime, lease_until: datetime
    ) -> bool:
        """Take the queued review post for posting, so two workers never post it twice.

        A claim that was never released (the process died) lapses at `lease_until`.
        """
        ...

    async def review_posted(
        self, resource_id: int, posts: tuple[PostedMessage, ...], *, complete: bool
    ) -> None:
        """Store where the review post went and release the claim.

        `complete` when every platform has it; otherwise it stays queued for a retry.
        """
        ...

    async def queued_reviews(self, now: datetime, limit: int = 50) -> list[int]:
        """Suggestions whose review post is queued and not claimed, oldest first."""
        ...


class ResourceAuditRepository(Protocol):
    async def record(self, entry: AuditEntry) -> None: ...

    async def history(self, resource_id: int | None = None, limit: int = 25) -> list[AuditEntry]:
        """Newest first."""
        ...

    async def search(self, wanted: AuditFilter, *, limit: int) -> list[AuditEntry]:
        """The first `limit` entries matching `wanted`, newest first (the dashboard's trail)."""
        ...


class SuggestionsByMember(Protocol):
    async def suggested_by(self, member_id: int) -> list[OwnSuggestion]:
        """Every resource the member suggested, whatever became of it, oldest first."""
        ...


class RetirementRepository(Protocol):
    async def ask(self, resource_id: int, by_member_id: int, reason: str, at: datetime) -> int:
        """Keep a request to retire a resource until it is confirmed; its id."""
        ...

    async def get(self, retirement_id: int) -> Retirement | None: ...

    async def retire(self, retirement: Retirement, at: datetime) -> bool:
        """Take the resource out of the library if it is still in it; False otherwise."""
        ...

    async def of_resource(self, resource_id: int) -> Retirement | None:
        """The confirmed retirement of a resource, if it was retired."""
        ...


class ResourcesRepositories(Protocol):
    """The resource library's repositories, as a unit of work holds them."""

    @property
    def resources(self) -> ResourceRepository: ...

    @property
    def resource_audit(self) -> ResourceAuditRepository: ...

    @property
    def resource_suggestions(self) -> SuggestionsByMember: ...

    @property
    def resource_retirements(self) -> RetirementRepository: ...
