"""The membership repositories, run unchanged on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.identity import Identity
from bot.membership.model import (
    AccountTaken,
    Decision,
    DirectoryQuery,
    MemberStatus,
    Profile,
)
from bot.roles import Role
from storage import Storage

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def profile(name: str, **changes: object) -> Profile:
    values: dict[str, object] = {
        "display_name": name,
        "organization": f"{name} County Health",
        "discipline": "Epidemiology",
        "region": "West",
        "interests": ("Housing",),
        "timezone": "America/Chicago",
    }
    values.update(changes)
    return Profile(**values)  # type: ignore[arg-type]


def who(user: str, platform: str = "slack") -> Identity:
    return Identity(platform, "T1", user)


async def add(storage: Storage, name: str, user: str, **changes: object) -> int:
    async with storage.unit_of_work() as uow:
        member = await uow.members.add(profile(name, **changes), who(user), pending=False, at=NOW)
        await uow.commit()
    return member.id


async def test_add_and_find_by_identity_keeps_every_field(storage: Storage) -> None:
    member_id = await add(storage, "Maria", "U1", interests=("Housing", "Food Access"))
    async with storage.unit_of_work() as uow:
        found = await uow.members.by_identity(who("U1"))
    assert found is not None and found.id == member_id
    assert found.profile.interests == ("Housing", "Food Access")
    assert found.joined_at == NOW and found.joined_at.tzinfo is not None
    assert found.identities == (who("U1"),)
    assert found.status is MemberStatus.ACTIVE and found.role is Role.MEMBER


async def test_uncommitted_work_is_rolled_back(storage: Storage) -> None:
    async with storage.unit_of_work() as uow:
        await uow.members.add(profile("Ghost"), who("U9"), pending=False, at=NOW)
        # no commit
    async with storage.unit_of_work() as uow:
        assert await uow.members.by_identity(who("U9")) is None


async def test_directory_filters_combine_and_hide_unlisted(storage: Storage) -> None:
    await add(storage, "Maria Lopez", "U1")
    await add(storage, "Sam Okafor", "U2", region="Midwest", interests=("Housing", "Workforce"))
    await add(storage, "Hidden", "U3", listed=False)
    await add(storage, "Percent 100%", "U4", organization="Under_score Dept", region="Southeast")
    async with storage.unit_of_work() as uow:
        search = uow.members.search
        assert (await search(DirectoryQuery())).total == 3
        assert [
            m.display_name for m in (await search(DirectoryQuery(interest="Workforce"))).members
        ] == ["Sam Okafor"]
        housing_west = await search(DirectoryQuery(interest="Housing", region="West"))
        assert [m.display_name for m in housing_west.members] == ["Maria Lopez"]
        assert (await search(DirectoryQuery(name="LOPEZ"))).total == 1
        # LIKE wildcards typed by a person are taken literally.
        assert (await search(DirectoryQuery(name="%"))).total == 1
        assert (await search(DirectoryQuery(organization="_"))).total == 1
        assert (await search(DirectoryQuery(name="hidden"))).total == 0


async def test_directory_pages_in_name_order(storage: Storage) -> None:
    for n in range(25):
        await add(storage, f"Person {n:02d}", f"U{n}")
    async with storage.unit_of_work() as uow:
        page = await uow.members.search(DirectoryQuery(page=3, per_page=10))
    assert page.total == 25 and page.pages == 3
    assert [m.display_name for m in page.members] == [f"Person {n}" for n in range(20, 25)]


async def test_one_account_belongs_to_one_member(storage: Storage) -> None:
    await add(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        # The unique key, whatever the driver calls it, reported in the core's own terms.
        with pytest.raises(AccountTaken):
            await uow.members.add(profile("Copy"), who("U1"), pending=False, at=NOW)


async def test_link_identity_and_erase_keep_a_tombstone(storage: Storage) -> None:
    member_id = await add(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        await uow.members.link_identity(member_id, who("999", "discord"))
        await uow.link_codes.create("ABCD-EFGH", member_id, NOW + timedelta(minutes=10))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        linked = await uow.members.by_identity(who("999", "discord"))
        assert linked is not None and linked.id == member_id
        await uow.members.erase(member_id, at=NOW)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.members.by_identity(who("U1")) is None
        assert await uow.members.by_identity(who("999", "discord")) is None
        tombstone = await uow.members.get(member_id)
        assert await uow.link_codes.redeem("ABCD-EFGH", NOW) is None
    assert tombstone is not None
    assert tombstone.status is MemberStatus.LEFT
    assert tombstone.profile.organization == "" and tombstone.profile.interests == ()


async def test_link_code_is_redeemed_once_and_not_after_expiry(storage: Storage) -> None:
    member_id = await add(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        await uow.link_codes.create("CODE-0001", member_id, NOW + timedelta(minutes=10))
        await uow.link_codes.create("CODE-0002", member_id, NOW + timedelta(minutes=10))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.link_codes.redeem("CODE-0001", NOW) == member_id
        assert await uow.link_codes.redeem("CODE-0001", NOW) is None
        assert await uow.link_codes.redeem("CODE-0002", NOW + timedelta(minutes=11)) is None


async def test_concurrent_decisions_record_exactly_one(storage: Storage) -> None:
    """Two coordinators click at the same moment: one wins, the other is told."""
    applicant = await add(storage, "Applicant", "U1")
    dana = await add(storage, "Dana", "U2")
    sam = await add(storage, "Sam", "U3")
    async with storage.unit_of_work() as uow:
        request = await uow.join_requests.open(applicant, NOW)
        await uow.commit()

    both = asyncio.Barrier(2)  # each goes on once the other is as far

    async def decide(by: int, decision: Decision) -> bool:
        # Nothing is begun yet on either side (SQLAlchemy begins at the first
        # statement); on SQLite the unit of work waits here for its write turn.
        await both.wait()
        async with storage.unit_of_work() as uow:
            won = await uow.join_requests.decide(request.id, decision, by, NOW)
            await uow.commit()
            return won

    racers = [
        asyncio.create_task(decide(dana, Decision.APPROVED)),
        asyncio.create_task(decide(sam, Decision.DECLINED)),
    ]
    results = await asyncio.gather(*racers)
    assert sorted(results) == [False, True]
    async with storage.unit_of_work() as uow:
        decided = await uow.join_requests.get(request.id)
    assert decided is not None
    winner = dana if results[0] else sam
    assert decided.decided_by == winner
    assert decided.decision is (Decision.APPROVED if results[0] else Decision.DECLINED)
    assert decided.decided_by_name == ("Dana" if results[0] else "Sam")


async def test_role_changes_are_listed_newest_first(storage: Storage) -> None:
    from bot.membership.model import RoleChange

    maria = await add(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        await uow.members.set_role(maria, Role.COORDINATOR)
        for minutes, granted in ((0, True), (5, False)):
            await uow.role_changes.record(
                RoleChange(
                    maria, Role.COORDINATOR, granted, None, "Dana", NOW + timedelta(minutes=minutes)
                )
            )
        await uow.commit()
    async with storage.unit_of_work() as uow:
        history = await uow.role_changes.history(maria)
        coordinators = await uow.members.with_role(Role.COORDINATOR)
    assert [c.granted for c in history] == [False, True]
    assert [m.id for m in coordinators] == [maria]


async def test_directory_count_stops_at_the_cap(storage: Storage) -> None:
    from bot.membership.model import DIRECTORY_COUNT_CAP

    async with storage.unit_of_work() as uow:
        for n in range(DIRECTORY_COUNT_CAP + 5):
            await uow.members.add(profile(f"P{n:04d}"), who(f"U{n}"), pending=False, at=NOW)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        broad = await uow.members.search(DirectoryQuery())
        narrow = await uow.members.search(DirectoryQuery(name="p000"))
    assert broad.more_than_cap and broad.total == DIRECTORY_COUNT_CAP + 1
    assert len(broad.members) == 10
    assert not narrow.more_than_cap and narrow.total == 10


async def test_a_page_past_the_end_is_empty_but_still_counts(storage: Storage) -> None:
    for n in range(12):
        await add(storage, f"Person {n:02d}", f"U{n}")
    async with storage.unit_of_work() as uow:
        past = await uow.members.search(DirectoryQuery(page=3, per_page=10))
        nobody = await uow.members.search(DirectoryQuery(name="nobody"))
    assert past.members == [] and past.total == 12 and past.pages == 2
    assert nobody.members == [] and nobody.total == 0
