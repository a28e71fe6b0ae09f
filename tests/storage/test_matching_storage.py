"""The matching repository on both databases: opt-ins, a round taken once, places,
introductions and check-ins taken once, stats, and forgetting a leaver."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from bot.matching.model import MET, NOT_YET, Preferences
from storage import Storage
from tests.harness import Harness

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


async def members(storage: Storage, count: int = 4) -> list[int]:
    harness = Harness(storage)
    users = "abcd"[:count]
    for user in users:
        await harness.join(user, f"Member {user.upper()}")
    async with storage.unit_of_work() as uow:
        found = [await uow.members.by_identity(Harness.who(u)) for u in users]
    return [m.id for m in found if m is not None]


async def test_opt_in_updates_snooze_and_opt_out(storage: Storage) -> None:
    a, b, *_ = await members(storage)
    wishes = Preferences(region="same", topics=("Housing", "Workforce"), role="mentor")
    async with storage.unit_of_work() as uow:
        assert await uow.matching.opt_in(a, wishes, AT)
        assert not await uow.matching.snooze(b, date(2026, 4, 1))
        assert await uow.matching.snooze(a, date(2026, 4, 1))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        found = await uow.matching.opt_in_of(a)
        assert found is not None and found.preferences == wishes
        assert found.snoozed_until == date(2026, 4, 1) and not found.active_on(date(2026, 3, 30))
        # Joining again replaces the wishes and ends the snooze.
        assert not await uow.matching.opt_in(a, Preferences(same_organization=True), AT)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        (again,) = await uow.matching.opted_in()
        assert again.preferences.same_organization and again.snoozed_until is None
        assert again.joined_at == AT
        assert await uow.matching.opt_out(a) and not await uow.matching.opt_out(a)


async def test_a_round_is_claimed_once_even_at_the_same_moment(storage: Storage) -> None:
    await members(storage)

    async def claim(instance: str) -> int | None:
        async with storage.unit_of_work() as uow:
            found = await uow.matching.claim_round(AT, instance, AT)
            await uow.commit()
            return found

    results = await asyncio.gather(claim("one"), claim("two"))
    assert sorted(r is None for r in results) == [False, True]
    async with storage.unit_of_work() as uow:
        assert await uow.matching.has_round(AT)
        assert not await uow.matching.has_round(AT + timedelta(days=14))


async def test_places_introductions_checkins_and_stats(storage: Storage) -> None:
    a, b, c, d = await members(storage)
    async with storage.unit_of_work() as uow:
        first = await uow.matching.claim_round(AT, "one", AT)
        assert first is not None
        await uow.matching.place(first, [(a, b), (c, d)])
        later = await uow.matching.claim_round(AT + timedelta(days=14), "one", AT)
        assert later is not None
        await uow.matching.place(later, [(a, c, d)])
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.matching.recent_pairs(1) == {
            frozenset((a, c)),
            frozenset((a, d)),
            frozenset((c, d)),
        }
        assert frozenset((a, b)) in await uow.matching.recent_pairs(2)
        held = AT - timedelta(minutes=2)  # a lease taken before this is stale
        assert await uow.matching.unintroduced(held) == [(first, 1), (first, 2), (later, 1)]
        assert await uow.matching.claim_introduction(first, 1, AT, held) == [(a, 1), (b, 1)]
        assert await uow.matching.claim_introduction(first, 1, AT, held) == []
        assert await uow.matching.unintroduced(held) == [(first, 2), (later, 1)]
        # Not finished in time (the instance died, or the post failed): taken over.
        late = AT + timedelta(minutes=3)
        assert await uow.matching.claim_introduction(first, 1, late, AT + timedelta(seconds=1)) == [
            (a, 2),
            (b, 2),
        ]
        await uow.matching.introduced(first, [a], late)
        far = late + timedelta(hours=1)
        assert await uow.matching.claim_introduction(first, 1, far, far) == [(b, 3)]
        await uow.matching.introduced(first, [b], far)
        assert await uow.matching.claim_introduction(first, 1, far, far) == []
        assert await uow.matching.group_of(later, c) == sorted((a, c, d))
        assert await uow.matching.checkins_due(AT, held) == [
            (first, a),
            (first, b),
            (first, c),
            (first, d),
        ]
        assert await uow.matching.claim_checkin(first, a, AT, held) == 1
        assert await uow.matching.claim_checkin(first, a, AT, held) == 0
        assert await uow.matching.claim_checkin(first, b, AT, held) == 1
        await uow.matching.asked(first, a, AT)
        await uow.matching.asked(first, b, AT)
        assert await uow.matching.claim_checkin(first, a, far, far) == 0  # done: never again
        assert await uow.matching.checkins_due(AT, far) == [(first, c), (first, d)]
        assert await uow.matching.answer(first, a, MET, AT)
        assert await uow.matching.answer(first, b, NOT_YET, AT)
        assert not await uow.matching.answer(later, b, MET, AT)
        assert await uow.matching.round_instants(AT) == [AT + timedelta(days=14)]
        newest, oldest = await uow.matching.stats(10)
        assert (newest.groups, newest.members, newest.asked) == (1, 3, 0)
        assert (oldest.groups, oldest.members, oldest.asked, oldest.answered, oldest.met) == (
            2,
            4,
            2,
            2,
            1,
        )
        await uow.commit()


async def test_forgetting_a_member_keeps_the_others_places(storage: Storage) -> None:
    a, b, *_ = await members(storage)
    async with storage.unit_of_work() as uow:
        await uow.matching.opt_in(a, Preferences(), AT)
        round_id = await uow.matching.claim_round(AT, "one", AT)
        assert round_id is not None
        await uow.matching.place(round_id, [(a, b)])
        await uow.matching.answer(round_id, a, MET, AT)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        ((opt_in, member),) = await uow.matching.opted_in_members()
        assert opt_in.member_id == member.id == a and member.name == "Member A"
        assert member.identities  # the accounts come along: introductions are sent to one
        (mine,) = await uow.matching.placements_of(a)
        assert mine.answer == MET and mine.group == 1
        await uow.matching.forget(a)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.matching.opt_in_of(a) is None
        assert await uow.matching.placements_of(a) == []
        assert await uow.matching.group_of(round_id, b) == [b]
