"""Invitations on both databases: import, re-import, use, and the privacy purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.config import Config, Roster
from bot.delivery import Broadcaster, Services
from bot.roster.expiry import forget_unused_invitations
from bot.roster.importing import Outcome, apply_import, plan_import
from bot.roster.model import InvitationStatus, RosterEntry
from storage import Storage

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
ANA = RosterEntry("Ana Ruiz", "ana@example.org", "County", "Policy", "West", "Alameda")
BO = RosterEntry("Bo Diaz", "bo@example.org", "City", "Nursing", "Midwest", "")


async def _import(storage: Storage, entries: list[RosterEntry], at: datetime) -> list[Outcome]:
    async with storage.unit_of_work() as uow:
        planned = await plan_import(uow.invitations, list(enumerate(entries, start=2)))
        await apply_import(uow.invitations, planned, at=at)
        await uow.commit()
    return [p.outcome for p in planned]


async def test_reimport_is_keyed_by_email_and_a_used_invitation_stays_as_it_was(
    storage: Storage,
) -> None:
    assert await _import(storage, [ANA, BO], NOW) == [Outcome.NEW, Outcome.NEW]
    moved = RosterEntry("Ana Ruiz", "ana@example.org", "State", "Policy", "West", "")
    assert await _import(storage, [moved, BO], NOW) == [Outcome.UPDATED, Outcome.UNCHANGED]
    async with storage.unit_of_work() as uow:
        found = await uow.invitations.by_emails(["ana@example.org", "bo@example.org"])
        assert found["ana@example.org"].entry == moved
        bo = found["bo@example.org"]
        assert await uow.invitations.mark_used(bo.id, 7, at=NOW)
        assert not await uow.invitations.mark_used(bo.id, 8, at=NOW)  # once only
        await uow.commit()
    changed_bo = RosterEntry("Bo Diaz", "bo@example.org", "Elsewhere", "Nursing", "West", "")
    assert await _import(storage, [changed_bo], NOW) == [Outcome.JOINED]
    async with storage.unit_of_work() as uow:
        again = await uow.invitations.by_code(bo.code)
        assert again is not None and again.entry == BO
        assert again.status is InvitationStatus.USED
        assert [i.entry.email for i in await uow.invitations.pending()] == ["ana@example.org"]


async def test_unused_invitations_are_forgotten_after_the_configured_time(
    storage: Storage,
) -> None:
    await _import(storage, [ANA], NOW - timedelta(days=31))
    await _import(storage, [BO], NOW - timedelta(days=29))
    config = Config(roster=Roster(keep_unused_days=30))
    services = Services(storage.unit_of_work, Broadcaster(), ManualClock(NOW), config)
    assert await forget_unused_invitations(services) == 1
    async with storage.unit_of_work() as uow:
        assert [i.entry.email for i in await uow.invitations.pending()] == ["bo@example.org"]
