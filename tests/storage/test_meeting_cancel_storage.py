"""Meetings storage for issue 16: cancelling once under a race; the account last used;
a meeting cancelled late still read for the sessions it held (reports)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.identity import Identity
from storage import Storage
from tests.storage.test_meetings_storage import NOW, seed


async def test_a_meeting_is_cancelled_once_even_by_concurrent_confirmations(
    storage: Storage,
) -> None:
    _, meeting_id = await seed(storage)

    async def confirm() -> bool:
        async with storage.unit_of_work() as uow:
            meeting = await uow.meetings.get(meeting_id)  # the handler reads it first
            assert meeting is not None
            won = await uow.meetings.cancel(meeting_id, at=NOW)
            await uow.commit()
            return won

    results = await asyncio.gather(*(confirm() for _ in range(4)))
    assert sorted(results) == [False, False, False, True]
    async with storage.unit_of_work() as uow:
        meeting = await uow.meetings.get(meeting_id)
        assert meeting is not None and meeting.cancelled
        assert await uow.meetings.cancel(meeting_id, at=NOW) is False


async def test_the_account_last_used_is_remembered_per_identity(storage: Storage) -> None:
    member_id, _ = await seed(storage)
    slack = Identity("slack", "T1", "U1")
    async with storage.unit_of_work() as uow:
        member = await uow.members.get(member_id)
        assert member is not None and member.last_used is None
        first = member.identities[0]
        await uow.members.link_identity(member_id, slack)
        await uow.commit()
    for used, at in ((slack, NOW), (first, NOW + timedelta(minutes=1))):
        async with storage.unit_of_work() as uow:
            await uow.members.used(used, at=at)
            await uow.commit()
        async with storage.unit_of_work() as uow:
            member = await uow.members.get(member_id)
            assert member is not None and member.last_used == used
            assert (await uow.members.by_identity(slack)) == member  # the cache was cleared


async def test_a_report_reads_a_meeting_cancelled_after_its_window_began(
    storage: Storage,
) -> None:
    _, meeting_id = await seed(storage)  # Thursdays 2026-03-05, 12 and 19
    cancelled_at = datetime(2026, 3, 13, tzinfo=UTC)
    async with storage.unit_of_work() as uow:
        assert await uow.meetings.cancel(meeting_id, at=cancelled_at)
        await uow.commit()
    march = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    async with storage.unit_of_work() as uow:
        assert await uow.meetings.active(*march) == []
        (held,) = await uow.meetings.held_between(*march)
        # Its earlier dates were held: `updated_at` says until when.
        assert held.id == meeting_id and held.cancelled and held.updated_at == cancelled_at
        after = (datetime(2026, 3, 14, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
        assert await uow.meetings.held_between(*after) == []
