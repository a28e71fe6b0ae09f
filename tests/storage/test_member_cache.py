"""The member cache: lookups answered from memory, and never a stale role after a change.

Run on SQLite and PostgreSQL; on PostgreSQL other processes' changes arrive by NOTIFY.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import text

from bot.identity import Identity
from bot.membership.model import Member, MemberStatus, Profile
from bot.roles import Role
from storage import Storage
from storage.member_cache import MemberCache
from tests.storage.test_members import NOW, add, profile, who


def member(member_id: int, name: str = "Maria") -> Member:
    return Member(
        id=member_id,
        profile=Profile(display_name=name, organization="X"),
        status=MemberStatus.ACTIVE,
        role=Role.MEMBER,
        joined_at=NOW,
    )


async def role_of(storage: Storage, identity: Identity) -> Role | None:
    async with storage.unit_of_work() as uow:
        found = await uow.members.by_identity(identity)
    return found.role if found else None


async def behind_the_cache(storage: Storage, sql: str) -> None:
    """A change the bot's own code did not make: raw SQL, as another program would."""
    async with storage.engine.begin() as connection:
        await connection.execute(text(sql))


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    """Until `check()` holds; fails after `within` seconds (a notice that never came)."""
    async with asyncio.timeout(within):
        while not await check():  # noqa: ASYNC110 - the state lives in another process
            await asyncio.sleep(0.02)


# -- the cache alone -----------------------------------------------------------------


def test_an_entry_is_fresh_until_max_age() -> None:
    now = [100.0]
    cache = MemberCache(max_age=10, clock=lambda: now[0])
    identity = who("U1")
    cache.store(identity, member(1), cache.generation())
    assert cache.lookup(identity) == (True, member(1))
    now[0] += 10.5
    assert cache.lookup(identity) == (False, None)


def test_not_a_member_is_remembered_too() -> None:
    cache = MemberCache()
    cache.store(who("U2"), None, cache.generation())
    assert cache.lookup(who("U2")) == (True, None)
    assert cache.lookup(who("U3")) == (False, None)


def test_a_read_that_started_before_a_clear_is_not_stored() -> None:
    cache = MemberCache()
    started = cache.generation()
    cache.clear()  # someone committed a change while the read was in flight
    cache.store(who("U1"), member(1), started)
    assert cache.lookup(who("U1")) == (False, None)


def test_the_oldest_entries_go_first_when_full() -> None:
    cache = MemberCache(capacity=2)
    for n in range(3):
        cache.store(who(f"U{n}"), member(n), cache.generation())
    assert len(cache) == 2
    assert cache.lookup(who("U0")) == (False, None)
    assert cache.lookup(who("U2"))[0]


def test_a_disabled_cache_answers_nothing() -> None:
    cache = MemberCache()
    cache.store(who("U1"), member(1), cache.generation())
    cache.enabled = False
    assert cache.lookup(who("U1")) == (False, None)


# -- through the units of work, on both databases -------------------------------------


async def test_lookups_are_answered_from_memory(storage: Storage) -> None:
    member_id = await add(storage, "Maria", "U1")
    assert await role_of(storage, who("U1")) is Role.MEMBER
    await behind_the_cache(
        storage, f"UPDATE members SET role = 'coordinator' WHERE id = {member_id}"
    )
    assert await role_of(storage, who("U1")) is Role.MEMBER  # remembered, no query
    storage.member_cache.max_age = 0  # too old at once: read again
    assert await role_of(storage, who("U1")) is Role.COORDINATOR


async def test_a_committed_change_is_seen_by_the_next_command(storage: Storage) -> None:
    member_id = await add(storage, "Maria", "U1")
    assert await role_of(storage, who("U1")) is Role.MEMBER
    async with storage.unit_of_work() as uow:
        await uow.members.set_role(member_id, Role.COORDINATOR)
        await uow.commit()
    assert await role_of(storage, who("U1")) is Role.COORDINATOR


async def test_joining_replaces_a_remembered_not_a_member(storage: Storage) -> None:
    assert await role_of(storage, who("U5")) is None
    await add(storage, "Ana", "U5")
    assert await role_of(storage, who("U5")) is Role.MEMBER


async def test_a_rolled_back_change_leaves_nothing_behind(storage: Storage) -> None:
    member_id = await add(storage, "Maria", "U1")
    assert await role_of(storage, who("U1")) is Role.MEMBER
    async with storage.unit_of_work() as uow:
        await uow.members.set_role(member_id, Role.COORDINATOR)
        # Within the change's own unit of work, the change is what is read back...
        found = await uow.members.by_identity(who("U1"))
        assert found is not None and found.role is Role.COORDINATOR
        await uow.rollback()
    # ...and once it is rolled back, the cache still says what the database says.
    assert await role_of(storage, who("U1")) is Role.MEMBER
    storage.member_cache.max_age = 0
    assert await role_of(storage, who("U1")) is Role.MEMBER


async def test_an_edited_profile_is_seen_at_once(storage: Storage) -> None:
    member_id = await add(storage, "Maria", "U1")
    await role_of(storage, who("U1"))
    async with storage.unit_of_work() as uow:
        await uow.members.update_profile(member_id, profile("Maria L", language="es"), at=NOW)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        found = await uow.members.by_identity(who("U1"))
    assert found is not None and found.profile.display_name == "Maria L"
    assert found.profile.language == "es"


# -- PostgreSQL: several processes ----------------------------------------------------


async def second_process(storage: Storage) -> Storage:
    """Another replica on the same database and schema."""
    async with storage.engine.connect() as connection:
        schema = await connection.scalar(text("SELECT current_schema()"))
    other = Storage(storage.url, connect_args={"server_settings": {"search_path": schema}})
    await other.listen()
    return other


@pytest.mark.postgres
@pytest.mark.parametrize("storage", ["postgresql"], indirect=True)
async def test_another_replicas_change_reaches_this_cache(storage: Storage) -> None:
    member_id = await add(storage, "Maria", "U1")
    assert await role_of(storage, who("U1")) is Role.MEMBER
    other = await second_process(storage)
    try:
        async with other.unit_of_work() as uow:
            await uow.members.set_role(member_id, Role.COORDINATOR)
            await uow.commit()
    finally:
        await other.dispose()

    async def promoted() -> bool:
        return await role_of(storage, who("U1")) is Role.COORDINATOR

    await eventually(promoted)


@pytest.mark.postgres
@pytest.mark.parametrize("storage", ["postgresql"], indirect=True)
async def test_without_its_listener_the_cache_is_not_used(storage: Storage) -> None:
    listener = storage.member_changes
    assert listener is not None and listener.server_pid is not None
    listener.retry_delay = 0.2
    member_id = await add(storage, "Maria", "U1")
    assert await role_of(storage, who("U1")) is Role.MEMBER
    await behind_the_cache(storage, f"SELECT pg_terminate_backend({listener.server_pid})")

    async def stopped() -> bool:
        return not storage.member_cache.enabled

    await eventually(stopped)
    # Not listening: a change it may not hear of is read from the database.
    await behind_the_cache(
        storage, f"UPDATE members SET role = 'coordinator' WHERE id = {member_id}"
    )
    assert await role_of(storage, who("U1")) is Role.COORDINATOR

    async def listening_again() -> bool:
        return storage.member_cache.enabled

    await eventually(listening_again)
