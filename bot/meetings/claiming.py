"""Claiming what is due, once across every instance, before anything is posted.

The deliveries not claimed yet are claimed together, with one INSERT ... ON CONFLICT
DO NOTHING RETURNING on a unique key (bot/meetings/model.py `DeliveryKey`), and the
claims are committed before any post: a second replica or a restarted process finds
the claim and posts nothing.
Claims taken again (`take_retries`) are failed posts whose retry time came and
claims left unfinished (a crash, a lost connection) for `claim_timeout_seconds`,
whoever made them, this instance included.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from bot.config import Config
from bot.discussions.model import OccurrenceDiscussion
from bot.meetings.direct import DmClaim, claimed_dms, dm_account, dm_claim
from bot.meetings.due import LATE_AFTER, LOOKBACK, Due, all_due, claim_start, meetings_between
from bot.meetings.jobs import Job, SweepReport, message_for, rebuild
from bot.meetings.model import (
    BrokenMeeting,
    Delivery,
    DeliveryKey,
    DeliveryKind,
    DeliveryTarget,
    NewClaim,
)
from bot.meetings.ports import Attendee
from bot.messages import Destination, Message, ToChannel, ToMember
from bot.ports import UnitOfWork

log = logging.getLogger(__name__)


class Place(NamedTuple):
    """One post of a due delivery: where, under which claim, read in which language."""

    platform: str
    target: DeliveryTarget
    to: Destination
    language: str
    zone: str  # the reader's zone ("" for a channel)


@dataclass(frozen=True, slots=True)
class Known:
    """What one sweep reads once about everything due, before it claims."""

    existing: set[DeliveryKey]
    dms: set[DmClaim]
    announced: set[tuple[int, DeliveryTarget]]
    going: dict[tuple[int, date], list[Attendee]]
    discussions: dict[tuple[int, date], OccurrenceDiscussion]

    def claimed(self, due: Due, key: DeliveryKey) -> bool:
        # DMs claimed under the key of before 0009 ("slack:@5") count as claimed, and so
        # do announcements keyed by their occurrence's start then (one per meeting now).
        if key in self.existing or dm_claim(key) in self.dms:
            return True
        return (
            due.kind is DeliveryKind.ANNOUNCEMENT and (key.meeting_id, key.target) in self.announced
        )


async def _read_known(uow: UnitOfWork, dues: Sequence[Due]) -> Known:
    starts = [claim_start(d) for d in dues]
    existing = await uow.deliveries.existing(
        sorted({d.meeting.id for d in dues}), min(starts), max(starts) + timedelta(microseconds=1)
    )
    announced = await uow.deliveries.announced(
        sorted({d.meeting.id for d in dues if d.kind is DeliveryKind.ANNOUNCEMENT})
    )
    reminded = {(d.meeting.id, d.occurrence.key) for d in dues if d.kind is DeliveryKind.REMINDER}
    going = await uow.rsvps.going_to(sorted(reminded))
    # The occurrences' discussions, linked from the cards: one query for the sweep.
    discussions = await uow.discussions.occurrence_discussions(
        sorted({(d.meeting.id, d.occurrence.key) for d in dues})
    )
    return Known(existing, claimed_dms(existing), announced, going, discussions)


def places(
    config: Config, due: Due, platforms: Sequence[str], going: Sequence[Attendee]
) -> list[Place]:
    """Each post of a due delivery: the channel on every platform, and one DM per
    person who said Going (unless they turned reminder DMs off)."""
    language = config.coalition.language
    channel = ToChannel(due.meeting.channel)
    found = [Place(p, DeliveryTarget.channel(p), channel, language, "") for p in platforms]
    if due.kind is not DeliveryKind.REMINDER:
        return found
    for person in going:
        if not person.dm_reminders:
            continue
        account = dm_account(
            person.identities, platforms, chosen=person.dm_platform, last_used=person.last_used
        )
        if account is not None:
            target = DeliveryTarget.dm(person.member_id)
            to = ToMember((account,))
            found.append(Place(account.platform, target, to, person.language, person.timezone))
    return found


@dataclass(frozen=True, slots=True)
class Wanted:
    """A claim to make, and the post it leads to if this instance makes it."""

    claim: NewClaim
    due: Due
    place: Place
    message: Message | None  # None: recorded as skipped, never posted


async def claim_due(
    uow: UnitOfWork,
    config: Config,
    platforms: Sequence[str],
    *,
    owner: str,
    now: datetime,
    report: SweepReport,
) -> list[Job]:
    """Claim everything due now and not claimed yet; the claims are committed here."""
    since, until = now - LOOKBACK, now + timedelta(microseconds=1)  # due this instant is due
    meetings, changes = await meetings_between(uow, since, until)
    dues = all_due(meetings, changes, since, until, config)
    if not dues:
        return []
    known = await _read_known(uow, dues)
    wanted: dict[DeliveryKey, Wanted] = {}
    for due in dues:
        for found in await _wanted(uow, config, known, due, platforms, now):
            wanted.setdefault(found.claim.key, found)
    # One statement (a few for a large sweep) claims them all; only the rows it
    # inserted are this instance's, and they are committed before anything is posted.
    won = await uow.deliveries.claim_many([w.claim for w in wanted.values()], owner=owner, at=now)
    await uow.commit()
    jobs = (_job(w, won.get(key), report, config, now) for key, w in wanted.items())
    return [job for job in jobs if job is not None]


async def _wanted(
    uow: UnitOfWork,
    config: Config,
    known: Known,
    due: Due,
    platforms: Sequence[str],
    now: datetime,
) -> list[Wanted]:
    """The claims a due delivery still needs, one per place, with their messages."""
    attendees = known.going.get((due.meeting.id, due.occurrence.key), [])
    found: list[Wanted] = []
    for place in places(config, due, platforms, attendees):
        key = DeliveryKey(due.meeting.id, claim_start(due), due.kind, due.offset, place.target)
        if known.claimed(due, key):
            continue
        if now - due.due_at > timedelta(minutes=config.meetings.grace_minutes):
            found.append(Wanted(_new(due, key, skipped=True), due, place, None))
            continue
        late = now - due.due_at > LATE_AFTER
        message = await _message(uow, known, due, place, key, late)
        if message is not None:  # a meeting whose card cannot be drawn claims nothing
            found.append(Wanted(_new(due, key, late=late), due, place, message))
    return found


def _new(due: Due, key: DeliveryKey, *, late: bool = False, skipped: bool = False) -> NewClaim:
    return NewClaim(key, due.occurrence.key, due.due_at, late=late, skipped=skipped)


async def _message(
    uow: UnitOfWork, known: Known, due: Due, place: Place, key: DeliveryKey, late: bool
) -> Message | None:
    counts = (
        await uow.rsvps.counts(due.meeting.id, due.occurrence.key)
        if due.kind is DeliveryKind.ANNOUNCEMENT
        else {}
    )
    discussion = known.discussions.get((due.meeting.id, due.occurrence.key))
    try:
        return message_for(
            key, late, place.platform, due.meeting, due.occurrence, place.language, counts,
            discussion, place.zone,
        )  # fmt: skip
    except Exception:
        log.exception(
            "skipping meeting %s: its message cannot be written",
            due.meeting.id,
            extra={"delivery_key": key.token},
        )
        return None


def _job(
    wanted: Wanted, delivery: Delivery | None, report: SweepReport, config: Config, now: datetime
) -> Job | None:
    """The post of a claim this instance made; None for a skipped one or another's."""
    if delivery is None:
        return None  # another instance claimed it a moment ago
    due, key = wanted.due, delivery.key
    if wanted.message is None:
        report.skipped += 1
        log.warning(
            "skipped %s for meeting %s at %s on %s: due %s, %s late "
            "(more than the %s grace period)",
            due.kind.value,
            due.meeting.id,
            due.occurrence.start.isoformat(),
            key.target,
            due.due_at.isoformat(),
            now - due.due_at,
            timedelta(minutes=config.meetings.grace_minutes),
            extra={"delivery_key": key.token},
        )
        return None
    report.claimed += 1
    report.late += delivery.late
    log.debug(
        "claimed %s for meeting %s on %s",
        key.kind.value,
        key.meeting_id,
        key.target,
        extra={"delivery_key": key.token},
    )
    place = wanted.place
    return Job(delivery, due.meeting, due.occurrence, place.to, place.platform, wanted.message)


async def take_retries(
    uow: UnitOfWork,
    config: Config,
    platforms: list[str],
    *,
    owner: str,
    now: datetime,
    keep: Collection[int] = (),
) -> list[Job]:
    """Take over failed posts whose time came and claims left unfinished, and build
    their posts again; the takeovers are committed here. `keep`: claims of this
    instance whose outcome is known but not written yet (never taken again)."""
    stale = now - timedelta(seconds=config.meetings.claim_timeout_seconds)
    grace = timedelta(minutes=config.meetings.grace_minutes)
    jobs: list[Job] = []
    for delivery in await uow.deliveries.retryable(now, owner, stale, keep=keep):
        reason = ""
        if now - delivery.due_at > grace and delivery.key.kind is DeliveryKind.REMINDER:
            reason = "too late after downtime"  # left by a crash, found too late to help
        else:
            try:
                job = await _rebuilt(uow, config, platforms, delivery)
            except BrokenMeeting:  # a broken meeting row: this delivery only is given up
                log.exception(
                    "cannot rebuild the post of meeting %s",
                    delivery.key.meeting_id,
                    extra={"delivery_key": delivery.key.token},
                )
                job, reason = None, "the meeting's dates cannot be worked out"
            if job is not None:
                log.debug(
                    "took again %s for meeting %s on %s (attempt %d)",
                    delivery.key.kind.value,
                    delivery.key.meeting_id,
                    delivery.key.target,
                    delivery.attempts,
                    extra={"delivery_key": delivery.key.token},
                )
                jobs.append(job)
                continue
            reason = reason or "the occurrence, meeting or member is gone"
        log.warning(
            "gave up %s for meeting %s on %s (due %s): %s",
            delivery.key.kind.value,
            delivery.key.meeting_id,
            delivery.key.target,
            delivery.due_at.isoformat(),
            reason,
            extra={"delivery_key": delivery.key.token},
        )
        await uow.deliveries.failed(delivery.id, reason, retry_at=None, at=now)
    await uow.commit()
    return jobs


async def _rebuilt(
    uow: UnitOfWork, config: Config, platforms: list[str], delivery: Delivery
) -> Job | None:
    meeting = await uow.meetings.get(delivery.key.meeting_id)
    return None if meeting is None else await rebuild(uow, config, platforms, delivery, meeting)
