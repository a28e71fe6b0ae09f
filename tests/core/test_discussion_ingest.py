"""Reply events buffered and written in batches: counts add up, foreign threads cost nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.discussions.ingest import ReplyIngest
from bot.discussions.model import ReplyCount
from storage.discussions import SqlDiscussions
from storage.unit_of_work import SqlUnitOfWork
from tests.harness import Harness, text_of
from tests.scheduling.support import RefPoster, with_ref_poster


async def setup(harness: Harness) -> RefPoster:
    poster = with_ref_poster(harness)
    await harness.join("maria", "Maria Lopez")
    return poster


async def opened(harness: Harness, poster: RefPoster, title: str = "Boards") -> str:
    """A discussion started by Maria; the id of its opening post (its thread)."""
    reply = await harness.say("maria", f'discussion start title="{title}" question="How?"')
    assert "Started discussion" in text_of(reply)
    return poster.posts[-1].ref.message_id


async def replies_of(harness: Harness, discussion_id: int) -> tuple[int, Any]:
    async with harness.storage.unit_of_work() as uow:
        found = await uow.discussions.get(discussion_id)
    assert found is not None
    return found.replies, found.last_activity


class CountingUnitOfWork:
    """The harness's storage, counting the transactions that write reply counts."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.writes: list[Sequence[ReplyCount]] = []
        self.lookups = 0

    def __call__(self) -> SqlUnitOfWork:
        uow = self.harness.storage.unit_of_work()
        uow.discussions = CountingDiscussions(uow.session, self)
        return uow


class CountingDiscussions(SqlDiscussions):
    def __init__(self, session: AsyncSession, counter: CountingUnitOfWork) -> None:
        super().__init__(session)
        self.counter = counter

    async def add_replies(self, counts: Sequence[ReplyCount]) -> set[int]:
        self.counter.writes.append(list(counts))
        return await super().add_replies(counts)

    async def opened_thread(self, platform: str, channel: str, thread: str) -> int | None:
        self.counter.lookups += 1
        return await super().opened_thread(platform, channel, thread)


async def test_events_are_coalesced_per_discussion_and_written_in_one_flush(
    harness: Harness,
) -> None:
    poster = await setup(harness)
    first, second = await opened(harness, poster), await opened(harness, poster, "Heat")
    uow = CountingUnitOfWork(harness)
    ingest = ReplyIngest(uow, harness.clock)
    now = harness.clock.now()
    for minutes in (5, 1, 3):  # out of order: the latest time is kept
        assert await ingest.record(
            "console", "#discussions", first, now + timedelta(minutes=minutes)
        )
    assert await ingest.record("console", "#discussions", second, now)
    assert ingest.pending == 4
    assert await replies_of(harness, 1) == (0, now)  # nothing written yet
    assert await ingest.flush() == 4
    assert uow.writes == [[ReplyCount(1, 3, now + timedelta(minutes=5)), ReplyCount(2, 1, now)]]
    assert await replies_of(harness, 1) == (3, now + timedelta(minutes=5))
    assert await replies_of(harness, 2) == (1, now)
    assert uow.lookups == 0  # both were in the one load of open discussions' threads
    assert await ingest.flush() == 0 and len(uow.writes) == 1  # nothing left: no write
    # A discussion started since the load is looked up on its first reply.
    third = await opened(harness, poster, "Housing")
    assert await ingest.record("console", "#discussions", third, now)
    assert uow.lookups == 1 and await ingest.flush() == 1


async def test_threads_the_bot_did_not_open_are_dropped_with_one_lookup(
    harness: Harness,
) -> None:
    await opened(harness, await setup(harness))
    uow = CountingUnitOfWork(harness)
    ingest = ReplyIngest(uow, harness.clock)
    for _ in range(100):
        assert not await ingest.record("console", "#general", "12345", harness.clock.now())
    assert uow.lookups == 1 and ingest.pending == 0
    harness.clock.advance(timedelta(minutes=1))  # remembered a minute: a new thread may appear
    assert not await ingest.record("console", "#general", "12345", harness.clock.now())
    assert uow.lookups == 2
    assert await ingest.flush() == 0 and uow.writes == []


async def test_a_flush_comes_every_n_events_and_every_interval(harness: Harness) -> None:
    thread = await opened(harness, await setup(harness))
    uow = CountingUnitOfWork(harness)
    ingest = ReplyIngest(uow, harness.clock, flush_every=timedelta(seconds=1), flush_events=3)
    at = harness.clock.now()
    for _ in range(7):
        await ingest.record("console", "#discussions", thread, at)
    assert [sum(c.count for c in w) for w in uow.writes] == [3, 3]
    assert ingest.pending == 1
    harness.clock.advance(timedelta(seconds=1))
    await ingest.record("console", "#discussions", thread, at)
    assert [sum(c.count for c in w) for w in uow.writes] == [3, 3, 2]
    assert (await replies_of(harness, 1))[0] == 8


async def test_a_closed_discussion_stops_counting_at_the_next_flush(harness: Harness) -> None:
    thread = await opened(harness, await setup(harness))
    ingest = harness.dispatcher.services.get(ReplyIngest)
    assert await ingest.record("console", "#discussions", thread, harness.clock.now())
    await harness.say("maria", "discussion close id=1")
    # Looked up while open: taken, then not counted by the write, and forgotten.
    assert await ingest.record("console", "#discussions", thread, harness.clock.now())
    assert await ingest.flush() == 0
    assert not await ingest.record("console", "#discussions", thread, harness.clock.now())
    assert (await replies_of(harness, 1))[0] == 0


async def test_counts_are_kept_when_the_database_is_unreachable(harness: Harness) -> None:
    thread = await opened(harness, await setup(harness))
    uow = CountingUnitOfWork(harness)
    ingest = ReplyIngest(uow, harness.clock, flush_events=3)
    broken = True
    attempts = 0

    def failing() -> Any:
        nonlocal attempts
        if broken:
            attempts += 1
            raise ConnectionError("database down")
        return uow()

    await ingest.record("console", "#discussions", thread, harness.clock.now())  # looked up
    ingest._unit_of_work = failing  # the database goes away under it
    await ingest.record("console", "#discussions", thread, harness.clock.now())
    assert await ingest.flush() == 0
    assert ingest.pending == 2 and attempts == 1
    for _ in range(5):  # past flush_events, but after a failed write it waits an interval
        await ingest.record("console", "#discussions", thread, harness.clock.now())
    assert attempts == 1 and ingest.pending == 7
    broken = False
    harness.clock.advance(timedelta(seconds=1))
    await ingest.record("console", "#discussions", thread, harness.clock.now())
    assert ingest.pending == 0 and len(uow.writes) == 1
    assert (await replies_of(harness, 1))[0] == 8
