"""The weekly digest: its schedule, its sections, once-only posting, and the private view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.capability_settings import Discussions
from bot.config import Config
from bot.delivery import Services
from bot.discussions.digest import latest_due
from bot.discussions.digest_delivery import post_digest
from bot.discussions.ingest import ReplyIngest
from bot.discussions.replies import record_reply
from bot.meetings.model import DeliveryTarget
from tests.faults import ConnectionKiller
from tests.harness import Harness, text_of
from tests.scheduling.support import RefPoster, with_ref_poster

# Monday 2026-03-09, 9:00 in Chicago: daylight-saving time began the day before.
NEXT_DIGEST = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)


async def busy_week(harness: Harness) -> RefPoster:
    """A resource approved, a meeting ahead, a discussion with replies, three new members."""
    poster = with_ref_poster(harness)
    harness.clock.advance(timedelta(hours=1))  # into the week after the Monday 9:00 digest
    await harness.join("admin", "Admin")
    await harness.join("maria", "Maria Lopez")
    await harness.join("lee", "Lee Park")
    await harness.say(
        "maria",
        'resource suggest url=https://example.org/cab title="CAB toolkit" type=toolkit',
    )
    review = poster.to("#coordinators")[-1].message
    approve = next(b for b in review.buttons if b.action == "resource.approve")
    assert "You approved" in text_of(await harness.click("admin", approve))
    await harness.say(
        "admin",
        'meeting schedule title="Office hours" date=2026-03-12 time=9am timezone=America/Chicago',
    )
    await harness.say("maria", 'discussion start title="Advisory boards" question="How?"')
    thread = poster.to("#discussions")[-1].ref.message_id
    for _ in range(2):
        await record_reply(
            harness.dispatcher.services, "console", "#discussions", thread, harness.clock.now()
        )
    await harness.dispatcher.services.get(ReplyIngest).flush()
    poster.posts.clear()
    return poster


def test_the_digest_is_due_monday_at_nine_in_the_coalitions_zone() -> None:
    config = Config()
    assert latest_due(NEXT_DIGEST, config) == NEXT_DIGEST
    assert latest_due(NEXT_DIGEST - timedelta(seconds=1), config) == datetime(
        2026, 3, 2, 15, 0, tzinfo=UTC
    )  # the Monday before, still on standard time
    friday = Config(discussions=Discussions(digest_day="friday", digest_time="16:30"))
    assert latest_due(NEXT_DIGEST, friday) == datetime(2026, 3, 6, 22, 30, tzinfo=UTC)


@pytest.mark.both_databases
async def test_the_digest_is_posted_once_with_every_section(harness: Harness) -> None:
    poster = await busy_week(harness)
    harness.clock.set(NEXT_DIGEST + timedelta(seconds=30))
    assert await post_digest(harness.dispatcher.services, owner="one") == 1
    (digest,) = poster.to("#announcements")
    assert "This week in Our Coalition" in digest.text
    assert "New in the resource library" in digest.text and "CAB toolkit" in digest.text
    assert "Meetings in the next 7 days" in digest.text and "Office hours" in digest.text
    assert "Most active discussions" in digest.text and "Advisory boards" in digest.text
    assert "2 replies" in digest.text
    assert "3 new members joined the coalition this week." in digest.text
    # Another replica, and this one again a minute later: the claim is taken.
    assert await post_digest(harness.dispatcher.services, owner="two") == 0
    harness.clock.advance(timedelta(minutes=1))
    assert await post_digest(harness.dispatcher.services, owner="one") == 0
    assert len(poster.to("#announcements")) == 1


@pytest.mark.both_databases
async def test_a_restart_posts_a_missed_digest_once(harness: Harness) -> None:
    poster = await busy_week(harness)
    harness.clock.set(NEXT_DIGEST + timedelta(hours=3))  # down at 9:00, back at noon
    restarted = Services(
        harness.storage.unit_of_work,
        harness.dispatcher.broadcaster,
        harness.clock,
        harness.config,
    )
    assert await post_digest(restarted, owner="after-restart") == 1
    assert await post_digest(harness.dispatcher.services, owner="one") == 0
    assert len(poster.to("#announcements")) == 1


async def test_a_digest_missed_beyond_the_grace_is_skipped(harness: Harness) -> None:
    poster = await busy_week(harness)
    harness.clock.set(NEXT_DIGEST + timedelta(hours=13))
    assert await post_digest(harness.dispatcher.services, owner="one") == 0
    assert poster.to("#announcements") == []


async def test_an_empty_week_posts_nothing(harness: Harness) -> None:
    poster = with_ref_poster(harness)
    await harness.join("admin", "Admin")  # joined the week before: not new
    harness.clock.set(NEXT_DIGEST + timedelta(days=7))
    assert await post_digest(harness.dispatcher.services, owner="one") == 0
    assert poster.posts == []
    assert await harness.storage_count("digest_deliveries") == 1  # claimed as skipped


async def test_members_see_the_current_digest_privately(harness: Harness) -> None:
    await busy_week(harness)
    reply = await harness.say("lee", "digest")
    assert reply.private
    assert "CAB toolkit" in text_of(reply) and "Advisory boards" in text_of(reply)
    harness.clock.set(NEXT_DIGEST + timedelta(minutes=1))
    later = text_of(await harness.say("lee", "digest"))  # a new week: only what is ahead
    assert "Office hours" in later and "CAB toolkit" not in later
    harness.clock.set(NEXT_DIGEST + timedelta(days=7, minutes=1))
    quiet = await harness.say("lee", "digest")
    assert "Nothing new since the last digest" in text_of(quiet)


@pytest.mark.both_databases
async def test_a_failed_digest_post_is_retried_once_it_works(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    poster = await busy_week(harness)
    harness.clock.set(NEXT_DIGEST)
    poster.failures = 2  # the platform is down for the first two tries
    services = harness.dispatcher.services
    assert await post_digest(services, owner="one") == 0
    assert await post_digest(services, owner="one") == 0  # retried after 30 s, not before
    harness.clock.advance(timedelta(seconds=30))
    assert await post_digest(services, owner="two") == 0  # second attempt fails too
    assert "attempt 2 of 5" in caplog.text
    harness.clock.advance(timedelta(seconds=59))
    assert await post_digest(services, owner="one") == 0  # the wait doubled: 60 s
    harness.clock.advance(timedelta(seconds=1))
    assert await post_digest(services, owner="one") == 1
    assert len(poster.to("#announcements")) == 1
    for _ in range(5):  # never a second digest for the week
        harness.clock.advance(timedelta(minutes=5))
        assert await post_digest(services, owner="two") == 0
    assert len(poster.to("#announcements")) == 1
    assert await harness.storage_count("digest_deliveries") == 1


async def test_a_digest_post_that_keeps_failing_is_given_up(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    poster = await busy_week(harness)
    harness.clock.set(NEXT_DIGEST)
    poster.failures = 100
    services = harness.dispatcher.services
    for _ in range(12):  # an hour of periodic runs, more than the 5 attempts need
        await post_digest(services, owner="one")
        harness.clock.advance(timedelta(minutes=5))
    assert poster.failures == 100 - 5  # five attempts in all
    assert "gave up posting the weekly digest on console after 5 attempts" in caplog.text
    poster.failures = 0
    harness.clock.advance(timedelta(minutes=5))
    assert await post_digest(services, owner="one") == 0
    assert poster.to("#announcements") == []


@pytest.mark.both_databases
async def test_a_digest_claimed_by_an_instance_that_died_is_posted_by_another(
    harness: Harness,
) -> None:
    poster = await busy_week(harness)
    harness.clock.set(NEXT_DIGEST)
    async with harness.storage.unit_of_work() as uow:  # claimed, then the process died
        await uow.digest_deliveries.claim(
            NEXT_DIGEST, DeliveryTarget.channel("console"), owner="dead", at=NEXT_DIGEST
        )
        await uow.commit()
    services = harness.dispatcher.services
    assert await post_digest(services, owner="alive") == 0  # it may still be posting
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
    assert await post_digest(services, owner="alive") == 1
    assert await post_digest(services, owner="alive") == 0
    assert len(poster.to("#announcements")) == 1


async def test_a_digest_mark_that_cannot_be_written_never_holds_back_other_platforms(
    harness: Harness,
) -> None:
    first = await busy_week(harness)
    second = RefPoster("other")
    harness.dispatcher.broadcaster.connect(second)
    harness.clock.set(NEXT_DIGEST)
    killer = ConnectionKiller(harness.storage.engine)
    killer.arm(1, matching="UPDATE digest_deliveries")  # the first "sent" mark fails
    try:
        assert await post_digest(harness.dispatcher.services, owner="one") == 2
    finally:
        killer.remove()
    assert killer.fired == 1
    assert len(first.to("#announcements")) == 1 and len(second.to("#announcements")) == 1
    async with harness.storage.engine.connect() as connection:
        found = await connection.execute(
            text("SELECT target, status FROM digest_deliveries ORDER BY target")
        )
        # The one unmarked stays claimed: taken again after the claim timeout.
        assert [tuple(r) for r in found] == [("console:#", "claimed"), ("other:#", "sent")]
