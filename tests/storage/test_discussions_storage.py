"""Discussion storage on SQLite and PostgreSQL: search, follows, reply counts, notice claims."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.discussions.model import DiscussionQuery, NewDiscussion
from bot.identity import Identity
from bot.membership.model import Profile
from bot.ports import PostedMessage
from storage import Storage

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


async def test_replies_count_in_known_threads_and_keep_the_latest_time(storage: Storage) -> None:
    await seed(storage)
    async with storage.unit_of_work() as uow:
        late, early = NOW + timedelta(hours=2), NOW + timedelta(hours=1)
        assert await uow.discussions.record_reply("slack", "C1", "17000.1", late)
        assert await uow.discussions.record_reply("slack", "C1", "17000.1", early)
        assert not await uow.discussions.record_reply("slack", "C2", "17000.1", late)
        assert not await uow.discussions.record_reply("discord", "C1", "17000.1", late)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        found = await uow.discussions.get(1)
        assert found is not None and found.replies == 2 and found.last_activity == late
        (busiest,) = await uow.discussions.most_active(NOW + timedelta(minutes=30))
        assert busiest.id == 1


async def test_concurrent_replies_are_all_counted(storage: Storage) -> None:
    await seed(storage)

    async def one_reply(n: int) -> None:
        async with storage.unit_of_work() as uow:
            await uow.discussions.record_reply("slack", "C1", "17000.2", NOW + timedelta(seconds=n))
            await uow.commit()

    await asyncio.gather(*(one_reply(n) for n in range(20)))
    async with storage.unit_of_work() as uow:
        found = await uow.discussions.get(2)
    assert found is not None and found.replies == 20


async def test_follow_once_and_unfollow(storage: Storage) -> None:
    member = await seed(storage)
    async with storage.unit_of_work() as uow:
        assert not await uow.discussions.follow(1, member)  # the starter follows already
        assert await uow.discussions.unfollow(1, member)
        assert not await uow.discussions.unfollow(1, member)
        assert await uow.discussions.follow(1, member)
        assert await uow.discussions.followers(1) == [member]
        await uow.commit()


async def test_a_batch_is_claimed_once(storage: Storage) -> None:
    await seed(storage)
    async with storage.unit_of_work() as uow:
        await uow.discussions.record_reply("slack", "C1", "17000.1", NOW)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        (due,) = await uow.discussions.unnotified(NOW)
        assert due.id == 1 and due.replies == 1 and due.notified_replies == 0
        assert await uow.discussions.claim_notice(1, 0, 1, NOW)
        assert not await uow.discussions.claim_notice(1, 0, 1, NOW)  # a second instance
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.discussions.unnotified(NOW + timedelta(hours=1)) == []


async def test_a_digest_is_claimed_once_per_week_and_target(storage: Storage) -> None:
    week = NOW
    async with storage.unit_of_work() as uow:
        first = await uow.digest_deliveries.claim(week, "slack:#", owner="a", at=NOW)
        assert first is not None
        assert await uow.digest_deliveries.claim(week, "slack:#", owner="b", at=NOW) is None
        assert await uow.digest_deliveries.claim(week, "discord:#", owner="b", at=NOW)
        next_week = week + timedelta(days=7)
        assert await uow.digest_deliveries.claim(next_week, "slack:#", owner="a", at=NOW)
        await uow.digest_deliveries.sent(first, at=NOW)
        await uow.commit()


async def test_new_members_are_counted_in_the_period(storage: Storage) -> None:
    await seed(storage)  # Maria joined at NOW
    async with storage.unit_of_work() as uow:
        assert await uow.members.count_joined(NOW, NOW + timedelta(days=7)) == 1
        assert (
            await uow.members.count_joined(NOW + timedelta(seconds=1), NOW + timedelta(days=7)) == 0
        )
