"""The resource library's repository: resources and their review posts (the audit trail:
storage/resource_audit.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Row, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select

from bot.ports import PostedMessage
from bot.resources.model import (
    SEARCH_COUNT_CAP,
    Correction,
    Resource,
    ResourceStatus,
    ReviewPost,
    SearchPage,
    SearchQuery,
    Sort,
    Suggestion,
)
from storage.dialect import dialect_of, insert_on_conflict
from storage.resources_search import matching
from storage.schema import (
    LibraryVersionRow,
    MemberRow,
    ResourceRow,
    ResourceTopicRow,
)

Columns = TypeVarTuple("Columns")
_Suggester = aliased(MemberRow)
_Decider = aliased(MemberRow)
_EXPORT_BATCH = 500


def url_hash(url_key: str) -> str:
    return hashlib.sha256(url_key.encode("utf-8")).hexdigest()


def _topic_rows(topics: tuple[str, ...]) -> list[ResourceTopicRow]:
    keys = dict.fromkeys(t.lower() for t in topics)  # "Housing" and "housing" are one topic
    return [ResourceTopicRow(topic_key=key, position=n) for n, key in enumerate(keys)]


def _posts(raw: str) -> tuple[PostedMessage, ...]:
    return tuple(PostedMessage(*entry) for entry in json.loads(raw or "[]"))


def _resource(row: ResourceRow | Row[Any], suggester: str | None, decider: str | None) -> Resource:
    return Resource(
        id=row.id,
        url=row.url,
        url_key=row.url_key,
        title=row.title,
        description=row.description,
        type=row.type,
        topics=tuple(t.strip() for t in row.topics.split(",") if t.strip()),
        jurisdiction=row.jurisdiction,
        language=row.language,
        status=ResourceStatus(row.status),
        suggested_by=row.suggested_by,
        suggested_by_name=suggester or "?",
        suggested_at=row.suggested_at,
        decided_by=row.decided_by,
        decided_by_name=decider,
        decided_at=row.decided_at,
        reason=row.reason,
        review=ReviewPost(row.review),
        review_posts=_posts(row.review_posts),
    )


async def bump_library(session: AsyncSession) -> None:
    """Raise the library's version, in the caller's transaction: called by every change
    the public pages show. The write takes the row's lock, so of two changes at once
    the second raises it again after the first commits: a reader never sees a version
    that a later commit leaves unchanged. An upsert, so that no seeded row is needed."""
    statement = insert_on_conflict(session, LibraryVersionRow).values(id=1, version=1)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[LibraryVersionRow.id],
            set_={"version": LibraryVersionRow.version + 1},
        )
    )


class SqlResources:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _dialect(self) -> str:
        return dialect_of(self.session)

    def _select(self) -> Select[ResourceRow, str, str | None]:
        return (
            select(ResourceRow, _Suggester.display_name, _Decider.display_name)
            .join(_Suggester, _Suggester.id == ResourceRow.suggested_by)
            .outerjoin(_Decider, _Decider.id == ResourceRow.decided_by)
        )

    async def _one(self, query: Select[ResourceRow, str, str | None]) -> Resource | None:
        found = (await self.session.execute(query)).first()
        return _resource(*found) if found else None

    async def _many(self, query: Select[ResourceRow, str, str | None]) -> list[Resource]:
        return [_resource(*found) for found in await self.session.execute(query)]

    async def add(self, suggestion: Suggestion, by_member_id: int, at: datetime) -> Resource | None:
        """The new pending resource, or None if its link was suggested before (even just now).

        ON CONFLICT settles a race for one link without failing the transaction
        (not a savepoint: see storage/dialect.py).
        """
        added = await self.session.execute(
            insert_on_conflict(self.session, ResourceRow)
            .values(
                url=suggestion.url,
                url_key=suggestion.url_key,
                url_hash=url_hash(suggestion.url_key),
                title=suggestion.title,
                description=suggestion.description,
                type=suggestion.type,
                topics=", ".join(suggestion.topics),
                jurisdiction=suggestion.jurisdiction,
                language=suggestion.language,
                status=ResourceStatus.PENDING.value,
                suggested_by=by_member_id,
                suggested_at=at,
                reason="",
                review=ReviewPost.QUEUED.value,
                review_posts="[]",
            )
            .on_conflict_do_nothing(index_elements=["url_hash"])
            .returning(ResourceRow.id)
        )
        resource_id = added.scalar_one_or_none()
        if resource_id is None:
            return None
        for topic in _topic_rows(suggestion.topics):
            topic.resource_id = resource_id
            self.session.add(topic)
        await self.session.flush()
        return await self.get(resource_id)

    async def get(self, resource_id: int) -> Resource | None:
        # Read afresh: the conditional updates bypass the session, so a row loaded
        # earlier in this unit of work may hold a status someone else changed since.
        query = self._select().where(ResourceRow.id == resource_id)
        return await self._one(query.execution_options(populate_existing=True))

    async def by_url_key(self, url_key: str) -> Resource | None:
        return await self._one(self._select().where(ResourceRow.url_hash == url_hash(url_key)))

    async def pending(self, limit: int = 50) -> list[Resource]:
        query = self._select().where(ResourceRow.status == ResourceStatus.PENDING.value)
        return await self._many(
            query.order_by(ResourceRow.suggested_at, ResourceRow.id).limit(limit)
        )

    async def recent(self, limit: int = 10) -> list[Resource]:
        query = self._select().where(ResourceRow.status == ResourceStatus.APPROVED.value)
        return await self._many(
            query.order_by(ResourceRow.decided_at.desc(), ResourceRow.id.desc()).limit(limit)
        )

    async def search(self, query: SearchQuery) -> SearchPage:
        # Two steps. First the ids of at most SEARCH_COUNT_CAP + 1 matches, newest
        # (highest id) first, with their score: that bounds what a very common word
        # costs (scores are computed for those rows only) and gives the capped
        # count. Then the page's rows in full. Best match is thus the best among
        # the newest SEARCH_COUNT_CAP matches; past that, the reply asks for more words.
        candidates = select(ResourceRow.id)
        newest: ColumnElement[Any] = ResourceRow.id.desc()
        best = bool(query.terms) and query.sort is Sort.BEST
        type_exact = False
        if query.terms:
            # The full-text index narrows by type and topic too (see
            # resources_search.py); `_filtered` checks what it cannot promise.
            match = matching(
                candidates, self._dialect, query.terms, types=query.types, topics=query.topics
            )
            candidates, newest, type_exact = match.found, match.newest, match.type_exact
            if best:
                candidates = candidates.add_columns(match.score)
        candidates = _filtered(candidates, query, type_checked=type_exact)
        rows: list[Any] = list(
            await self.session.execute(candidates.order_by(newest).limit(SEARCH_COUNT_CAP + 1))
        )
        if best:
            rows.sort(key=lambda row: -row[1])  # stable: equal scores stay newest first
        start = (query.page - 1) * query.per_page
        ids = [row[0] for row in rows[start : start + query.per_page]]
        found = await self._page(ids)
        return SearchPage(
            resources=[found[i] for i in ids if i in found],
            total=len(rows),
            page=query.page,
            per_page=query.per_page,
        )

    async def _page(self, ids: list[int]) -> dict[int, Resource]:
        # Plain columns, not ORM objects: a page needs no identity map, and an
        # ORM load would also fetch each resource's topic rows (a second query)
        # that a result line never shows.
        query = (
            select(
                ResourceRow.__table__,
                _Suggester.display_name.label("suggester_name"),
                _Decider.display_name.label("decider_name"),
            )
            .join(_Suggester, _Suggester.id == ResourceRow.suggested_by)
            .outerjoin(_Decider, _Decider.id == ResourceRow.decided_by)
            .where(ResourceRow.id.in_(ids))
        )
        rows = await self.session.execute(query)
        return {row.id: _resource(row, row.suggester_name, row.decider_name) for row in rows}

    async def approved(self) -> AsyncIterator[Resource]:
        # Batches by id: the whole library never sits in memory at once.
        last = 0
        base = self._select().where(ResourceRow.status == ResourceStatus.APPROVED.value)
        while True:
            batch = await self._many(
                base.where(ResourceRow.id > last).order_by(ResourceRow.id).limit(_EXPORT_BATCH)
            )
            for resource in batch:
                yield resource
            if len(batch) < _EXPORT_BATCH:
                return
            last = batch[-1].id

    async def decide(
        self,
        resource_id: int,
        status: ResourceStatus,
        by_member_id: int,
        at: datetime,
        reason: str = "",
    ) -> bool:
        # A conditional update is the whole race: of two coordinators clicking at
        # once, exactly one changes the row, on SQLite and PostgreSQL alike.
        result = await self.session.execute(
            update(ResourceRow)
            .where(
                ResourceRow.id == resource_id,
                ResourceRow.status == ResourceStatus.PENDING.value,
            )
            .values(status=status.value, decided_by=by_member_id, decided_at=at, reason=reason)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        if status is ResourceStatus.APPROVED:
            await bump_library(self.session)
        return True

    async def library_version(self) -> int | None:
        row = await self.session.scalar(
            select(LibraryVersionRow.version).where(LibraryVersionRow.id == 1)
        )
        return 0 if row is None else int(row)  # 0: nothing changed since the migration

    async def correct(self, resource_id: int, correction: Correction) -> bool:
        editable = (ResourceStatus.PENDING.value, ResourceStatus.APPROVED.value)
        result = await self.session.execute(
            update(ResourceRow)
            .where(ResourceRow.id == resource_id, ResourceRow.status.in_(editable))
            .values(
                url=correction.url,
                url_key=correction.url_key,
                url_hash=url_hash(correction.url_key),
                title=correction.title,
                description=correction.description,
                type=correction.type,
                topics=", ".join(correction.topics),
                jurisdiction=correction.jurisdiction,
                language=correction.language,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        await bump_library(self.session)  # pending ones are not shown, but cheaper than asking
        row = await self.session.get(ResourceRow, resource_id)
        assert row is not None
        await self.session.refresh(row)
        row.topic_rows = _topic_rows(correction.topics)
        await self.session.flush()
        return True

    async def claim_review_post(
        self, resource_id: int, now: datetime, lease_until: datetime
    ) -> bool:
        result = await self.session.execute(
            update(ResourceRow)
            .where(
                ResourceRow.id == resource_id,
                ResourceRow.review == ReviewPost.QUEUED.value,
                _unclaimed(now),
            )
            .values(review_claimed_until=lease_until)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def review_posted(
        self, resource_id: int, posts: tuple[PostedMessage, ...], *, complete: bool
    ) -> None:
        stored = json.dumps([[p.platform, p.channel, p.message_id] for p in posts])
        values: dict[str, Any] = {"review_posts": stored, "review_claimed_until": None}
        if complete:
            values["review"] = ReviewPost.POSTED.value
        await self.session.execute(
            update(ResourceRow)
            .where(ResourceRow.id == resource_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def queued_reviews(self, now: datetime, limit: int = 50) -> list[int]:
        query = (
            select(ResourceRow.id)
            .where(ResourceRow.review == ReviewPost.QUEUED.value, _unclaimed(now))
            .order_by(ResourceRow.id)
            .limit(limit)
        )
        return list(await self.session.scalars(query))


def _unclaimed(now: datetime) -> Any:
    return or_(ResourceRow.review_claimed_until.is_(None), ResourceRow.review_claimed_until < now)


def _filtered(
    found: Select[*Columns], query: SearchQuery, *, type_checked: bool = False
) -> Select[*Columns]:
    found = found.where(ResourceRow.status == ResourceStatus.APPROVED.value)
    keys = sorted({topic.lower() for topic in query.topics})
    if len(keys) == 1:
        found = found.join(
            ResourceTopicRow,
            (ResourceTopicRow.resource_id == ResourceRow.id)
            & (ResourceTopicRow.topic_key == keys[0]),
        )
    elif keys:
        # Any of several topics: a join would give a resource once per topic it has.
        found = found.where(
            ResourceRow.id.in_(
                select(ResourceTopicRow.resource_id).where(ResourceTopicRow.topic_key.in_(keys))
            )
        )
    if query.types and not type_checked:
        found = found.where(ResourceRow.type.in_(query.types))
    if query.languages:
        found = found.where(ResourceRow.language.in_(query.languages))
    if query.jurisdictions:
        found = found.where(ResourceRow.jurisdiction.in_(query.jurisdictions))
    return found
