"""Introductions and check-ins, sent after their claim is committed.

Each is taken once (storage's conditional updates) before anything is posted, so
two replicas never send the same introduction or check-in twice; a post that
fails after its claim is logged and not sent again (at most once: an
introduction twice would be worse than one lost, and the check-in says so).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.delivery import Services
from bot.i18n import translator
from bot.identity import Identity
from bot.matching.cards import checkin, introduction
from bot.members import Member, MemberStatus
from bot.messages import ToMember

log = logging.getLogger(__name__)


def account_of(member: Member, platforms: Sequence[str]) -> Identity | None:
    """The account a member is written to: on a connected platform, the one their
    profile chose for DMs, else the one they last used, else their first."""
    reachable = [i for i in member.identities if i.platform in platforms]
    if not reachable:
        return None
    chosen = [i for i in reachable if i.platform == member.profile.dm_platform]
    if member.last_used in (chosen or reachable):
        return member.last_used
    return (chosen or reachable)[0]


async def _members(services: Services, ids: Sequence[int]) -> list[Member]:
    async with services.unit_of_work() as uow:
        found = [await uow.members.get(i) for i in ids]
    return [m for m in found if m is not None and m.status is MemberStatus.ACTIVE]


async def introduce(services: Services, round_id: int, group: int) -> bool:
    """Take the group's introduction and send it; False if another took it."""
    now = services.clock.now()
    async with services.unit_of_work() as uow:
        ids = await uow.matching.claim_introduction(round_id, group, now)
        await uow.commit()
    if not ids:
        return False
    broadcaster = services.broadcaster
    reached = [
        (m, a)
        for m in await _members(services, ids)
        if (a := account_of(m, broadcaster.platforms)) is not None
    ]
    if len(reached) < 2:
        log.warning("matching round %s group %s: fewer than two members reachable", round_id, group)
        return True
    seed = round_id * 1000 + group
    platforms = {a.platform for _, a in reached}
    try:
        if len(platforms) == 1 and broadcaster.can_group(next(iter(platforms))):
            # One conversation for the group (Slack), with the introduction once in each
            # of their languages (the coalition's first), so each reads it in their own.
            coalition = services.config.coalition.language
            languages = sorted(
                {m.profile.language for m, _ in reached}, key=lambda code: (code != coalition, code)
            )
            for language in languages:
                message = introduction(translator(language), reached, reader=None, seed=seed)
                accounts = [a for _, a in reached]
                await broadcaster.send_to_group(next(iter(platforms)), accounts, message)
            return True
        # Discord (bots cannot make group DMs), the terminal, or people on different
        # platforms: each is written to on their own, naming the others.
        for member, account in reached:
            tr = translator(member.profile.language)
            message = introduction(tr, reached, reader=account, seed=seed)
            await broadcaster.send(account.platform, ToMember((account,)), message)
    except Exception:
        log.exception("matching round %s group %s: introduction not sent", round_id, group)
    return True


async def ask_checkin(services: Services, round_id: int, member_id: int) -> bool:
    """Take a member's "Did you meet?" and send it; False if another took it."""
    now = services.clock.now()
    async with services.unit_of_work() as uow:
        if not await uow.matching.claim_checkin(round_id, member_id, now):
            return False
        group = await uow.matching.group_of(round_id, member_id)
        await uow.commit()
    members = await _members(services, group)
    me = next((m for m in members if m.id == member_id), None)
    account = None if me is None else account_of(me, services.broadcaster.platforms)
    if me is None or account is None:
        return True
    others = [m for m in members if m.id != member_id]
    message = checkin(translator(me.profile.language), round_id, others)
    try:
        await services.broadcaster.send(account.platform, ToMember((account,)), message)
    except Exception:
        log.exception("matching round %s: check-in of member %s not sent", round_id, member_id)
    return True
