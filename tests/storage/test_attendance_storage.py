"""The attendance repository on SQLite and PostgreSQL: once per member, history, leaving."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from bot.attendance.importing import import_attendance
from bot.attendance.model import Source
from bot.attendance.reading import Participant
from storage import Storage
from tests.faults import ConnectionKiller
from tests.harness import Harness

DAY = date(2026, 3, 5)
AT = datetime(2026, 3, 5, 17, 5, tzinfo=UTC)


async def members_and_meeting(storage: Storage) -> dict[str, int]:
    harness = Harness(storage)
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "María López")
    await harness.join("lee", "Lee Park")
    await harness.say(
        "admin",
        'meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles repeat=weekly",
    )
    ids: dict[str, int] = {}
    async with storage.unit_of_work() as uow:
        for user in ("admin", "maria", "lee"):
            member = await uow.members.by_identity(harness.who(user))
            assert member is not None
            ids[user] = member.id
    return ids


async def test_marks_once_lists_in_name_order_and_unmarks(storage: Storage) -> None:
    ids = await members_and_meeting(storage)
    async with storage.unit_of_work() as uow:
        added = await uow.attendance.mark(1, DAY, [ids["maria"], ids["lee"]], Source.CHECKIN, AT)
        assert added == [ids["maria"], ids["lee"]]
        again = await uow.attendance.mark(
            1, DAY, [ids["lee"], ids["admin"]], Source.COORDINATOR, AT
        )
        assert again == [ids["admin"]]
        await uow.commit()
    async with storage.unit_of_work() as uow:
        present = await uow.attendance.present(1, DAY)
        assert [(p.name, p.source) for p in present] == [
            ("Dana Reyes", Source.COORDINATOR),
            ("Lee Park", Source.CHECKIN),
            ("María López", Source.CHECKIN),
        ]
        assert present[0].recorded_at == AT
        assert await uow.attendance.present(1, date(2026, 3, 12)) == []
        assert await uow.attendance.unmark(1, DAY, [ids["admin"], ids["admin"]]) == 1
        await uow.commit()
    async with storage.unit_of_work() as uow:
        history = await uow.attendance.history_of(ids["lee"])
        assert [(h.meeting_id, h.title, h.occurrence, h.source) for h in history] == [
            (1, "Office hours", DAY, Source.CHECKIN)
        ]
        await uow.attendance.forget_member(ids["lee"])
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert [p.name for p in await uow.attendance.present(1, DAY)] == ["María López"]
        assert await uow.attendance.history_of(ids["lee"]) == []


async def test_two_units_of_work_at_once_leave_one_row(storage: Storage) -> None:
    ids = await members_and_meeting(storage)

    async def click() -> list[int]:
        async with storage.unit_of_work() as uow:
            added = await uow.attendance.mark(1, DAY, [ids["maria"]], Source.CHECKIN, AT)
            await uow.commit()
            return added

    results = await asyncio.gather(*(click() for _ in range(6)))
    assert sorted(len(r) for r in results) == [0, 0, 0, 0, 0, 1]
    async with storage.unit_of_work() as uow:
        assert len(await uow.attendance.present(1, DAY)) == 1


async def test_candidates_are_active_members_with_their_invitation_email(
    storage: Storage,
) -> None:
    ids = await members_and_meeting(storage)
    async with storage.unit_of_work() as uow:
        candidates = await uow.attendance.candidates()
    assert [(c.member_id, c.name, c.name_key, c.email) for c in candidates] == [
        (ids["admin"], "Dana Reyes", "dana reyes", ""),
        (ids["maria"], "María López", "maria lopez", ""),
        (ids["lee"], "Lee Park", "lee park", ""),
    ]


async def test_an_import_that_fails_midway_leaves_nothing(storage: Storage) -> None:
    """The connection dies under the second row's insert: the first is not kept either."""
    await members_and_meeting(storage)
    rows = [Participant(2, "Maria Lopez", ""), Participant(3, "Lee Park", "")]
    killer = ConnectionKiller(storage.engine)
    try:
        killer.arm(2, matching="INSERT INTO attendance")
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises
            async with storage.unit_of_work() as uow:
                await import_attendance(uow, 1, "2026-03-05", rows, AT, dry_run=False)
                await uow.commit()
        assert killer.fired == 1
    finally:
        killer.remove()
    async with storage.unit_of_work() as uow:
        assert await uow.attendance.present(1, DAY) == []
        report = await import_attendance(uow, 1, "2026-03-05", rows, AT, dry_run=False)
        await uow.commit()
    assert report.added == 2
    async with storage.unit_of_work() as uow:
        assert len(await uow.attendance.present(1, DAY)) == 2
