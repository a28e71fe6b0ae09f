"""Matching rounds: timed work the scheduler runs at each round's instant.

A round is taken by inserting its row (unique by instant) in the same transaction
that stores its groups: one replica, once, even across restarts. Introductions
and check-ins follow, each taken on its own (bot/matching/introduce.py). Every
sweep also runs `run_due`, the safety net for an instant missed while down (up to
`[matching] grace_hours` late).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.delivery import Services
from bot.matching.introduce import ask_checkin, introduce, stale_before
from bot.matching.model import OptIn, folded
from bot.matching.pairing import pair
from bot.matching.schedule import instants_between, latest_instant
from bot.matching.scoring import Candidate, Role, Wish
from bot.members import Member
from bot.ports import UnitOfWork
from bot.timezones import to_local

log = logging.getLogger(__name__)


def _wish(value: str) -> Wish:
    return "same" if value == "same" else "other" if value == "other" else "any"


def _role(value: str) -> Role:
    return "mentor" if value == "mentor" else "mentee" if value == "mentee" else ""


def candidate(member: Member, opt_in: OptIn) -> Candidate:
    wishes = opt_in.preferences
    profile = member.profile
    # The topics they chose, else every interest of their profile.
    topics = wishes.topics or profile.interests
    return Candidate(
        member_id=member.id,
        organization=folded(profile.organization),
        region=folded(profile.region),
        discipline=folded(profile.discipline),
        interests=frozenset(folded(t) for t in topics),
        region_wish=_wish(wishes.region),
        discipline_wish=_wish(wishes.discipline),
        role=_role(wishes.role),
        same_organization_ok=wishes.same_organization,
    )


async def _pair_round(uow: UnitOfWork, services: Services, due: datetime, now: datetime) -> int:
    """Take the round of `due` and store its groups; how many groups (-1: taken already,
    or fewer than two members to match: no round is recorded, so stats list only rounds
    that introduced someone, and a member joining within the grace time still gets one)."""
    settings = services.config.matching
    day = to_local(due, services.config.coalition.timezone).date()
    candidates = [
        candidate(member, opt_in)
        for opt_in, member in await uow.matching.opted_in_members()
        if opt_in.active_on(day)
    ]
    if len(candidates) < 2:
        return -1
    round_id = await uow.matching.claim_round(due, services.instance, now)
    if round_id is None:
        return -1
    # The new round has no places yet: one more round back covers the last N.
    recent = await uow.matching.recent_pairs(settings.avoid_rounds + 1)
    groups = pair(candidates, recent, seed=round_id)
    await uow.matching.place(round_id, groups)
    log.info("matching round %s at %s: %d groups", round_id, due.isoformat(), len(groups))
    return len(groups)


class MatchingRounds:
    def __init__(self, services: Services) -> None:
        self.services = services

    async def run_due(self) -> int:
        """Hold the round that is due, then send what is owed; groups paired by this call."""
        services = self.services
        settings = services.config.matching
        now = services.clock.now()
        paired = 0
        due = latest_instant(settings, services.config.coalition.timezone, now)
        if (
            settings.enabled
            and due is not None
            and now - due <= timedelta(hours=settings.grace_hours)
        ):
            async with services.unit_of_work() as uow:
                if not await uow.matching.has_round(due):
                    paired = max(await _pair_round(uow, services, due, now), 0)
                    await uow.commit()
        await self.send_owed()
        return paired

    async def send_owed(self) -> None:
        services = self.services
        now = services.clock.now()
        stale = stale_before(services)
        async with services.unit_of_work() as uow:
            groups = await uow.matching.unintroduced(stale)
            asks = await uow.matching.checkins_due(
                now - timedelta(days=services.config.matching.checkin_days), stale
            )
        for round_id, group in groups:
            await introduce(services, round_id, group)
        for round_id, member_id in asks:
            await ask_checkin(services, round_id, member_id)

    async def next_due(self, until: datetime) -> list[datetime]:
        """Round instants and check-in instants in (now, until]."""
        services = self.services
        settings = services.config.matching
        now = services.clock.now()
        found: set[datetime] = set()
        if settings.enabled:
            zone = services.config.coalition.timezone
            found.update(instants_between(settings, zone, now, until))
        wait = timedelta(days=settings.checkin_days)
        async with services.unit_of_work() as uow:
            held = await uow.matching.round_instants(now - wait)
        found.update(at + wait for at in held if now < at + wait <= until)
        return sorted(found)
