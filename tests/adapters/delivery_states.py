"""Delivery claims in every state, written through the repositories as the bot writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.discussions.model import NewDiscussion
from bot.identity import Identity
from bot.meetings.model import DeliveryKey, DeliveryKind, DeliveryTarget, Meeting
from bot.membership.model import Profile
from storage import Storage

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
START = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Office hours, 9:00 in Los Angeles
TITLE = "Office hours"
DISCUSSION = "Heat plans"
# What seed() leaves, by table and state.
MEETING_STATES = {"claimed": 3, "sent": 1, "failed": 2, "gave_up": 1, "skipped": 1}
DIGEST_STATES = {"claimed": 1, "sent": 1}
STUCK = 3  # a claim held 10 minutes, a retry 10 minutes overdue, a follower notice held an hour


def _key(meeting_id: int, offset: int, target: str) -> DeliveryKey:
    return DeliveryKey(
        meeting_id, START, DeliveryKind.REMINDER, offset, DeliveryTarget.parse(target)
    )


async def seed(storage: Storage) -> None:
    """Claims as of NOW, with the default claim timeout (2 minutes)."""
    async with storage.unit_of_work() as uow:
        member = await uow.members.add(
            Profile("Maria", "Alameda PH"),
            Identity("console", "local", "maria"),
            pending=False,
            at=NOW,
        )
        meeting = await uow.meetings.add(
            Meeting(
                0, TITLE, datetime(2026, 3, 2, 9, 0), "America/Los_Angeles", 60, "announcements"
            ),
            at=NOW - timedelta(days=1),
        )
        discussion = await uow.discussions.add(
            NewDiscussion(
                DISCUSSION, "Who reached every cooling center?", ("Climate",), "discussions"
            ),
            member.id,
            NOW - timedelta(hours=2),
        )
        await uow.commit()
    day = date(2026, 3, 2)
    due = START - timedelta(minutes=15)

    async with storage.unit_of_work() as uow:
        deliveries = uow.deliveries

        async def claim(offset: int, target: str, at: datetime, **flags: bool) -> int:
            claimed = await deliveries.claim(
                _key(meeting.id, offset, target), day, due_at=due, owner="host-a", at=at, **flags
            )
            assert claimed is not None
            return claimed.id

        # A failed post whose retry came, taken over by another instance: attempt 2, in progress.
        retried = await claim(60, "slack:#", NOW - timedelta(minutes=5))
        await deliveries.failed(retried, "ratelimited", retry_at=NOW - timedelta(seconds=1), at=NOW)
        taken = await deliveries.retryable(NOW, "host-b", stale_before=NOW - timedelta(hours=1))
        assert [d.id for d in taken] == [retried]
        await claim(15, "slack:#", NOW - timedelta(minutes=10))  # stuck: held 10 minutes
        await claim(15, "discord:#", NOW - timedelta(seconds=30))  # being posted now
        sent = await claim(15, "@1", NOW - timedelta(minutes=20), late=True)
        await deliveries.sent(sent, [], at=NOW - timedelta(minutes=19))
        failed = await claim(30, "slack:#", NOW - timedelta(minutes=1))
        await deliveries.failed(
            failed, "channel_not_found", retry_at=NOW + timedelta(minutes=5), at=NOW
        )
        overdue = await claim(30, "discord:#", NOW - timedelta(minutes=30))
        await deliveries.failed(
            overdue, "Missing Access", retry_at=NOW - timedelta(minutes=10), at=NOW
        )
        given_up = await claim(45, "slack:#", NOW - timedelta(hours=1))
        await deliveries.failed(given_up, "not_in_channel", retry_at=None, at=NOW)
        await claim(45, "discord:#", NOW, skipped=True)

        digests = uow.digest_deliveries
        week = NOW - timedelta(days=7)
        done = await digests.claim(week, DeliveryTarget.channel("slack"), owner="host-a", at=week)
        assert done is not None
        await digests.sent(done, at=week)
        assert await digests.claim(
            NOW, DeliveryTarget.channel("slack"), owner="host-a", at=NOW - timedelta(seconds=20)
        )

        stale = NOW - timedelta(minutes=2)
        told = await uow.discussions.claim_notice(
            discussion.id, 0, NOW - timedelta(hours=1), stale_before=stale
        )
        assert told
        await uow.commit()
