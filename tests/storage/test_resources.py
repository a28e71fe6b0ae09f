"""The resource repositories and full-text search, run unchanged on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command

import storage.resources as resources_storage
from bot.ports import PostedMessage
from bot.resources.model import (
    AuditAction,
    AuditEntry,
    Correction,
    ResourceStatus,
    ReviewPost,
    SearchQuery,
    Sort,
    Suggestion,
)
from bot.resources.terms import search_terms
from storage import Storage
from storage.migrate import alembic_config
from tests.storage.test_members import add as add_member

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def suggestion(key: str, title: str, **changes: object) -> Suggestion:
    values: dict[str, object] = {
        "url": f"https://example.org/{key}",
        "url_key": f"https://example.org/{key}",
        "title": title,
        "description": "",
        "type": "toolkit",
        "topics": (),
        "jurisdiction": "",
        "language": "en",
    }
    values.update(changes)
    return Suggestion(**values)  # type: ignore[arg-type]


async def approved(
    storage: Storage, by: int, *items: Suggestion, start: datetime = NOW
) -> list[int]:
    ids = []
    async with storage.unit_of_work() as uow:
        for n, item in enumerate(items):
            resource = await uow.resources.add(item, by, start)
            assert resource is not None
            at = start + timedelta(minutes=n)
            assert await uow.resources.decide(resource.id, ResourceStatus.APPROVED, by, at)
            ids.append(resource.id)
        await uow.commit()
    return ids


async def titles(storage: Storage, query: SearchQuery) -> list[str]:
    async with storage.unit_of_work() as uow:
        page = await uow.resources.search(query)
    return [r.title for r in page.resources]


_PLURAL = {"type": "types", "topic": "topics", "language": "languages"}
_PLURAL |= {"jurisdiction": "jurisdictions"}


def words(typed: str, **filters: object) -> SearchQuery:
    """A search; a filter given as one value (type="law") is that filter's only value."""
    given = {
        _PLURAL.get(k, k): (v,) if k in _PLURAL and isinstance(v, str) else v
        for k, v in filters.items()
    }
    return SearchQuery(terms=search_terms(typed), **given)  # type: ignore[arg-type]


async def test_add_keeps_every_field_and_refuses_a_second_copy(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    item = suggestion(
        "toolkit",
        "Housing Toolkit",
        description="For health departments",
        topics=("Housing", "eviction prevention"),
        jurisdiction="state",
        language="es",
    )
    async with storage.unit_of_work() as uow:
        saved = await uow.resources.add(item, maria, NOW)
        assert saved is not None
        # The unique constraint refuses the copy without spoiling the transaction.
        assert await uow.resources.add(item, maria, NOW) is None
        other = await uow.resources.add(suggestion("other", "Other"), maria, NOW)
        assert other is not None
        await uow.commit()
    async with storage.unit_of_work() as uow:
        found = await uow.resources.by_url_key("https://example.org/toolkit")
    assert found is not None and found.id == saved.id
    assert found.topics == ("Housing", "eviction prevention")
    assert found.jurisdiction == "state" and found.language == "es"
    assert found.suggested_by_name == "Maria" and found.suggested_at == NOW
    assert found.status is ResourceStatus.PENDING and found.review is ReviewPost.QUEUED


async def test_two_suggestions_of_one_link_at_once_save_exactly_one(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    sam = await add_member(storage, "Sam", "U2")
    both = asyncio.Barrier(2)  # each goes on once the other is as far

    async def race(by: int) -> bool:
        await both.wait()  # nothing is begun before the first statement anyway
        async with storage.unit_of_work() as uow:
            saved = await uow.resources.add(suggestion("same", f"By {by}"), by, NOW)
            await uow.commit()
            return saved is not None

    racers = [asyncio.create_task(race(maria)), asyncio.create_task(race(sam))]
    assert sorted(await asyncio.gather(*racers)) == [False, True]


async def test_a_suggestion_rolled_back_is_not_kept(storage: Storage) -> None:
    """Whole or not at all, on SQLite too (a savepoint there would have committed early)."""
    maria = await add_member(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        assert await uow.resources.add(suggestion("a", "Lead Law"), maria, NOW) is not None
        await uow.rollback()
    async with storage.unit_of_work() as uow:
        assert await uow.resources.pending() == []


async def test_concurrent_decisions_record_exactly_one(storage: Storage) -> None:
    """Two coordinators click at the same moment: one wins, the other is told."""
    maria = await add_member(storage, "Maria", "U1")
    dana = await add_member(storage, "Dana", "U2")
    sam = await add_member(storage, "Sam", "U3")
    async with storage.unit_of_work() as uow:
        resource = await uow.resources.add(suggestion("x", "X"), maria, NOW)
        assert resource is not None
        await uow.commit()

    both = asyncio.Barrier(2)  # each goes on once the other is as far

    async def decide(by: int, status: ResourceStatus) -> bool:
        async with storage.unit_of_work() as uow:
            # A real transaction is open on each side before either decides; not on
            # SQLite, where one that may write holds the write lock from its BEGIN.
            assert await uow.resources.get(resource.id) is not None
            if storage.backend == "postgresql":
                await both.wait()
            won = await uow.resources.decide(resource.id, status, by, NOW, "reason")
            await uow.commit()
            return won

    racers = [
        asyncio.create_task(decide(dana, ResourceStatus.APPROVED)),
        asyncio.create_task(decide(sam, ResourceStatus.REJECTED)),
    ]
    results = await asyncio.gather(*racers)
    assert sorted(results) == [False, True]
    async with storage.unit_of_work() as uow:
        decided = await uow.resources.get(resource.id)
    assert decided is not None
    assert decided.decided_by == (dana if results[0] else sam)
    assert decided.decided_by_name == ("Dana" if results[0] else "Sam")
    assert decided.status is (ResourceStatus.APPROVED if results[0] else ResourceStatus.REJECTED)


async def test_search_matches_words_stems_and_only_approved(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(
        storage,
        maria,
        suggestion("a", "Housing and Health Toolkit", topics=("Housing",)),
        suggestion("b", "Eviction Data Dashboard", description="County eviction filings"),
        suggestion("c", "Heat Emergency Plans", topics=("Climate & Health",)),
    )
    async with storage.unit_of_work() as uow:
        await uow.resources.add(suggestion("d", "Housing pending"), maria, NOW)
        await uow.commit()
    assert await titles(storage, words("housing")) == ["Housing and Health Toolkit"]
    assert await titles(storage, words("dashboards")) == ["Eviction Data Dashboard"]
    assert await titles(storage, words("eviction filings")) == ["Eviction Data Dashboard"]
    assert await titles(storage, words("climate")) == ["Heat Emergency Plans"]  # topics
    assert await titles(storage, words("housing climate")) == []  # every word must match
    assert await titles(storage, words("the housing of")) == ["Housing and Health Toolkit"]


async def test_search_ranks_title_matches_first_or_orders_by_newest(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(
        storage,
        maria,
        suggestion("a", "Toolkit on Housing", description="housing housing"),
        suggestion("b", "Planning Guide", description="mentions housing once"),
    )
    best = await titles(storage, words("housing", sort=Sort.BEST))
    newest = await titles(storage, words("housing", sort=Sort.NEWEST))
    assert best == ["Toolkit on Housing", "Planning Guide"]
    assert newest == ["Planning Guide", "Toolkit on Housing"]


async def test_search_filters_combine(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(
        storage,
        maria,
        suggestion("a", "Lead Law", type="law", jurisdiction="state", topics=("Housing",)),
        suggestion("b", "Lead Toolkit", language="es", topics=("housing", "Lead")),
        suggestion("c", "Lead Research", type="research", jurisdiction="local"),
    )
    assert await titles(storage, words("lead", type="law")) == ["Lead Law"]
    assert await titles(storage, words("lead", language="es")) == ["Lead Toolkit"]
    assert await titles(storage, words("", jurisdiction="local")) == ["Lead Research"]
    assert sorted(await titles(storage, words("", topic="HOUSING"))) == ["Lead Law", "Lead Toolkit"]
    assert await titles(storage, words("lead", topic="housing", type="toolkit")) == ["Lead Toolkit"]


async def test_several_values_of_a_filter_match_any_and_filters_still_combine(
    storage: Storage,
) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(
        storage,
        maria,
        suggestion("a", "Lead Law", type="law", jurisdiction="state", topics=("Housing",)),
        suggestion("b", "Lead Toolkit", language="es", topics=("housing", "Lead")),
        suggestion("c", "Lead Research", type="research", jurisdiction="local"),
        suggestion("d", "Heat Research", type="research", topics=("Climate & Health",)),
    )
    both = ("law", "research")
    assert sorted(await titles(storage, words("lead", type=both))) == ["Lead Law", "Lead Research"]
    assert sorted(await titles(storage, words("", type=both, per_page=10))) == [
        "Heat Research",
        "Lead Law",
        "Lead Research",
    ]
    # Any topic of several, each resource once even if it has both.
    topics = ("housing", "lead", "climate & health")
    assert sorted(await titles(storage, words("", topic=topics, per_page=10))) == [
        "Heat Research",
        "Lead Law",
        "Lead Toolkit",
    ]
    # With words: the index narrows by every topic or, for one it cannot hold, not at all.
    assert await titles(storage, words("research", topic=("climate & health", "a, b"))) == [
        "Heat Research"
    ]
    # OR within a filter, AND across filters.
    assert await titles(storage, words("lead", type=both, topic=("housing", "lead"))) == [
        "Lead Law"
    ]
    assert await titles(
        storage, words("", jurisdiction=("state", "local"), language=("en", "fr"), per_page=10)
    ) == ["Lead Research", "Lead Law"]


async def test_words_that_are_operators_elsewhere_are_only_words(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(storage, maria, suggestion("a", "Near Miss Reporting"))
    for terms in (("near",), ("near", "miss"), ("or",), ("and",), ("not",), ("nearmiss",)):
        async with storage.unit_of_work() as uow:
            await uow.resources.search(SearchQuery(terms=terms))  # no syntax error
    assert await titles(storage, SearchQuery(terms=("near", "miss"))) == ["Near Miss Reporting"]
    hostile = search_terms('NEAR(near "miss"*) AND OR ^title: -x {y}')
    assert "and" not in hostile and all(t.isalnum() for t in hostile)


async def test_search_pages_and_counts(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(
        storage, maria, *(suggestion(f"r{n}", f"Report {n:02d} on housing") for n in range(12))
    )
    async with storage.unit_of_work() as uow:
        first = await uow.resources.search(words("housing", per_page=5))
        third = await uow.resources.search(words("housing", per_page=5, page=3))
    assert first.total == 12 and first.pages == 3
    assert [r.title for r in first.resources] == [
        f"Report {n:02d} on housing" for n in (11, 10, 9, 8, 7)
    ]
    assert [r.title for r in third.resources] == ["Report 01 on housing", "Report 00 on housing"]


def correction(title: str, description: str, type_: str, topics: tuple[str, ...]) -> Correction:
    link = "https://example.org/a"
    return Correction(title, description, type_, topics, link, link, "", "en")


async def test_corrections_are_searchable_while_pending_or_in_the_library(
    storage: Storage,
) -> None:
    maria = await add_member(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        resource = await uow.resources.add(
            suggestion("a", "Old Title", topics=("Housing",)), maria, NOW
        )
        other = await uow.resources.add(suggestion("b", "Other"), maria, NOW)
        assert resource is not None and other is not None
        fixed = correction("Lead Abatement Guide", "Steps", "policy", ("Lead", "housing"))
        assert await uow.resources.correct(resource.id, fixed)
        assert await uow.resources.decide(resource.id, ResourceStatus.APPROVED, maria, NOW)
        moved = replace(fixed, url="https://example.org/lead", url_key="https://example.org/lead")
        assert await uow.resources.correct(resource.id, replace(moved, jurisdiction="state"))
        assert await uow.resources.decide(other.id, ResourceStatus.REJECTED, maria, NOW, "No")
        assert not await uow.resources.correct(other.id, fixed)
        await uow.commit()
    assert await titles(storage, words("abatement")) == ["Lead Abatement Guide"]
    assert await titles(storage, words("old title")) == []
    assert await titles(storage, words("", topic="lead")) == ["Lead Abatement Guide"]
    assert await titles(storage, words("", jurisdiction="state")) == ["Lead Abatement Guide"]
    async with storage.unit_of_work() as uow:
        found = await uow.resources.get(resource.id)
        assert await uow.resources.by_url_key("https://example.org/a") is None
        assert await uow.resources.by_url_key("https://example.org/lead") == found
    assert found is not None and found.topics == ("Lead", "housing") and found.type == "policy"
    assert found.url == "https://example.org/lead" and found.jurisdiction == "state"


async def test_a_retired_resource_leaves_search_and_the_export_but_keeps_its_link(
    storage: Storage,
) -> None:
    maria = await add_member(storage, "Maria", "U1")
    dana = await add_member(storage, "Dana", "U2")
    kept, retired = await approved(
        storage, maria, suggestion("a", "Lead Law"), suggestion("b", "Lead Guide")
    )
    async with storage.unit_of_work() as uow:
        asked = await uow.resource_retirements.ask(retired, dana, "Out of date", NOW)
        request = await uow.resource_retirements.get(asked)
        assert request is not None and request.done_at is None
        assert request.asked_by_name == "Dana" and request.reason == "Out of date"
        assert await uow.resource_retirements.of_resource(retired) is None
        later = NOW + timedelta(minutes=1)
        assert await uow.resource_retirements.retire(request, later)
        assert not await uow.resource_retirements.retire(request, later)  # once only
        assert not await uow.resources.correct(retired, correction("X", "", "law", ()))
        await uow.commit()
    assert await titles(storage, words("lead")) == ["Lead Law"]
    async with storage.unit_of_work() as uow:
        assert [r.id for r in await uow.resources.recent()] == [kept]
        assert [r.id async for r in uow.resources.approved()] == [kept]
        found = await uow.resources.by_url_key("https://example.org/b")
        done = await uow.resource_retirements.of_resource(retired)
        audit = await uow.resource_audit.history(retired)
    assert found is not None and found.status is ResourceStatus.RETIRED
    assert done is not None and done.done_at == NOW + timedelta(minutes=1)
    assert audit == []  # the use case records it; the row stays for it


async def test_review_posts_are_claimed_once_and_recorded(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        first = await uow.resources.add(suggestion("a", "A"), maria, NOW)
        second = await uow.resources.add(suggestion("b", "B"), maria, NOW)
        assert first is not None and second is not None
        await uow.commit()
    lease = NOW + timedelta(minutes=5)
    async with storage.unit_of_work() as uow:
        assert await uow.resources.queued_reviews(NOW) == [first.id, second.id]
        assert await uow.resources.claim_review_post(first.id, NOW, lease)
        assert not await uow.resources.claim_review_post(first.id, NOW, lease)
        assert await uow.resources.queued_reviews(NOW) == [second.id]
        post = PostedMessage("slack", "C1", "1712.01")
        await uow.resources.review_posted(first.id, (post,), complete=True)
        await uow.resources.review_posted(second.id, (post,), complete=False)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        posted = await uow.resources.get(first.id)
        assert posted is not None and posted.review is ReviewPost.POSTED
        assert posted.review_posts == (post,)
        assert await uow.resources.queued_reviews(NOW) == [second.id]  # partly posted: retried


async def test_audit_keeps_before_and_after(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        resource = await uow.resources.add(suggestion("a", "A"), maria, NOW)
        assert resource is not None
        for minutes, action in ((0, AuditAction.SUGGESTED), (5, AuditAction.EDITED)):
            await uow.resource_audit.record(
                AuditEntry(
                    resource.id,
                    action,
                    maria,
                    "Maria",
                    NOW + timedelta(minutes=minutes),
                    before={"title": "A"} if minutes else {},
                    after={"title": "Ä — B", "topics": ["x"]},
                )
            )
        await uow.commit()
    async with storage.unit_of_work() as uow:
        history = await uow.resource_audit.history(resource.id)
        everything = await uow.resource_audit.history()
    assert [e.action for e in history] == [AuditAction.EDITED, AuditAction.SUGGESTED]
    assert history[0].before == {"title": "A"}
    assert history[0].after == {"title": "Ä — B", "topics": ["x"]}
    assert history[0].at == NOW + timedelta(minutes=5) and len(everything) == 2


@pytest.mark.parametrize("count", [12, 10])  # the last batch part full, or empty
async def test_the_whole_library_is_read_in_batches(
    storage: Storage, count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources_storage, "_EXPORT_BATCH", 5)  # not 500: fewer rows to add
    maria = await add_member(storage, "Maria", "U1")
    await approved(storage, maria, *(suggestion(f"r{n}", f"R{n}") for n in range(count)))
    async with storage.unit_of_work() as uow:
        await uow.resources.add(suggestion("pending", "Pending"), maria, NOW)
        await uow.commit()
        seen = [r.title async for r in uow.resources.approved()]
    assert seen == [f"R{n}" for n in range(count)]


async def test_a_very_common_word_is_counted_up_to_the_cap(storage: Storage) -> None:
    from bot.resources.model import SEARCH_COUNT_CAP

    maria = await add_member(storage, "Maria", "U1")
    await approved(
        storage,
        maria,
        *(suggestion(f"r{n}", f"Health report {n}") for n in range(SEARCH_COUNT_CAP + 5)),
        suggestion("best", "Health health", description="health"),
        *(suggestion(f"s{n}", f"Health note {n}") for n in range(3)),
    )
    async with storage.unit_of_work() as uow:
        newest = await uow.resources.search(words("health", sort=Sort.NEWEST))
        best = await uow.resources.search(words("health", sort=Sort.BEST))
    assert newest.more_than_cap and newest.total == SEARCH_COUNT_CAP + 1
    assert [r.title for r in newest.resources[:3]] == [f"Health note {n}" for n in (2, 1, 0)]
    assert best.resources[0].title == "Health health"


async def test_topic_filters_are_exact_even_where_the_words_overlap(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(
        storage,
        maria,
        suggestion("a", "Home visiting", topics=("Maternal & Child Health",)),
        suggestion("b", "Decoy", topics=("Maternal Health", "Child Care")),
        suggestion("c", "Vaccines", topics=("covid-19", "Housing")),
    )
    assert await titles(storage, words("", topic="maternal & child health")) == ["Home visiting"]
    assert await titles(storage, words("visiting", topic="Maternal & Child Health")) == [
        "Home visiting"
    ]
    assert await titles(storage, words("", topic="COVID-19")) == ["Vaccines"]
    assert await titles(storage, words("", topic="&&")) == []  # no words: the join alone
    assert await titles(storage, words("decoy", topic="child care")) == ["Decoy"]


async def test_hyphenated_words_are_found_alike_on_both(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(storage, maria, suggestion("a", "COVID-19 vaccine equity toolkit"))
    assert await titles(storage, words("covid-19")) == ["COVID-19 vaccine equity toolkit"]
    assert await titles(storage, words("covid 19 toolkit")) == ["COVID-19 vaccine equity toolkit"]


# Types and topics the full-text index must hold exactly (migration 0008): quotes,
# backslashes, "&", commas, spaces, accents, case, and the Kelvin sign (which
# Python lower-cases to "k").
_ODD_TYPES = (
    "toolkit",
    "Toolkit",
    "best practice",
    " best  practice ",
    "guía 'rápida'",
    'a\\b "c"',
    "x, y",
)
_ODD_TOPICS = (
    "Maternal & Child Health",
    "O'Brien \\ notes",
    "Salud Pública",
    "\u212aitchen safety",
    "a, b",
    "Housing",
)


async def test_words_and_filters_find_exactly_what_the_filters_alone_find(
    storage: Storage,
) -> None:
    maria = await add_member(storage, "Maria", "U1")
    items = [
        suggestion(f"r{n}", f"Lead report {n}", type=kind, topics=(topic, "Other"))
        for n, (kind, topic) in enumerate(
            (kind, topic) for kind in _ODD_TYPES for topic in _ODD_TOPICS
        )
    ]
    await approved(storage, maria, *items)
    asked = [*_ODD_TOPICS, "maternal & child health", "KITCHEN SAFETY", "salud pública", "other"]
    for kind in _ODD_TYPES:
        for topic in asked:
            expected = await titles(storage, words("", type=kind, topic=topic, per_page=50))
            found = await titles(storage, words("lead", type=kind, topic=topic, per_page=50))
            assert found and sorted(found) == sorted(expected), (kind, topic)
        assert len(await titles(storage, words("report", type=kind, per_page=50))) == len(
            _ODD_TOPICS
        )
    assert await titles(storage, words("lead", type="TOOLKIT")) == []  # types match exactly
    assert await titles(storage, words("lead", topic="Maternal")) == []  # a whole topic only


async def test_a_type_is_not_a_word_to_search_for(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(storage, maria, suggestion("a", "Heat plan", type="video"))
    assert await titles(storage, words("video")) == []
    assert await titles(storage, words("heat video")) == []
    assert await titles(storage, words("heat", type="video")) == ["Heat plan"]


async def test_a_corrected_type_is_searchable(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        resource = await uow.resources.add(suggestion("a", "Lead Guide"), maria, NOW)
        assert resource is not None
        fixed = correction("Lead Guide", "", "policy", ("Lead",))
        assert await uow.resources.correct(resource.id, fixed)
        assert await uow.resources.decide(resource.id, ResourceStatus.APPROVED, maria, NOW)
        await uow.commit()
    assert await titles(storage, words("lead", type="policy", topic="lead")) == ["Lead Guide"]
    assert await titles(storage, words("lead", type="toolkit")) == []


async def test_search_survives_migration_0008_down_and_up(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(storage, maria, suggestion("a", "Lead Law", type="law", topics=("Housing",)))
    async with storage.engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0007"))
    # Before 0008 the index has no filters; a search without them still works.
    assert await titles(storage, words("lead")) == ["Lead Law"]
    await storage.upgrade()  # rebuilt from what the resources table holds
    assert await titles(storage, words("lead", type="law", topic="housing")) == ["Lead Law"]


async def test_a_search_page_past_the_end_is_empty_but_still_counts(storage: Storage) -> None:
    maria = await add_member(storage, "Maria", "U1")
    await approved(storage, maria, *(suggestion(f"r{n}", f"Report {n} on lead") for n in range(3)))
    for sort in (Sort.BEST, Sort.NEWEST):
        async with storage.unit_of_work() as uow:
            past = await uow.resources.search(words("lead", per_page=2, page=3, sort=sort))
            last = await uow.resources.search(words("lead", per_page=2, page=2, sort=sort))
        assert past.resources == [] and past.total == 3
        assert [r.title for r in last.resources] == ["Report 0 on lead"] and last.total == 3
    async with storage.unit_of_work() as uow:
        none = await uow.resources.search(words("lead", type="law"))
    assert none.resources == [] and none.total == 0
