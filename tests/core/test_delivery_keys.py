"""Each delivery's key reaches the platform, so a post repeated after a crash is recognised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.delivery import Broadcaster
from bot.discussions.digest_delivery import post_digest
from bot.meetings.model import DeliveryKey, DeliveryKind, DeliveryTarget
from bot.meetings.reminders import SweepReport
from bot.messages import ToChannel
from tests.core.test_delivery import HELLO, Platform
from tests.core.test_digest import NEXT_DIGEST, busy_week
from tests.core.test_reminders import FIRST, setup
from tests.harness import Harness
from tests.scheduling.support import reminder_service


def test_a_delivery_key_is_one_string_every_instance_makes_alike() -> None:
    key = DeliveryKey(
        7, datetime(2026, 3, 5, 17, 0, tzinfo=UTC), DeliveryKind.REMINDER, 15, DeliveryTarget.dm(3)
    )
    assert key.token == "7/20260305T170000/remind/15/@3"
    assert (
        DeliveryKey(7, key.occurrence_start, DeliveryKind.REMINDER, 0, DeliveryTarget.dm(3)).token
        != key.token
    )


async def test_a_reminder_taken_over_from_a_dead_instance_is_rechecked(harness: Harness) -> None:
    poster = await setup(harness, going=False, only_at_start=True)
    poster.keys.clear()  # the announcement's
    harness.clock.set(FIRST)
    dead = reminder_service(harness, "dead")
    [job] = await dead.claim_due(SweepReport())  # claimed; maybe posted; then it died
    harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
    await reminder_service(harness, "alive").run_due()
    assert poster.keys == [(job.delivery.key.token, True)]


async def test_a_first_attempt_is_not_rechecked_and_a_retry_is(harness: Harness) -> None:
    poster = await setup(harness, going=False, only_at_start=True)
    poster.keys.clear()
    harness.clock.set(FIRST)
    poster.failures = 1  # the platform may have taken it even so
    await reminder_service(harness).run_due()
    harness.clock.advance(timedelta(seconds=harness.config.meetings.retry_seconds))
    await reminder_service(harness).run_due()
    [(key, first), (again, retry)] = poster.keys
    assert key == again and (first, retry) == (False, True)
    assert key.endswith("/remind/0/console:#")


async def test_the_digest_is_keyed_by_its_week_and_rechecked_when_retried(
    harness: Harness,
) -> None:
    poster = await busy_week(harness)
    harness.clock.set(NEXT_DIGEST)
    poster.failures = 1
    services = harness.dispatcher.services
    assert await post_digest(services, owner="one") == 0
    harness.clock.advance(timedelta(seconds=harness.config.meetings.retry_seconds))
    assert await post_digest(services, owner="one") == 1
    week = "digest/20260309T140000/console:#"
    assert poster.keys == [(week, False), (week, True)]


async def test_a_platform_that_cannot_tell_repeats_just_posts() -> None:
    plain = Platform("console")
    broadcaster = Broadcaster()
    broadcaster.connect(plain)
    [posted] = await broadcaster.send("console", ToChannel("a"), HELLO, key="k", recheck=True)
    assert plain.posts == [("#a", HELLO)] and posted.channel == "a"
