"""Each follower's notice of new replies is their own: retried, given up or held alone.

On SQLite and PostgreSQL, through the dispatcher, with a poster that refuses one
person's DMs as a platform would (a passing failure, or `Undeliverable`).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from bot.discussions.replies import notify_followers
from bot.ports import Undeliverable
from storage import Storage
from tests.core.test_discussions import reply_in_thread, setup, started
from tests.faults import ConnectionKiller
from tests.harness import Harness
from tests.scheduling.support import RefPoster


async def _two_followers(storage: Storage, replies: int = 2) -> tuple[Harness, RefPoster, str]:
    """Maria started a discussion, Lee follows it, and it has new replies."""
    harness = Harness(storage)
    poster = await setup(harness)
    thread = await started(harness, poster)
    await harness.say("lee", "discussion follow id=1")
    for _ in range(replies):
        await reply_in_thread(harness, thread)
    return harness, poster, thread


async def _lee_row(storage: Storage) -> tuple[int, int, bool, str | None]:
    async with storage.engine.connect() as connection:
        row = (
            await connection.execute(
                text(
                    "SELECT f.told_replies, f.attempts, f.given_up_at IS NOT NULL, f.last_error "
                    "FROM discussion_followers f JOIN identities i ON i.member_id = f.member_id "
                    "WHERE i.user_id = 'lee'"
                )
            )
        ).one()
    return row[0], row[1], row[2], row[3]


async def test_a_passing_failure_is_retried_for_that_follower_only(storage: Storage) -> None:
    harness, poster, thread = await _two_followers(storage)
    services = harness.dispatcher.services
    poster.refuse["lee"] = ConnectionError("platform unavailable")
    assert await notify_followers(services) == 1  # Maria is told; Lee's post failed
    assert len(poster.to("@maria")) == 1 and poster.refused == ["lee"]
    assert await notify_followers(services) == 0  # Lee's retry is not due yet
    del poster.refuse["lee"]
    await reply_in_thread(harness, thread)  # a reply meanwhile: not a batch yet (hourly)
    harness.clock.advance(timedelta(seconds=harness.config.meetings.retry_seconds))
    assert await notify_followers(services) == 1
    (to_lee,) = poster.to("@lee")
    assert "2 new replies" in to_lee.text  # what the batch told Maria
    assert await _lee_row(storage) == (2, 0, False, None)
    harness.clock.advance(timedelta(hours=1))
    assert await notify_followers(services) == 2  # the next batch, to both, once
    assert "1 new reply" in poster.to("@lee")[-1].text
    assert len(poster.to("@maria")) == 2 and len(poster.to("@lee")) == 2


async def test_a_follower_the_platform_cannot_reach_is_given_up(storage: Storage) -> None:
    harness, poster, thread = await _two_followers(storage)
    services = harness.dispatcher.services
    poster.refuse["lee"] = Undeliverable("Cannot send messages to this user")
    assert await notify_followers(services) == 1
    told, attempts, given_up, error = await _lee_row(storage)
    assert (told, attempts, given_up) == (0, 1, True) and "Cannot send messages" in (error or "")
    for _ in range(3):  # more batches: Lee is not tried again, Maria is told each time
        await reply_in_thread(harness, thread)
        harness.clock.advance(timedelta(hours=1))
        assert await notify_followers(services) == 1
    assert poster.refused == ["lee"] and len(poster.to("@maria")) == 4


async def test_passing_failures_stop_after_the_last_attempt(storage: Storage) -> None:
    harness, poster, _ = await _two_followers(storage)
    services = harness.dispatcher.services
    settings = harness.config.meetings
    poster.refuse["lee"] = ConnectionError("platform unavailable")
    for attempt in range(1, settings.max_attempts + 2):
        await notify_followers(services)
        harness.clock.advance(timedelta(seconds=settings.retry_seconds * 2**attempt))
    assert len(poster.refused) == settings.max_attempts
    assert (await _lee_row(storage))[2]  # given up
    assert poster.to("@lee") == []


async def test_a_notice_held_by_an_instance_that_died_is_sent_after_the_timeout(
    storage: Storage,
) -> None:
    harness, poster, _ = await _two_followers(storage)
    services = harness.dispatcher.services
    now = harness.clock.now()
    timeout = timedelta(seconds=harness.config.meetings.claim_timeout_seconds)
    async with storage.unit_of_work() as uow:  # as notify_followers does, then it died
        (batch,) = await uow.discussions.unnotified(now, now)
        assert await uow.discussions.claim_notice(batch.id, 0, now, now)
        await uow.discussions.notice_sent(batch.id, batch.replies, claimed_at=now, at=now)
        assert len(await uow.discussions.take_owed_notices(now, now + timeout)) == 2
        await uow.commit()
    assert await notify_followers(services) == 0  # still held
    harness.clock.advance(timeout)
    assert await notify_followers(services) == 2  # taken again: each told once
    harness.clock.advance(timeout * 2)
    assert await notify_followers(services) == 0
    assert len(poster.to("@lee")) == 1 and len(poster.to("@maria")) == 1


async def test_a_mark_that_fails_once_is_written_again_and_nobody_is_told_twice(
    storage: Storage,
) -> None:
    harness, poster, _ = await _two_followers(storage)
    services = harness.dispatcher.services
    killer = ConnectionKiller(storage.engine)
    killer.arm(1, matching="UPDATE discussion_followers SET told_replies")
    try:
        assert await notify_followers(services) == 2
    finally:
        killer.remove()
    assert killer.fired == 1  # the first write of the marks died with its connection
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds * 2))
    assert await notify_followers(services) == 0  # marked told: not taken again
    assert len(poster.to("@lee")) == 1 and len(poster.to("@maria")) == 1
