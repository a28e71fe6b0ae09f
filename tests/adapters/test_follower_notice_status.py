"""Follower notices that failed, in `coalition-bot status` and in the metrics: per follower."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from adapters.metrics import Metrics
from adapters.status import delivery_status
from bot.config import Config
from bot.discussions.model import NewDiscussion
from bot.identity import Identity
from bot.membership.model import Profile
from storage import Storage
from storage.status import delivery_counts
from tests.adapters.delivery_states import NOW


async def seed_followers(storage: Storage) -> None:
    """Three followers owed a notice: one given up on, one waiting for a retry, one told."""
    async with storage.unit_of_work() as uow:
        members = [
            await uow.members.add(
                Profile(f"Member {n}", "County PH"),
                Identity("slack", "T1", f"U{n}"),
                pending=False,
                at=NOW,
            )
            for n in range(3)
        ]
        discussion = await uow.discussions.add(
            NewDiscussion("Heat plans", "Who has one?", ("Climate",), "discussions"),
            members[0].id,
            NOW - timedelta(hours=2),
        )
        for member in members:
            await uow.discussions.follow(discussion.id, member.id)  # the starter already does
        claimed = NOW - timedelta(minutes=5)
        assert await uow.discussions.claim_notice(discussion.id, 0, claimed, stale_before=claimed)
        await uow.discussions.notice_sent(discussion.id, 2, claimed_at=claimed, at=claimed)
        owed = await uow.discussions.take_owed_notices(NOW, NOW + timedelta(minutes=1))
        assert sorted(o.member_id for o in owed) == sorted(m.id for m in members)
        closed, limited, told = (m.id for m in members)
        await uow.discussions.notice_failed(
            discussion.id, closed, "cannot_dm_bot", retry_at=None, at=NOW
        )
        await uow.discussions.notice_failed(
            discussion.id, limited, "ratelimited", retry_at=NOW + timedelta(minutes=1), at=NOW
        )
        await uow.discussions.notice_told(discussion.id, told, 2, at=NOW)
        await uow.commit()


async def test_status_says_given_up_and_waiting_follower_notices(storage: Storage) -> None:
    await seed_followers(storage)
    said = "\n".join((await delivery_status(storage, Config(), NOW, days=7)).lines)
    assert "Follower notices that failed, and will be retried: 1 direct message." in said
    assert "Follower notices given up in the last 7 days: 1 direct message" in said
    assert "All is well" not in said
    # Given up long ago is not "in the last day".
    later = await delivery_status(storage, Config(), NOW + timedelta(days=3), days=1)
    assert not any("given up" in line for line in later.lines)


async def test_metrics_count_follower_notices_by_state(storage: Storage) -> None:
    await seed_followers(storage)
    counts = await delivery_counts(storage)
    text = Metrics().exposition(counts, NOW, leader=True).decode()
    states = {
        sample.labels["state"]: sample.value
        for family in text_string_to_metric_families(text)
        if family.name == "coalition_follower_notices"
        for sample in family.samples
    }
    assert states == {"given_up": 1, "waiting": 1}
