"""Meetings storage for issue 16: cancelling once under a race; the account last used."""

from __future__ import annotations

import asyncio
from datetime import timedelta

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
