"""Meeting storage on SQLite and PostgreSQL: the unique claim, answers, takeovers, bounds."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text

from bot.identity import Identity
from bot.meetings.model import (
    Answer,
    Delivery,
    DeliveryKey,
    DeliveryKind,
    DeliveryTarget,
    Meeting,
    NewClaim,
    OccurrenceChange,
)
from bot.meetings.ports import SentMark
from bot.membership.model import Profile
from bot.ports import PostedMessage
from storage import Storage
from storage import deliveries as storage_deliveries
from storage.schema import DeliveryRow

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
START = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)


async def seed(storage: Storage) -> tuple[int, int]:
    async with storage.unit_of_work() as uow:
        member = await uow.members.add(
            Profile("Maria", "Alameda PH"),
            Identity("console", "local", "maria"),
            pending=False,
            at=NOW,
        )
        meeting = await uow.meetings.add(
            Meeting(
                0,
                "Office hours",
                datetime(2026, 3, 5, 9, 0),
                "America/Los_Angeles",
                60,
                "announcements",
                rule="FREQ=WEEKLY;COUNT=3",
                reminders=(30,),
                created_by=member.id,
            ),
            at=NOW,
        )
        await uow.commit()
    return member.id, meeting.id


def key(meeting_id: int, target: str = "console:#") -> DeliveryKey:
    return DeliveryKey(meeting_id, START, DeliveryKind.REMINDER, 15, DeliveryTarget.parse(target))


async def test_a_claim_is_won_once_even_by_concurrent_claimers(storage: Storage) -> None:
    _, meeting_id = await seed(storage)

    async def claim(owner: str) -> bool:
        async with storage.unit_of_work() as uow:
            won = await uow.deliveries.claim(
                key(meeting_id), date(2026, 3, 5), due_at=START, owner=owner, at=NOW
            )
            await uow.commit()
            return won is not None

    results = await asyncio.gather(*(claim(f"i{n}") for n in range(6)))
    assert results.count(True) == 1
    async with storage.unit_of_work() as uow:
        existing = await uow.deliveries.existing([meeting_id], START, START + timedelta(seconds=1))
        assert existing == {key(meeting_id)}
        other = await uow.deliveries.claim(
            key(meeting_id, "slack:#"), date(2026, 3, 5), due_at=START, owner="x", at=NOW
        )
        assert other is not None  # another platform is another delivery


async def test_two_instances_claiming_one_batch_at_once_each_get_every_delivery_once(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, meeting_id = await seed(storage)
    monkeypatch.setattr(storage_deliveries, "CLAIM_CHUNK", 7)  # a few statements each
    keys = [key(meeting_id)] + [key(meeting_id, f"console:@{n}") for n in range(30)]

    async def claim(owner: str, order: list[DeliveryKey]) -> dict[DeliveryKey, Delivery]:
        async with storage.unit_of_work() as uow:
            wanted = [NewClaim(k, date(2026, 3, 5), START, late=True) for k in order]
            won = await uow.deliveries.claim_many(wanted, owner=owner, at=NOW)
            await uow.commit()
            return won

    one, two = await asyncio.gather(claim("one", keys), claim("two", keys[::-1]))
    assert set(one).isdisjoint(two) and set(one) | set(two) == set(keys)
    assert all(d.key == k and d.late and d.attempts == 1 for k, d in (one | two).items())
    async with storage.engine.connect() as connection:
        rows = await connection.execute(text("SELECT id, owner FROM meeting_deliveries"))
        owners = {row[0]: row[1] for row in rows}
    assert owners == {d.id: "one" for d in one.values()} | {d.id: "two" for d in two.values()}


async def test_failed_claims_are_retaken_once_and_sent_ones_remembered(storage: Storage) -> None:
    _, meeting_id = await seed(storage)
    async with storage.unit_of_work() as uow:
        claimed = await uow.deliveries.claim(
            key(meeting_id), date(2026, 3, 5), due_at=START, owner="a", at=NOW
        )
        assert claimed is not None
        await uow.deliveries.failed(
            claimed.id, "boom", retry_at=NOW + timedelta(seconds=30), at=NOW
        )
        await uow.commit()
    later = NOW + timedelta(seconds=30)
    async with storage.unit_of_work() as uow:
        assert await uow.deliveries.retryable(NOW, "b", NOW) == []
        (taken,) = await uow.deliveries.retryable(later, "b", later)
        assert taken.attempts == 2
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.deliveries.retryable(later, "c", later) == []  # b holds it now
        ref = PostedMessage("console", "#announcements", "7")
        await uow.deliveries.sent(taken.id, [ref], at=later)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        # Only announcements are listed for editing; this was a reminder.
        assert await uow.deliveries.announcements(meeting_id) == []
        found = await uow.deliveries.get(taken.id)
        assert found is not None and found.status == "sent"


async def test_one_answer_per_member_per_occurrence(storage: Storage) -> None:
    member_id, meeting_id = await seed(storage)
    day = date(2026, 3, 5)
    async with storage.unit_of_work() as uow:
        assert await uow.rsvps.answer(meeting_id, day, member_id, Answer.GOING, at=NOW) is None
        previous = await uow.rsvps.answer(meeting_id, day, member_id, Answer.MAYBE, at=NOW)
        assert previous is Answer.GOING
        await uow.commit()
    async with storage.unit_of_work() as uow:
        counts = await uow.rsvps.counts(meeting_id, day)
        assert counts[Answer.MAYBE] == 1 and counts[Answer.GOING] == 0
        (person,) = await uow.rsvps.attendees(meeting_id, day)
        assert person.name == "Maria" and person.dm_reminders
        assert await uow.rsvps.attendees(meeting_id, day, [Answer.GOING]) == []


async def test_active_meetings_respect_series_bounds_and_moves(storage: Storage) -> None:
    _, meeting_id = await seed(storage)  # three weekly occurrences: Mar 5, 12, 19
    async with storage.unit_of_work() as uow:
        assert [m.id for m in await uow.meetings.active(NOW, NOW + timedelta(days=30))] == [
            meeting_id
        ]
        assert await uow.meetings.active(NOW + timedelta(days=30), NOW + timedelta(days=40)) == []
        moved = OccurrenceChange(date(2026, 3, 19), start=datetime(2026, 4, 9, 16, tzinfo=UTC))
        await uow.meetings.change_occurrence(meeting_id, moved, at=NOW)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        found = await uow.meetings.active(NOW + timedelta(days=30), NOW + timedelta(days=40))
        assert [m.id for m in found] == [meeting_id]
        changes = await uow.meetings.changes([meeting_id])
        assert changes[meeting_id][date(2026, 3, 19)] == moved
        meeting = await uow.meetings.get(meeting_id)
        assert meeting is not None and meeting.reminders == (30,) and meeting.start.hour == 9


async def test_refresh_requests_are_cleared_only_if_not_renewed(storage: Storage) -> None:
    _, meeting_id = await seed(storage)
    async with storage.unit_of_work() as uow:
        await uow.meetings.request_refresh(meeting_id, at=NOW)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        ((found_id, requested),) = await uow.meetings.refresh_wanted()
        await uow.meetings.request_refresh(meeting_id, at=NOW + timedelta(seconds=1))
        await uow.meetings.refreshed(found_id, requested)  # a newer request stays
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert len(await uow.meetings.refresh_wanted()) == 1


async def test_stale_claims_of_any_owner_are_retaken_except_those_kept(storage: Storage) -> None:
    _, meeting_id = await seed(storage)
    async with storage.unit_of_work() as uow:
        mine = await uow.deliveries.claim(
            key(meeting_id), date(2026, 3, 5), due_at=START, owner="a", at=NOW
        )
        kept = await uow.deliveries.claim(
            key(meeting_id, "@1"), date(2026, 3, 5), due_at=START, owner="a", at=NOW
        )
        assert mine is not None and kept is not None
        await uow.commit()
    later = NOW + timedelta(minutes=3)
    async with storage.unit_of_work() as uow:
        assert await uow.deliveries.retryable(later, "a", NOW, keep={kept.id}) == []  # fresh
        # Its own claims too, once stale; not one whose outcome it still holds.
        (taken,) = await uow.deliveries.retryable(later, "a", later, keep={kept.id})
        assert taken.id == mine.id and taken.attempts == 2
        assert taken.key.target == DeliveryTarget.channel("console")
        await uow.commit()


async def claims(storage: Storage, meeting_id: int, owners: dict[str, str]) -> dict[str, int]:
    """One claim a target, made at NOW by the owner given: their ids by target."""
    wanted = {
        target: NewClaim(key(meeting_id, target), date(2026, 3, 5), START) for target in owners
    }
    found: dict[str, int] = {}
    async with storage.unit_of_work() as uow:
        for target, owner in owners.items():
            won = await uow.deliveries.claim_many([wanted[target]], owner=owner, at=NOW)
            found[target] = won[wanted[target].key].id
        await uow.commit()
    return found


async def test_sent_marks_of_a_batch_are_written_with_their_refs_and_instants(
    storage: Storage,
) -> None:
    _, meeting_id = await seed(storage)
    ids = await claims(storage, meeting_id, {"console:#": "a", "@1": "a", "@2": "a"})
    first, second = NOW + timedelta(seconds=1), NOW + timedelta(seconds=2)
    refs = [PostedMessage("console", "#announcements", "7"), PostedMessage("slack", "C1", "8")]
    async with storage.unit_of_work() as uow:
        await uow.deliveries.sent_many(
            [SentMark(ids["console:#"], refs, first), SentMark(ids["@1"], [], second)]
        )
        await uow.deliveries.sent_many([])  # nothing to write: no statement
        await uow.commit()
    async with storage.engine.connect() as connection:
        columns = (DeliveryRow.id, DeliveryRow.status, DeliveryRow.sent_at, DeliveryRow.posted)
        rows = await connection.execute(select(*columns))
        found = {row[0]: (row[1], row[2], row[3]) for row in rows}
    assert found[ids["@2"]] == ("claimed", None, None)  # not in the batch: untouched
    status, sent_at, posted = found[ids["console:#"]]
    assert status == "sent" and posted is not None
    assert [PostedMessage(**p) for p in json.loads(posted)] == refs
    assert sent_at == first
    status, sent_at, posted = found[ids["@1"]]
    assert (status, sent_at, posted) == ("sent", second, "[]")


async def test_a_refresh_moves_on_only_the_owners_claims_still_claimed(storage: Storage) -> None:
    _, meeting_id = await seed(storage)
    ids = await claims(storage, meeting_id, {"console:#": "a", "@1": "a", "@2": "b"})
    later = NOW + timedelta(minutes=3)
    async with storage.unit_of_work() as uow:
        await uow.deliveries.sent(ids["@1"], [], at=NOW)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.deliveries.refresh(list(ids.values()), owner="a", at=later) == 1
        await uow.commit()
    async with storage.unit_of_work() as uow:
        # Claims made before NOW + 1 s are stale: only the refreshed one is not.
        stale = NOW + timedelta(seconds=1)
        taken = await uow.deliveries.retryable(later, "c", stale)
        assert sorted(d.id for d in taken) == [ids["@2"]]
        await uow.commit()
