"""Introductions and check-ins: each taken, then sent, then marked done.

The same pattern as reminders (docs/ARCHITECTURE.md, the scheduled path): a lease is
taken on the member's place row and committed before anything is posted, so two
replicas never send the same one at once; what was sent is marked done. A post that
failed, or whose instance died, is taken again once the lease is older than
`[meetings] claim_timeout_seconds` (the sweep's safety net), up to `max_attempts`,
then given up and logged. Every post carries a delivery key, so a platform that can tell
(Discord's nonce, Slack's metadata, in a DM or a group DM) does not post a retried
one twice: a crash between a post and its mark repeats nothing
(tests/scheduling/test_kill_matching.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.delivery import Services
from bot.i18n import translator
from bot.identity import Identity
from bot.matching.cards import checkin, introduction
from bot.members import Member, MemberStatus
from bot.messages import ToMember
from bot.platforms import Undeliverable

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


def stale_before(services: Services) -> datetime:
    """A lease taken before this instant was not finished: it is taken over."""
    timeout = services.config.meetings.claim_timeout_seconds
    return services.clock.now() - timedelta(seconds=timeout)


async def _members(services: Services, ids: Sequence[int]) -> list[Member]:
    async with services.unit_of_work() as uow:
        found = [await uow.members.get(i) for i in ids]
    return [m for m in found if m is not None and m.status is MemberStatus.ACTIVE]


async def introduce(services: Services, round_id: int, group: int) -> bool:
    """Take the group's introductions still owed, send them, mark them done; False if
    another instance has them."""
    now = services.clock.now()
    async with services.unit_of_work() as uow:
        claimed = await uow.matching.claim_introduction(
            round_id, group, now, stale_before(services)
        )
        whole = await uow.matching.group_of(round_id, claimed[0][0]) if claimed else []
        await uow.commit()
    if not claimed:
        return False
    pending = {member_id for member_id, _ in claimed}
    tries = max(t for _, t in claimed)
    done = await _send_introductions(services, round_id, group, whole, pending, tries)
    if tries >= services.config.meetings.max_attempts and done != pending:
        log.error(
            "matching round %s group %s: introduction given up after %d tries",
            round_id,
            group,
            tries,
        )
        done = pending
    async with services.unit_of_work() as uow:
        await uow.matching.introduced(round_id, sorted(done), services.clock.now())
        await uow.commit()
    return True


async def _send_introductions(
    services: Services,
    round_id: int,
    group: int,
    whole: Sequence[int],
    pending: set[int],
    tries: int,
) -> set[int]:
    """Those of `pending` whose introduction is done (sent, or nobody to send it to)."""
    broadcaster = services.broadcaster
    reached = [
        (m, a)
        for m in await _members(services, whole)
        if (a := account_of(m, broadcaster.platforms)) is not None
    ]
    if len(reached) < 2:
        log.warning("matching round %s group %s: fewer than two members reachable", round_id, group)
        return set(pending)
    done = pending - {m.id for m, _ in reached}  # unreachable: nothing to send
    seed = round_id * 1000 + group
    platforms = {a.platform for _, a in reached}
    platform = next(iter(platforms))
    if len(platforms) == 1 and broadcaster.can_group(platform):
        # One conversation for the group (Slack), with the introduction once in each
        # of their languages (the coalition's first), so each reads it in their own.
        coalition = services.config.coalition.language
        languages = sorted(
            {m.profile.language for m, _ in reached}, key=lambda code: (code != coalition, code)
        )
        try:
            for language in languages:
                message = introduction(translator(language), reached, reader=None, seed=seed)
                # One key per language: after a crash between posts, the recheck finds
                # the ones made and posts only the rest.
                await broadcaster.send_to_group(
                    platform,
                    [a for _, a in reached],
                    message,
                    key=f"match/{round_id}/group/{group}/intro/{language}",
                    recheck=tries > 1,
                )
        except Exception:
            log.exception("matching round %s group %s: group introduction failed", round_id, group)
            return done
        return set(pending)
    # Discord (bots cannot make group DMs), the terminal, or people on different
    # platforms: each is written to on their own, naming the others.
    for member, account in reached:
        if member.id not in pending:
            continue
        message = introduction(
            translator(member.profile.language), reached, reader=account, seed=seed
        )
        key = f"match/{round_id}/{member.id}/intro"
        try:
            await broadcaster.send(
                account.platform, ToMember((account,)), message, key=key, recheck=tries > 1
            )
        except Undeliverable:
            log.warning("matching round %s: member %s cannot get DMs", round_id, member.id)
        except Exception:
            log.exception(
                "matching round %s: introduction of member %s failed", round_id, member.id
            )
            continue
        done.add(member.id)
    return done


async def ask_checkin(services: Services, round_id: int, member_id: int) -> bool:
    """Take a member's "Did you meet?", send it, mark it done; False if another has it."""
    now = services.clock.now()
    async with services.unit_of_work() as uow:
        tries = await uow.matching.claim_checkin(round_id, member_id, now, stale_before(services))
        group = await uow.matching.group_of(round_id, member_id) if tries else []
        await uow.commit()
    if not tries:
        return False
    done = await _send_checkin(services, round_id, member_id, group, tries)
    if not done and tries >= services.config.meetings.max_attempts:
        log.error("matching round %s: check-in of member %s given up", round_id, member_id)
        done = True
    if done:
        async with services.unit_of_work() as uow:
            await uow.matching.asked(round_id, member_id, services.clock.now())
            await uow.commit()
    return True


async def _send_checkin(
    services: Services, round_id: int, member_id: int, group: Sequence[int], tries: int
) -> bool:
    members = await _members(services, group)
    me = next((m for m in members if m.id == member_id), None)
    account = None if me is None else account_of(me, services.broadcaster.platforms)
    if me is None or account is None:
        return True  # nobody to ask
    others = [m for m in members if m.id != member_id]
    message = checkin(translator(me.profile.language), round_id, others)
    key = f"match/{round_id}/{member_id}/checkin"
    try:
        await services.broadcaster.send(
            account.platform, ToMember((account,)), message, key=key, recheck=tries > 1
        )
    except Undeliverable:
        log.warning("matching round %s: member %s cannot get DMs", round_id, member_id)
    except Exception:
        log.exception("matching round %s: check-in of member %s failed", round_id, member_id)
        return False
    return True
