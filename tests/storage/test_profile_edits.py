"""Profile edits change only the fields given, also when two arrive at once (linked
accounts, two devices), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from storage import Storage
from tests.harness import Harness, text_of


async def test_simultaneous_edits_of_different_fields_both_stick(storage: Storage) -> None:
    harness = Harness(storage)
    await harness.join("maria", "Maria Lopez", jurisdiction="Alameda County")
    code = text_of(await harness.say("maria", "link")).split("code=")[1].split()[0]
    await harness.say("maria2", f"link code={code}")

    await asyncio.gather(
        harness.say("maria", "profile edit region=Southwest"),
        harness.say("maria2", "profile edit listed=no interests=Housing"),
    )
    async with storage.unit_of_work() as uow:
        member = await uow.members.by_identity(harness.who("maria"))
    assert member is not None
    assert member.profile.region == "Southwest"
    assert not member.profile.listed and member.profile.interests == ("Housing",)
    assert member.profile.jurisdiction == "Alameda County"
    assert member.name == "Maria Lopez"


async def test_an_edit_from_a_stale_read_writes_only_its_own_fields(storage: Storage) -> None:
    harness = Harness(storage)
    await harness.join("maria", "Maria Lopez", region="West")
    # Read before the other edit (the read of a form shown earlier); on SQLite a unit
    # of work that may write holds the write lock from its start, so it is closed.
    async with storage.reading() as early:
        stale = await early.members.by_identity(harness.who("maria"))
    assert stale is not None
    # Meanwhile, from another device:
    await harness.say("maria", "profile edit region=Southwest")
    async with storage.unit_of_work() as late:
        await late.members.update_profile(
            stale.id,
            replace(stale.profile, listed=False),
            at=harness.clock.now(),
            fields={"listed"},
        )
        await late.commit()
    async with storage.unit_of_work() as uow:
        member = await uow.members.get(stale.id)
    assert member is not None
    assert member.profile.region == "Southwest" and not member.profile.listed
