"""Discussion storage on SQLite and PostgreSQL: search, follows, reply counts, notice claims."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.discussions.model import DiscussionQuery, NewDiscussion, ReplyCount
from bot.discussions.ports import DigestRetry
from bot.identity import Identity
from bot.meetings.model import DeliveryTarget
from bot.membership.model import Profile
from bot.ports import PostedMessage
from storage import Storage

SLACK = DeliveryTarget.channel("slack")

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


async def seed(storage: Storage) -> int:
    """A member and three discussions: 1 boards, 2 heat (100% literal), 3 housing."""
    async with storage.unit_of_work() as uow:
        member = await uow.members.add(
            Profile("Maria", "Alameda PH"),
            Identity("console", "local", "maria"),
            pending=False,
            at=NOW,
        )
        for n, (title, question, topics) in enumerate(
            [
                ("Advisory boards", "How did you set yours up?", ("CAB", "Health equity")),
                ("Heat plans", "Who reached 100% of cooling centers?", ("Climate",)),
                ("Housing inspections", "Which checklists work?", ("Housing",)),
            ]
        ):
            discussion = await uow.discussions.add(
                NewDiscussion(title, question, topics, "discussions"),
                member.id,
                NOW + timedelta(minutes=n),
            )
            await uow.discussions.add_thread(
                discussion.id, PostedMessage("slack", "C1", f"17000.{discussion.id}")
            )
        await uow.commit()
    return member.id


async def titles(storage: Storage, query: DiscussionQuery) -> list[str]:
    async with storage.unit_of_work() as uow:
        return [d.title for d in await uow.discussions.find(query)]


async def test_find_orders_open_first_and_filters(storage: Storage) -> None:
    member = await seed(storage)
    assert await titles(storage, DiscussionQuery()) == [
        "Housing inspections",
        "Heat plans",
        "Advisory boards",
    ]
    async with storage.unit_of_work() as uow:
        assert await uow.discussions.close(3, "", member, NOW)
        assert not await uow.discussions.close(3, "again", member, NOW)
        await uow.commit()
    assert (await titles(storage, DiscussionQuery()))[-1] == "Housing inspections"
    assert await titles(storage, DiscussionQuery(topic="cab")) == ["Advisory boards"]
    assert await titles(storage, DiscussionQuery(topic="health")) == []  # whole topics only
    assert await titles(storage, DiscussionQuery(words=("cooling", "heat"))) == ["Heat plans"]
    assert await titles(storage, DiscussionQuery(words=("equity",))) == ["Advisory boards"]
    # Whole words: "100%" is the word 100; a part of a word is not one.
    assert await titles(storage, DiscussionQuery(words=("100",))) == ["Heat plans"]
    assert await titles(storage, DiscussionQuery(words=("cool",))) == []


async def test_only_open_discussions_threads_are_found(storage: Storage) -> None:
    member = await seed(storage)
    async with storage.unit_of_work() as uow:
        assert await uow.discussions.opened_thread("slack", "C1", "17000.1") == 1
        assert await uow.discussions.opened_thread("slack", "C2", "17000.1") is None
        assert await uow.discussions.opened_thread("discord", "C1", "17000.1") is None
        assert await uow.discussions.close(3, "", member, NOW)
        assert await uow.discussions.opened_thread("slack", "C1", "17000.3") is None
        assert await uow.discussions.open_threads() == {
            ("slack", "C1", "17000.1"): 1,
            ("slack", "C1", "17000.2"): 2,
        }


async def test_reply_batches_add_up_and_keep_the_latest_time(storage: Storage) -> None:
    member = await seed(storage)
    late, early = NOW + timedelta(hours=2), NOW + timedelta(hours=1)
    async with storage.unit_of_work() as uow:
        assert await uow.discussions.close(3, "", member, NOW)
        counted = await uow.discussions.add_replies(
            [ReplyCount(1, 3, late), ReplyCount(2, 1, early), ReplyCount(3, 5, late)]
        )
        assert counted == {1, 2}  # 3 is closed: not counted
        assert await uow.discussions.add_replies([ReplyCount(1, 2, early)]) == {1}
        await uow.commit()
    async with storage.unit_of_work() as uow:
        found = await uow.discussions.get(1)
        assert found is not None and found.replies == 5 and found.last_activity == late
        closed = await uow.discussions.get(3)
        assert closed is not None and closed.replies == 0
        (busiest, _) = await uow.discussions.most_active(NOW + timedelta(minutes=30))
        assert busiest.id == 1


async def test_concurrent_batches_are_all_counted(storage: Storage) -> None:
    """Two instances (or two flushes) writing the same discussion: relative updates add up."""
    await seed(storage)

    async def one_batch(n: int) -> None:
        async with storage.unit_of_work() as uow:
            await uow.discussions.add_replies([ReplyCount(2, n, NOW + timedelta(seconds=n))])
            await uow.commit()

    await asyncio.gather(*(one_batch(n) for n in range(1, 11)))
    async with storage.unit_of_work() as uow:
        found = await uow.discussions.get(2)
    assert found is not None and found.replies == 55


async def test_follow_once_and_unfollow(storage: Storage) -> None:
    member = await seed(storage)
    async with storage.unit_of_work() as uow:
        assert not await uow.discussions.follow(1, member)  # the starter follows already
        assert await uow.discussions.unfollow(1, member)
        assert not await uow.discussions.unfollow(1, member)
        assert await uow.discussions.follow(1, member)
        assert await uow.discussions.followers(1) == [member]
        await uow.commit()


async def test_a_follow_rolled_back_is_not_kept(storage: Storage) -> None:
    # The follow is the transaction's first write: a savepoint there used to commit
    # it on SQLite, so the rollback below kept it.
    member = await seed(storage)
    async with storage.unit_of_work() as uow:
        other = await uow.members.add(
            Profile("Ana", "Fresno PH"), Identity("console", "local", "ana"), pending=False, at=NOW
        )
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.discussions.follow(1, other.id)
        assert await uow.discussions.follow(2, other.id)
        await uow.rollback()
    async with storage.unit_of_work() as uow:
        assert await uow.discussions.followers(1) == [member]
        assert await uow.discussions.followers(2) == [member]


async def test_a_batch_is_claimed_once_and_told_when_sent(storage: Storage) -> None:
    await seed(storage)
    stale = NOW - timedelta(minutes=2)
    async with storage.unit_of_work() as uow:
        await uow.discussions.add_replies([ReplyCount(1, 1, NOW)])
        await uow.commit()
    async with storage.unit_of_work() as uow:
        (due,) = await uow.discussions.unnotified(NOW, stale)
        assert due.id == 1 and due.replies == 1 and due.notified_replies == 0
        assert await uow.discussions.claim_notice(1, 0, NOW, stale)
        assert not await uow.discussions.claim_notice(1, 0, NOW, stale)  # a second instance
        assert await uow.discussions.unnotified(NOW, stale) == []  # being told
        await uow.discussions.notice_sent(1, 1, claimed_at=NOW, at=NOW)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        later = NOW + timedelta(hours=1)
        assert await uow.discussions.unnotified(later, later - timedelta(minutes=2)) == []


async def test_a_batch_claimed_by_a_dead_instance_is_taken_over(storage: Storage) -> None:
    await seed(storage)
    async with storage.unit_of_work() as uow:
        await uow.discussions.add_replies([ReplyCount(1, 2, NOW)])
        assert await uow.discussions.claim_notice(1, 0, NOW, NOW - timedelta(minutes=2))
        await uow.commit()  # ... and the instance dies before posting
    soon, later = NOW + timedelta(minutes=1), NOW + timedelta(minutes=3)
    async with storage.unit_of_work() as uow:
        assert await uow.discussions.unnotified(soon, soon - timedelta(minutes=2)) == []
        (due,) = await uow.discussions.unnotified(later, later - timedelta(minutes=2))
        assert due.replies == 2 and due.notified_replies == 0
        assert await uow.discussions.claim_notice(1, 0, later, later - timedelta(minutes=2))
        # The dead instance's late "sent" no longer matches its claim: it changes nothing.
        await uow.discussions.notice_sent(1, 2, claimed_at=NOW, at=later)
        assert (await uow.discussions.get(1)).notified_replies == 0  # type: ignore[union-attr]
        await uow.discussions.notice_sent(1, 2, claimed_at=later, at=later)
        assert (await uow.discussions.get(1)).notified_replies == 2  # type: ignore[union-attr]
        await uow.commit()


async def test_a_failed_digest_post_is_retried_on_the_same_claim(storage: Storage) -> None:
    week = NOW
    stale = NOW - timedelta(minutes=2)
    async with storage.unit_of_work() as uow:
        claim = await uow.digest_deliveries.claim(week, SLACK, owner="a", at=NOW)
        assert claim is not None
        assert await uow.digest_deliveries.retryable(week, NOW, "b", stale) == []  # in flight
        retry_at = NOW + timedelta(seconds=30)
        await uow.digest_deliveries.failed(claim, "Boom", retry_at=retry_at, at=NOW)
        assert await uow.digest_deliveries.retryable(week, NOW, "a", stale) == []  # not yet
        assert (
            await uow.digest_deliveries.retryable(week - timedelta(days=7), retry_at, "a", stale)
            == []
        )
        (retry,) = await uow.digest_deliveries.retryable(week, retry_at, "a", stale)
        assert retry == DigestRetry(claim, SLACK, 2)
        assert await uow.digest_deliveries.retryable(week, retry_at, "b", stale) == []  # taken
        await uow.digest_deliveries.failed(claim, "Boom", retry_at=None, at=retry_at)
        far = retry_at + timedelta(days=1)
        assert await uow.digest_deliveries.retryable(week, far, "a", far) == []  # given up
        await uow.commit()


async def test_a_digest_claimed_by_a_dead_instance_is_taken_over(storage: Storage) -> None:
    async with storage.unit_of_work() as uow:
        claim = await uow.digest_deliveries.claim(NOW, SLACK, owner="dead", at=NOW)
        await uow.commit()
    later = NOW + timedelta(minutes=3)
    async with storage.unit_of_work() as uow:
        (retry,) = await uow.digest_deliveries.retryable(
            NOW, later, "b", later - timedelta(minutes=2)
        )
        assert retry.claim_id == claim and retry.attempt == 2
        await uow.digest_deliveries.sent(claim, at=later)
        assert await uow.digest_deliveries.retryable(NOW, later, "c", later) == []
        await uow.commit()


async def test_a_digest_claim_of_this_instance_left_unfinished_is_taken_again(
    storage: Storage,
) -> None:
    async with storage.unit_of_work() as uow:
        claim = await uow.digest_deliveries.claim(NOW, SLACK, owner="a", at=NOW)
        await uow.commit()  # and then its run failed before posting
    later = NOW + timedelta(minutes=3)
    async with storage.unit_of_work() as uow:
        assert await uow.digest_deliveries.retryable(NOW, later, "a", NOW) == []  # not stale
        (retry,) = await uow.digest_deliveries.retryable(NOW, later, "a", later)
        assert retry.claim_id == claim and retry.attempt == 2
        await uow.commit()


async def test_a_digest_is_claimed_once_per_week_and_target(storage: Storage) -> None:
    week = NOW
    async with storage.unit_of_work() as uow:
        first = await uow.digest_deliveries.claim(week, SLACK, owner="a", at=NOW)
        assert first is not None
        assert await uow.digest_deliveries.claim(week, SLACK, owner="b", at=NOW) is None
        assert await uow.digest_deliveries.claim(
            week, DeliveryTarget.channel("discord"), owner="b", at=NOW
        )
        next_week = week + timedelta(days=7)
        assert await uow.digest_deliveries.claim(next_week, SLACK, owner="a", at=NOW)
        await uow.digest_deliveries.sent(first, at=NOW)
        await uow.commit()


async def test_new_members_are_counted_in_the_period(storage: Storage) -> None:
    await seed(storage)  # Maria joined at NOW
    async with storage.unit_of_work() as uow:
        assert await uow.members.count_joined(NOW, NOW + timedelta(days=7)) == 1
        assert (
            await uow.members.count_joined(NOW + timedelta(seconds=1), NOW + timedelta(days=7)) == 0
        )
