"""Searching the resource library's audit trail (the dashboard's filters), on each database."""

from __future__ import annotations

from datetime import timedelta

from bot.resources.model import AuditAction, AuditEntry, AuditFilter
from storage import Storage
from tests.storage.test_members import add as add_member
from tests.storage.test_resources import NOW, suggestion

A = AuditAction


async def trail(storage: Storage) -> list[int]:
    """Two resources; six entries a minute apart, by three names (one with a %)."""
    maria = await add_member(storage, "Maria", "U1")
    async with storage.unit_of_work() as uow:
        first = await uow.resources.add(suggestion("a", "A"), maria, NOW)
        second = await uow.resources.add(suggestion("b", "B"), maria, NOW)
        assert first is not None and second is not None
        rows = [
            (first.id, A.SUGGESTED, "Maria López"),
            (first.id, A.EDITED, "Dana Reyes"),
            (first.id, A.APPROVED, "Dana Reyes"),
            (second.id, A.SUGGESTED, "Maria López"),
            (second.id, A.REJECTED, "100% Admin"),
            (second.id, A.RETIRED, "100% Admin"),
        ]
        for minute, (resource, action, name) in enumerate(rows):
            at = NOW + timedelta(minutes=minute)
            await uow.resource_audit.record(AuditEntry(resource, action, None, name, at))
        await uow.commit()
    return [first.id, second.id]


async def found(storage: Storage, wanted: AuditFilter, limit: int = 25) -> list[tuple[int, str]]:
    async with storage.unit_of_work() as uow:
        entries = await uow.resource_audit.search(wanted, limit=limit)
    return [(e.resource_id, e.action.value) for e in entries]


async def test_each_filter_and_their_combination(storage: Storage) -> None:
    first, second = await trail(storage)
    everything = await found(storage, AuditFilter())
    assert everything[0] == (second, "retired") and len(everything) == 6  # newest first
    assert await found(storage, AuditFilter(), limit=2) == everything[:2]
    assert await found(storage, AuditFilter(resource_id=first)) == [
        (first, "approved"),
        (first, "edited"),
        (first, "suggested"),
    ]
    suggestions = AuditFilter(actions=frozenset({A.SUGGESTED}))
    assert await found(storage, suggestions) == [(second, "suggested"), (first, "suggested")]
    assert len(await found(storage, AuditFilter(by_name="maria lópez"))) == 2
    assert await found(storage, AuditFilter(by_name="REYES", resource_id=second)) == []
    # % and _ are characters: "0%" finds "100% Admin" only, "%" alone no other name.
    assert len(await found(storage, AuditFilter(by_name="0% a"))) == 2
    assert len(await found(storage, AuditFilter(by_name="%"))) == 2
    assert await found(storage, AuditFilter(by_name="_")) == []
    # From `since` (included) to `until` (left out).
    window = AuditFilter(since=NOW + timedelta(minutes=1), until=NOW + timedelta(minutes=3))
    assert await found(storage, window) == [(first, "approved"), (first, "edited")]
