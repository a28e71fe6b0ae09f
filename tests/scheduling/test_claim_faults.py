"""The claim, post and mark cycle survives a dead database connection at every step.

The connection is killed under the 1st, 2nd, ... statement or commit of a sweep
(tests/faults.py), until a sweep runs with no call left to kill. After each, the
database comes back and later sweeps run: every due reminder must then have been
posted exactly once, and no delivery is left claimed. Walked twice: one killed
connection, and an outage that lasts from that call to the end of the sweep.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import suppress
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.meetings.posting import WRITE_TRIES, post_all
from bot.meetings.reminders import ReminderService, SweepReport
from storage import Storage
from tests.core.test_reminders import FIRST, SCHEDULE
from tests.faults import ConnectionKiller
from tests.harness import Harness
from tests.scheduling.support import RefPoster, reminder_service, with_ref_poster

WHERE = ["#announcements", "@maria", "@lee"]  # the channel, and a DM to each one going
MOST_CALLS = 200  # far more than a sweep makes: the walk ends


@pytest.fixture
async def killer(storage: Storage) -> AsyncIterator[ConnectionKiller]:
    found = ConnectionKiller(storage.engine)
    yield found
    found.remove()


async def _meeting_with_two_going(harness: Harness) -> RefPoster:
    poster = with_ref_poster(harness)
    harness.clock.set(FIRST - timedelta(days=2))
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.join("lee", "Lee Chen")
    await harness.say("admin", SCHEDULE + " reminders=none")
    await reminder_service(harness).run_due()  # the announcement
    for who in ("maria", "lee"):
        await harness.click(who, poster.to("#announcements")[0].button("Going"))
    return poster


async def _reset(harness: Harness, poster: RefPoster) -> ReminderService:
    """The same due reminders again, with a fresh instance (nothing in its memory)."""
    async with harness.storage.engine.begin() as connection:
        await connection.execute(text("DELETE FROM meeting_deliveries WHERE kind = 'remind'"))
        # The announcement's counts are redrawn in the sweep too: its calls are walked.
        await connection.execute(text("UPDATE meetings SET refresh_at = :at"), {"at": FIRST})
    poster.failures = 1  # and the first post fails on the platform: its failure is written
    harness.clock.set(FIRST)
    return ReminderService(
        harness.storage.unit_of_work,
        harness.dispatcher.broadcaster,
        harness.clock,
        harness.config,
        owner="test",
        write_backoff_seconds=0,
    )


async def _recover(harness: Harness, service: ReminderService) -> None:
    """The database is back: sweeps, each after a claim would time out (the failed
    post's retry comes before that), all within the grace period."""
    for _ in range(3):
        harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
        await service.run_due()


async def _states(harness: Harness) -> list[str]:
    async with harness.storage.engine.connect() as connection:
        found = await connection.execute(
            text("SELECT status FROM meeting_deliveries WHERE kind = 'remind' ORDER BY target")
        )
        return [row[0] for row in found]


@pytest.mark.parametrize("outage", [False, True], ids=["one-kill", "outage"])
async def test_every_reminder_posted_once_whatever_call_of_the_sweep_fails(
    storage: Storage, killer: ConnectionKiller, outage: bool
) -> None:
    harness = Harness(storage)
    poster = await _meeting_with_two_going(harness)
    walked = 0
    for at in range(1, MOST_CALLS):
        service, before = await _reset(harness, poster), len(poster.posts)
        killer.arm(at, outage=outage)
        with suppress(Exception):  # whatever the dead connection raised
            await service.run_due()
        fired = killer.fired
        killer.disarm()
        # At the next sweep, at once, the DMs are out: nothing claimed waits for a
        # timeout (the channel's first post failed on the platform: it waits its retry).
        await service.run_due()
        assert {"@maria", "@lee"} <= {p.where for p in poster.posts[before:]}, f"call {at}"
        await _recover(harness, service)
        posted = sorted(p.where for p in poster.posts[before:])
        assert posted == sorted(WHERE), f"killed under call {at}"
        assert await _states(harness) == ["sent"] * 3, f"killed under call {at}"
        if not fired:
            break  # the sweep made fewer calls than `at`: every one was walked
        walked = at
    else:
        pytest.fail("the sweep never ran out of calls")
    assert walked > 10  # a sweep claims, takes retries, posts, marks and refreshes


async def test_a_claim_of_this_instance_left_unposted_is_retaken(harness: Harness) -> None:
    poster = await _meeting_with_two_going(harness)
    harness.clock.set(FIRST)
    service = reminder_service(harness)
    assert len(await service.claim_due(SweepReport())) == 3  # claimed; its sweep then failed
    await service.run_due()
    assert [p for p in poster.posts if "New meeting" not in p.text] == []  # not before it times out
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
    await service.run_due()
    assert sorted(p.where for p in poster.posts if "New meeting" not in p.text) == sorted(WHERE)
    assert await _states(harness) == ["sent"] * 3


async def test_posts_whose_marks_wait_in_memory_are_never_taken_again(
    storage: Storage, killer: ConnectionKiller
) -> None:
    harness = Harness(storage)
    poster = await _meeting_with_two_going(harness)
    service, before = await _reset(harness, poster), len(poster.posts)
    poster.failures = 0
    report = SweepReport()
    jobs = await service.claim_due(report)  # committed; then the database goes away
    killer.arm(1, outage=True)
    broadcaster, config = harness.dispatcher.broadcaster, harness.config
    await post_all(jobs, broadcaster, service.outcomes, harness.clock, config, report)
    assert killer.fired and len(poster.posts) - before == 3
    assert service.outcomes.pending == {job.delivery.id for job in jobs}
    # Long after, the database is still failing for the first writes of the next sweep:
    # the claims are stale, but this instance knows they were posted.
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
    killer.arm(1, count=WRITE_TRIES)
    await service.run_due()
    killer.disarm()
    assert sorted(p.where for p in poster.posts[before:]) == sorted(WHERE)
    assert await _states(harness) == ["sent"] * 3 and not service.outcomes.pending
