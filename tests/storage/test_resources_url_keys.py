"""Migrations 0009 and 0010 on both backends: existing rows get the new duplicate keys and
clean links; undoing retirement keeps retired resources out of the library."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from bot.resources.model import ResourceStatus
from bot.resources.urls import normalize_url
from storage import Storage
from storage.migrate import alembic_config
from storage.resources import url_hash
from tests.storage.test_members import add as add_member
from tests.storage.test_resources import NOW, suggestion


async def test_keys_are_recomputed_and_rows_that_now_collide_are_both_kept(
    storage: Storage,
) -> None:
    maria = await add_member(storage, "Maria", "U1")
    async with storage.engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0008"))
    # As the older rules saved them: the key kept "www." and the link its trackers.
    old = [
        ("https://www.cdc.gov/equity?utm_source=news", "https://www.cdc.gov/equity"),
        ("https://cdc.gov/equity#intro", "https://cdc.gov/equity"),
        ("http://example.org/a", "http://example.org/a"),
        ("https://example.org/a/", "https://example.org/a"),
        ("https://example.org/b?fbclid=1", "https://example.org/b"),
    ]
    async with storage.unit_of_work() as uow:
        for n, (url, key) in enumerate(old):
            item = suggestion(str(n), f"Resource {n}", url=url, url_key=key)
            assert await uow.resources.add(item, maria, NOW) is not None
        await uow.commit()
    await storage.upgrade()

    async with storage.engine.connect() as connection:
        rows = (
            await connection.execute(text("SELECT id, url, url_key, url_hash FROM resources"))
        ).all()
    stored = {row.id: (row.url, row.url_key, row.url_hash) for row in rows}
    assert len(stored) == 5  # nothing lost
    assert [stored[n][0] for n in range(1, 6)] == [
        "https://www.cdc.gov/equity",
        "https://cdc.gov/equity#intro",
        "http://example.org/a",
        "https://example.org/a/",
        "https://example.org/b",
    ]
    assert len({h for _, _, h in stored.values()}) == 5
    async with storage.unit_of_work() as uow:
        for typed, holder in (
            ("https://cdc.gov/equity/", 2),  # the row that had the key keeps it
            ("https://www.example.org/a", 4),
            ("example.org/b", 5),
        ):
            found = await uow.resources.by_url_key(normalize_url(typed)[1])
            assert found is not None and found.id == holder
    assert stored[1][1] == stored[2][1] and stored[1][2] != url_hash(stored[1][1])
    assert stored[3][1] == stored[4][1] and stored[3][2] != url_hash(stored[3][1])


async def test_downgrading_retirement_keeps_retired_resources_out_of_search(
    storage: Storage,
) -> None:
    maria = await add_member(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        resource = await uow.resources.add(suggestion("a", "Lead Law"), maria, NOW)
        assert resource is not None
        assert await uow.resources.decide(resource.id, ResourceStatus.APPROVED, maria, NOW)
        asked = await uow.resource_retirements.ask(resource.id, maria, "Old", NOW)
        request = await uow.resource_retirements.get(asked)
        assert request is not None and await uow.resource_retirements.retire(request, NOW)
        await uow.commit()
    async with storage.engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0010"))
        status = await connection.scalar(text("SELECT status FROM resources"))
    assert status == "rejected"  # the older code knows no retired state
    await storage.upgrade()
