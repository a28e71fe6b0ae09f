"""Sending evaluations when occurrences end: timed work the scheduler runs.

At each end of an occurrence of a meeting with an evaluation (the scheduler plans a
job then, as for reminders and poll closes; each sweep is the safety net):

1. the occurrence is opened: a row with its window (answers taken until then) and
   its reminder instant; inserted once, whoever gets there first;
2. each member who said Going is claimed (a row committed before the DM) and sent
   the evaluation by DM, once; a claim left unsent by an instance that died is taken
   again after HOLD, and the platform is asked first whether it went out;
3. the public "Share your feedback" post goes to the meeting's channel, once;
4. at the reminder instant, those sent it who have not answered are reminded, once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.delivery import Services
from bot.evaluations.cards import dm, public_post
from bot.evaluations.model import Evaluation, Opened
from bot.i18n import translator
from bot.meetings.direct import dm_account
from bot.meetings.recurrence import occurrences
from bot.messages import ToChannel, ToMember

log = logging.getLogger(__name__)

# Only occurrences that ended this recently are opened: a restart after a long
# outage does not send evaluations of sessions long past.
LOOKBACK = timedelta(days=1)


def hold(services: Services) -> timedelta:
    """A claim not finished after this long was left by an instance that died."""
    return timedelta(seconds=services.config.meetings.claim_timeout_seconds)


async def _ended(
    services: Services, since: datetime, until: datetime
) -> list[tuple[Evaluation, Opened]]:
    """Occurrences of evaluated meetings ending in (since, until], after the evaluation began."""
    settings = services.config.evaluations
    found: list[tuple[Evaluation, Opened]] = []
    async with services.unit_of_work() as uow:
        evaluations = await uow.evaluations.active()
        meetings = {e.meeting_id: await uow.meetings.get(e.meeting_id) for e in evaluations}
        changes = await uow.meetings.changes(list(meetings)) if meetings else {}
    for evaluation in evaluations:
        meeting = meetings.get(evaluation.meeting_id)
        if meeting is None:
            continue
        length = timedelta(minutes=meeting.duration)
        try:
            ahead = occurrences(meeting, since - length, until, changes.get(meeting.id, {}))
        except Exception:  # one broken meeting row must not stop the others
            log.exception("skipping the evaluation of meeting %s", meeting.id)
            continue
        for occurrence in ahead:
            end = occurrence.end
            if since < end <= until and end > evaluation.created_at:
                opened = Opened(
                    evaluation.id,
                    occurrence.key,
                    end,
                    end + timedelta(days=settings.window_days),
                    end + timedelta(days=settings.reminder_days),
                )
                found.append((evaluation, opened))
    return found


async def open_ended(services: Services) -> int:
    """Open the occurrences that ended lately; how many this call opened."""
    now = services.clock.now()
    ended = await _ended(services, now - LOOKBACK, now)
    count = 0
    async with services.unit_of_work() as uow:
        for _, opened in ended:
            count += await uow.evaluations.open(opened)
        await uow.commit()
    return count


async def _deliver(
    services: Services,
    evaluation: Evaluation,
    opened: Opened,
    member_id: int,
    *,
    reminder: bool,
    again: bool,
) -> bool:
    async with services.unit_of_work() as uow:
        member = await uow.members.get(member_id)
    if member is None:
        return False
    account = dm_account(
        member.identities,
        services.broadcaster.platforms,
        chosen=member.profile.dm_platform,
        last_used=member.last_used,
    )
    if account is None:
        return False
    tr = translator(member.profile.language)
    zone = member.profile.timezone or services.config.coalition.timezone
    kind = "reminder" if reminder else "ask"
    key = f"evaluation:{opened.evaluation_id}:{opened.occurrence}:{member_id}:{kind}"
    message = dm(tr, evaluation, opened, zone, reminder=reminder)
    await services.broadcaster.send(
        account.platform, ToMember((account,)), message, key=key, recheck=again
    )
    return True


async def send_due(services: Services) -> int:
    """DM every recipient not reached yet of each open occurrence; how many DMs went."""
    now = services.clock.now()
    sent = 0
    async with services.unit_of_work() as uow:
        taking = await uow.evaluations.taking_answers(now)
    for opened in taking:
        async with services.unit_of_work() as uow:
            evaluation = await uow.evaluations.get(opened.evaluation_id)
            recipients = await uow.evaluations.recipients(opened.evaluation_id, opened.occurrence)
            claims = {
                member: await uow.evaluations.claim_send(
                    opened.evaluation_id,
                    opened.occurrence,
                    member,
                    owner=services.instance,
                    now=now,
                    hold=hold(services),
                )
                for member in recipients
            }
            await uow.commit()  # claimed before any DM: no other sweep sends these
        assert evaluation is not None
        for member, claim in claims.items():
            if not claim:
                continue
            try:
                reached = await _deliver(
                    services, evaluation, opened, member, reminder=False, again=claim == "again"
                )
            except Exception:  # left claimed and unsent: taken again after the hold
                log.exception("could not send evaluation %s to member %s", evaluation.id, member)
                continue
            async with services.unit_of_work() as uow:
                await uow.evaluations.sent(opened.evaluation_id, opened.occurrence, member, now)
                await uow.commit()
            sent += reached
        await _post(services, evaluation, opened)
    return sent


async def _post(services: Services, evaluation: Evaluation, opened: Opened) -> None:
    now = services.clock.now()
    async with services.unit_of_work() as uow:
        mine = await uow.evaluations.claim_post(
            opened.evaluation_id, opened.occurrence, now=now, hold=hold(services)
        )
        await uow.commit()
    if not mine:
        return
    coalition = services.config.coalition
    message = public_post(translator(coalition.language), evaluation, opened, coalition.timezone)
    for platform in services.broadcaster.platforms:
        try:
            await services.broadcaster.send(platform, ToChannel(evaluation.channel), message)
        except Exception:  # the DMs went; a missing channel post is logged, not retried
            log.exception("could not post evaluation %s on %s", evaluation.id, platform)
    async with services.unit_of_work() as uow:
        await uow.evaluations.posted(opened.evaluation_id, opened.occurrence, now)
        await uow.commit()


async def remind_due(services: Services) -> int:
    """The one reminder to each member sent an evaluation who has not answered."""
    now = services.clock.now()
    reminded = 0
    async with services.unit_of_work() as uow:
        taking = [o for o in await uow.evaluations.taking_answers(now) if o.remind_at <= now]
    for opened in taking:
        async with services.unit_of_work() as uow:
            evaluation = await uow.evaluations.get(opened.evaluation_id)
            members = await uow.evaluations.claim_reminders(
                opened, owner=services.instance, now=now, hold=hold(services)
            )
            await uow.commit()
        assert evaluation is not None
        for member in members:
            try:
                reached = await _deliver(
                    services, evaluation, opened, member, reminder=True, again=True
                )
            except Exception:
                log.exception("could not remind member %s of evaluation %s", member, evaluation.id)
                continue
            async with services.unit_of_work() as uow:
                await uow.evaluations.reminded(opened.evaluation_id, opened.occurrence, member, now)
                await uow.commit()
            reminded += reached
    return reminded


class EvaluationSending:
    """The scheduler's timed work: opens, sends, posts and reminds when due."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def run_due(self) -> int:
        """Everything due now; how many DMs (evaluations and reminders) went."""
        if not self.services.broadcaster.platforms:
            return 0  # nothing can be sent: claim nothing, so nothing is lost
        await open_ended(self.services)
        return await send_due(self.services) + await remind_due(self.services)

    async def next_due(self, until: datetime) -> list[datetime]:
        """Instants in (now, until] when an occurrence ends or a reminder is due."""
        now = self.services.clock.now()
        ends = {opened.ends_at for _, opened in await _ended(self.services, now, until)}
        async with self.services.unit_of_work() as uow:
            reminders = await uow.evaluations.instants_between(now, until)
        return sorted(ends | set(reminders))
