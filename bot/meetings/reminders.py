"""What is due, and delivering it exactly once.

The scheduler (adapters/scheduling.py) only decides *when* to look; this module
decides *what* is due, from the meetings in the database:

1. Every announcement and reminder due since a day ago is computed from the
   meetings, for every connected platform (the channel) and every member who
   answered Going (a direct message, unless they turned those off).
2. Each one not claimed yet is claimed with an INSERT on a unique key, and the
   claims are committed *before* anything is posted: a second replica or a
   restarted process finds the claim and posts nothing.
3. Claims are posted; a post that fails is recorded and retried with backoff,
   and only marked sent once it was.

Policy: a reminder up to `grace_minutes` late is still sent and marked late
(the bot was down); an older one is recorded as skipped and logged, so a
restart never floods a channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.clock import Clock
from bot.config import Config
from bot.delivery import Broadcaster
from bot.discussions.model import OccurrenceDiscussion
from bot.i18n import translator
from bot.meetings.announcements import announced_occurrence, announcement_edits
from bot.meetings.cards import announcement, reminder
from bot.meetings.direct import claimed_dms, dm_account, dm_member, dm_target
from bot.meetings.model import (
    Answer,
    Delivery,
    DeliveryKey,
    DeliveryKind,
    Meeting,
    Occurrence,
    OccurrenceChange,
)
from bot.meetings.ports import Attendee
from bot.meetings.recurrence import next_occurrence, occurrences
from bot.messages import Destination, Message, ToChannel, ToMember
from bot.ports import PostedMessage, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

# A reminder posted more than this after its time is marked late.
LATE_AFTER = timedelta(minutes=1)
# Missed deliveries older than this are not looked at any more (they were skipped).
LOOKBACK = timedelta(days=1)
# Posts made at once, across channels; within one channel they go in order.
PARALLEL_POSTS = 64


@dataclass(frozen=True, slots=True)
class Due:
    meeting: Meeting
    occurrence: Occurrence
    kind: DeliveryKind
    offset: int  # minutes before the start
    due_at: datetime


def offsets_for(meeting: Meeting, config: Config) -> tuple[int, ...]:
    """Minutes before the start: the meeting's own or the coalition's, and 0 (the start)."""
    chosen = meeting.reminders if meeting.reminders is not None else config.meetings.offsets_minutes
    return tuple(sorted({*chosen, 0}, reverse=True))


def reminders_between(
    meeting: Meeting,
    changes: dict[date, OccurrenceChange],
    after: datetime,
    before: datetime,
    offsets: Sequence[int],
) -> list[Due]:
    """Reminders of one meeting due in [after, before), earliest first.

    Reminders whose time came before the meeting was scheduled do not exist:
    a meeting set up an hour ahead gets no "one day before" reminder.
    """
    longest = timedelta(minutes=max(offsets, default=0))
    found: list[Due] = []
    for occurrence in occurrences(meeting, after, before + longest, changes):
        for offset in offsets:
            due_at = occurrence.start - timedelta(minutes=offset)
            if not after <= due_at < before:
                continue
            if meeting.created_at is not None and due_at < meeting.created_at:
                continue
            found.append(Due(meeting, occurrence, DeliveryKind.REMINDER, offset, due_at))
    return sorted(found, key=lambda d: d.due_at)


def claim_start(due: Due) -> datetime:
    """The instant in a delivery's claim key.

    A reminder belongs to its occurrence's start, so a moved occurrence gets fresh
    reminders. An announcement belongs to the meeting, once: its key holds the
    meeting's creation (its due time), so moving or editing the first occurrence
    does not announce the meeting a second time (issue 16); its card is edited.
    """
    return due.due_at if due.kind is DeliveryKind.ANNOUNCEMENT else due.occurrence.start


def announcement_due(
    meeting: Meeting, changes: dict[date, OccurrenceChange], after: datetime, before: datetime
) -> Due | None:
    """A new meeting is announced once, for its first occurrence, when it was scheduled."""
    created = meeting.created_at
    if created is None or not after <= created < before:
        return None
    upcoming = next_occurrence(meeting, changes, created)
    if upcoming is None:
        return None
    return Due(meeting, upcoming, DeliveryKind.ANNOUNCEMENT, 0, created)


@dataclass
class SweepReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    late: int = 0


@dataclass(frozen=True, slots=True)
class _Job:
    delivery: Delivery
    meeting: Meeting
    occurrence: Occurrence
    to: Destination
    platform: str
    message: Message


class ReminderService:
    """Finds what is due, claims it once in storage, and posts it on every platform."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        broadcaster: Broadcaster,
        clock: Clock,
        config: Config,
        *,
        owner: str,
    ) -> None:
        self.unit_of_work = unit_of_work
        self.broadcaster = broadcaster
        self.clock = clock
        self.config = config
        self.owner = owner  # who claimed a delivery: this instance
        self._running = asyncio.Lock()

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.config.meetings.grace_minutes)

    async def run_due(self) -> SweepReport:
        """Deliver everything due now, retry failed posts, refresh announcement counts."""
        async with self._running:  # one sweep at a time, however many jobs fire
            report = SweepReport()
            jobs = await self._claim_due(report)
            jobs += await self._take_retries()
            await self._post_all(jobs, report)
            await self._refresh_announcements()
            return report

    async def next_due(self, until: datetime) -> list[datetime]:
        """Instants in (now, until] when something becomes due: the scheduler's job times."""
        now = self.clock.now()
        times: set[datetime] = set()
        async with self.unit_of_work() as uow:
            meetings, changes = await self._meetings(uow, now, until)
        for meeting in meetings:
            offsets = offsets_for(meeting, self.config)
            for due in reminders_between(meeting, changes.get(meeting.id, {}), now, until, offsets):
                if due.due_at > now:
                    times.add(due.due_at)
        return sorted(times)

    async def _meetings(
        self, uow: UnitOfWork, after: datetime, before: datetime
    ) -> tuple[list[Meeting], dict[int, dict[date, OccurrenceChange]]]:
        # Occurrences up to the longest offset ahead have reminders due now; a
        # meeting's own offsets may be longer than the coalition's (14 days at most).
        horizon = before + timedelta(days=15)
        meetings = await uow.meetings.active(after - timedelta(days=1), horizon)
        # New meetings are announced however far ahead they are.
        known = {m.id for m in meetings}
        meetings += [m for m in await uow.meetings.created_since(after) if m.id not in known]
        changes = await uow.meetings.changes([m.id for m in meetings]) if meetings else {}
        return meetings, changes

    # -- claiming ---------------------------------------------------------------

    def _due_of(
        self,
        meeting: Meeting,
        changes: dict[date, OccurrenceChange],
        since: datetime,
        until: datetime,
    ) -> list[Due]:
        """What one meeting has due; nothing, logged, if its stored row cannot be expanded.

        One broken row (a zone or rule written before today's checks) must not
        stop the reminders of every other meeting.
        """
        try:
            dues = reminders_between(
                meeting, changes, since, until, offsets_for(meeting, self.config)
            )
            if (found := announcement_due(meeting, changes, since, until)) is not None:
                dues.insert(0, found)
        except Exception:
            log.exception("skipping meeting %s: its dates cannot be worked out", meeting.id)
            return []
        return dues

    async def _claim_due(self, report: SweepReport) -> list[_Job]:
        platforms = self.broadcaster.platforms
        if not platforms:
            return []  # nothing can be posted: claim nothing, so nothing is lost
        now = self.clock.now()
        since = now - LOOKBACK
        until = now + timedelta(microseconds=1)  # what is due this very instant is due
        jobs: list[_Job] = []
        async with self.unit_of_work() as uow:
            meetings, changes = await self._meetings(uow, since, until)
            dues: list[Due] = []
            for meeting in meetings:
                dues += self._due_of(meeting, changes.get(meeting.id, {}), since, until)
            if not dues:
                return []
            starts = [claim_start(d) for d in dues]
            existing = await uow.deliveries.existing(
                sorted({d.meeting.id for d in dues}),
                min(starts),
                max(starts) + timedelta(microseconds=1),
            )
            # DMs claimed under the key of before 0009 ("slack:@5") count as claimed, and so
            # do announcements keyed by their occurrence's start then (one per meeting now).
            dms = claimed_dms(existing)
            announced = await uow.deliveries.announced(
                sorted({d.meeting.id for d in dues if d.kind is DeliveryKind.ANNOUNCEMENT})
            )
            going = await uow.rsvps.going_to(
                sorted(
                    {
                        (d.meeting.id, d.occurrence.key)
                        for d in dues
                        if d.kind is DeliveryKind.REMINDER
                    }
                )
            )
            # The occurrences' discussions, linked from the cards: one query for the sweep.
            discussions = await uow.discussions.occurrence_discussions(
                sorted({(d.meeting.id, d.occurrence.key) for d in dues})
            )
            for due in sorted(dues, key=lambda d: d.due_at):
                attendees = going.get((due.meeting.id, due.occurrence.key), [])
                for platform, target, to, language, zone in self._targets(
                    due, platforms, attendees
                ):
                    key = DeliveryKey(
                        due.meeting.id, claim_start(due), due.kind, due.offset, target
                    )
                    if key in existing or _dm_of(key) in dms:
                        continue
                    if (
                        due.kind is DeliveryKind.ANNOUNCEMENT
                        and (due.meeting.id, target) in announced
                    ):
                        continue
                    delay = now - due.due_at
                    if delay > self.grace:
                        if await uow.deliveries.claim(
                            key,
                            due.occurrence.key,
                            due_at=due.due_at,
                            owner=self.owner,
                            at=now,
                            skipped=True,
                        ):
                            report.skipped += 1
                            log.warning(
                                "skipped %s for meeting %s at %s on %s: due %s, %s late "
                                "(more than the %s grace period)",
                                due.kind.value,
                                due.meeting.id,
                                due.occurrence.start.isoformat(),
                                target,
                                due.due_at.isoformat(),
                                delay,
                                self.grace,
                            )
                        continue
                    late = delay > LATE_AFTER
                    delivery = await uow.deliveries.claim(
                        key,
                        due.occurrence.key,
                        due_at=due.due_at,
                        owner=self.owner,
                        at=now,
                        late=late,
                    )
                    if delivery is None:
                        continue  # another instance claimed it a moment ago
                    report.claimed += 1
                    report.late += late
                    counts = (
                        await uow.rsvps.counts(due.meeting.id, due.occurrence.key)
                        if due.kind is DeliveryKind.ANNOUNCEMENT
                        else {}
                    )
                    discussion = discussions.get((due.meeting.id, due.occurrence.key))
                    message = self._message(
                        delivery,
                        platform,
                        due.meeting,
                        due.occurrence,
                        language,
                        counts,
                        discussion,
                        zone,
                    )
                    jobs.append(_Job(delivery, due.meeting, due.occurrence, to, platform, message))
            # The claims are committed before anything is posted: that is the guarantee.
            await uow.commit()
        return jobs

    def _targets(
        self, due: Due, platforms: Sequence[str], going: Sequence[Attendee]
    ) -> list[tuple[str, str, Destination, str, str]]:
        """(platform, claim target, destination, language, reader's zone) for each post:
        the channel on every platform, and one DM per person who said Going."""
        coalition_language = self.config.coalition.language
        found: list[tuple[str, str, Destination, str, str]] = [
            (p, f"{p}:#", ToChannel(due.meeting.channel), coalition_language, "") for p in platforms
        ]
        if due.kind is DeliveryKind.REMINDER:
            for person in going:
                if not person.dm_reminders:
                    continue
                account = dm_account(
                    person.identities,
                    platforms,
                    chosen=person.dm_platform,
                    last_used=person.last_used,
                )
                if account is not None:
                    to = ToMember((account,))
                    target = dm_target(person.member_id)
                    found.append((account.platform, target, to, person.language, person.timezone))
        return found

    def _message(
        self,
        delivery: Delivery,
        platform: str,
        meeting: Meeting,
        occurrence: Occurrence,
        language: str,
        counts: dict[Answer, int],
        discussion: OccurrenceDiscussion | None,
        reader_zone: str,
    ) -> Message:
        tr = translator(language)
        if delivery.key.kind is DeliveryKind.ANNOUNCEMENT:
            return announcement(
                tr, meeting, occurrence, counts, discussion=discussion, platform=platform
            )
        direct = dm_member(delivery.key.target) is not None
        return reminder(
            tr,
            meeting,
            occurrence,
            delivery.key.offset,
            late=delivery.late,
            direct=direct,
            discussion=discussion,
            platform=platform,
            reader_zone=reader_zone if direct else "",
        )

    # -- retries ----------------------------------------------------------------

    async def _take_retries(self) -> list[_Job]:
        now = self.clock.now()
        stale = now - timedelta(seconds=self.config.meetings.claim_timeout_seconds)
        jobs: list[_Job] = []
        async with self.unit_of_work() as uow:
            taken = await uow.deliveries.retryable(now, self.owner, stale)
            for delivery in taken:
                if (
                    now - delivery.due_at > self.grace
                    and delivery.key.kind is DeliveryKind.REMINDER
                ):
                    # Left behind by a crash and found after a long downtime: too late to help.
                    log.warning(
                        "gave up %s for meeting %s on %s: due %s, more than the grace period ago",
                        delivery.key.kind.value,
                        delivery.key.meeting_id,
                        delivery.key.target,
                        delivery.due_at.isoformat(),
                    )
                    await uow.deliveries.failed(
                        delivery.id, "too late after downtime", retry_at=None, at=now
                    )
                    continue
                meeting = await uow.meetings.get(delivery.key.meeting_id)
                job = await self._rebuild(uow, delivery, meeting) if meeting else None
                if job is None:
                    await uow.deliveries.failed(
                        delivery.id, "the meeting or member is gone", retry_at=None, at=now
                    )
                else:
                    jobs.append(job)
            await uow.commit()
        return jobs

    async def _rebuild(self, work: UnitOfWork, delivery: Delivery, meeting: Meeting) -> _Job | None:
        start = delivery.key.occurrence_start
        occurrence = Occurrence(
            meeting.id, delivery.occurrence_key, start, start + timedelta(minutes=meeting.duration)
        )
        if delivery.key.kind is DeliveryKind.ANNOUNCEMENT:
            # Its key holds the meeting's creation, not the start: read the occurrence.
            changes = (await work.meetings.changes([meeting.id])).get(meeting.id, {})
            announced = announced_occurrence(meeting, changes, delivery)
            if announced is None:
                return None  # cancelled before its announcement could be posted
            occurrence = announced
        platform = delivery.key.target.partition(":")[0]
        language = self.config.coalition.language
        zone = ""
        to: Destination = ToChannel(meeting.channel)
        if (member_id := dm_member(delivery.key.target)) is not None:
            member = await work.members.get(member_id)
            if member is None:
                return None
            # Chosen again: the platform they prefer now, if it is still connected.
            account = dm_account(
                member.identities,
                self.broadcaster.platforms,
                chosen=member.profile.dm_platform,
                last_used=member.last_used,
            )
            if account is None:
                return None
            platform, to = account.platform, ToMember((account,))
            language, zone = member.profile.language, member.profile.timezone
        counts = (
            await work.rsvps.counts(meeting.id, delivery.occurrence_key)
            if delivery.key.kind is DeliveryKind.ANNOUNCEMENT
            else {}
        )
        key = (meeting.id, delivery.occurrence_key)
        discussion = (await work.discussions.occurrence_discussions([key])).get(key)
        message = self._message(
            delivery, platform, meeting, occurrence, language, counts, discussion, zone
        )
        return _Job(delivery, meeting, occurrence, to, platform, message)

    # -- posting ----------------------------------------------------------------

    async def _post_all(self, jobs: list[_Job], report: SweepReport) -> None:
        # Each destination is a queue (posts in one channel stay in order, and a
        # platform's per-channel rate limit is not hammered); queues run side by side.
        queues: dict[tuple[str, str], list[_Job]] = defaultdict(list)
        for job in jobs:
            place = job.to.channel if isinstance(job.to, ToChannel) else job.delivery.key.target
            queues[(job.platform, place)].append(job)
        limit = asyncio.Semaphore(PARALLEL_POSTS)
        done: asyncio.Queue[tuple[int, list[PostedMessage]] | None] = asyncio.Queue()

        async def drain(queue: list[_Job]) -> None:
            async with limit:
                for job in queue:
                    try:
                        posted = await self.broadcaster.send(
                            job.platform,
                            job.to,
                            job.message,
                            key=job.delivery.key.token,
                            recheck=job.delivery.attempts > 1,
                        )
                    except Exception as error:  # any platform failure: recorded, retried later
                        await self._record_failure(job.delivery, error)
                        report.failed += 1
                        continue
                    done.put_nowait((job.delivery.id, posted))
                    report.sent += 1

        recording = asyncio.ensure_future(self._record_sent(done))
        try:
            await asyncio.gather(*(drain(q) for q in queues.values()))
        finally:
            done.put_nowait(None)
            await recording

    async def _record_sent(
        self, done: asyncio.Queue[tuple[int, list[PostedMessage]] | None]
    ) -> None:
        """Mark posts sent as they come, many per transaction, so posting never waits
        for the database (the marks trail the posts by one commit)."""
        finished = False
        while not finished:
            batch = [await done.get()]
            while not done.empty():
                batch.append(done.get_nowait())
            finished = None in batch
            marks = [item for item in batch if item is not None]
            if not marks:
                continue
            async with self.unit_of_work() as uow:
                at = self.clock.now()
                for delivery_id, posted in marks:
                    await uow.deliveries.sent(delivery_id, posted, at=at)
                await uow.commit()

    async def _record_failure(self, delivery: Delivery, error: Exception) -> None:
        settings = self.config.meetings
        now = self.clock.now()
        retry_at: datetime | None = None
        if delivery.attempts < settings.max_attempts:
            wait = settings.retry_seconds * 2 ** (delivery.attempts - 1)
            retry_at = now + timedelta(seconds=wait)
        reason = f"{type(error).__name__}: {error}"
        log.warning(
            "posting %s for meeting %s to %s failed (attempt %s): %s; %s",
            delivery.key.kind.value,
            delivery.key.meeting_id,
            delivery.key.target,
            delivery.attempts,
            reason,
            f"retrying at {retry_at.isoformat()}" if retry_at else "giving up",
        )
        async with self.unit_of_work() as uow:
            await uow.deliveries.failed(delivery.id, reason, retry_at=retry_at, at=now)
            await uow.commit()

    # -- announcements kept current ----------------------------------------------

    async def _refresh_announcements(self) -> None:
        async with self.unit_of_work() as uow:
            wanted = await uow.meetings.refresh_wanted()
        for meeting_id, requested_at in wanted:
            await self.refresh(meeting_id, requested_at)

    async def refresh(self, meeting_id: int, requested_at: datetime) -> None:
        async with self.unit_of_work() as uow:
            tr = translator(self.config.coalition.language)
            edits = await announcement_edits(uow, tr, meeting_id, self.clock.now())
            await uow.meetings.refreshed(meeting_id, requested_at)
            await uow.commit()
        for ref, message in edits:
            try:
                await self.broadcaster.edit(ref, message)
            except Exception:  # the counts are shown again at the next change
                log.exception("could not update the announcement of meeting %s", meeting_id)


def _dm_of(key: DeliveryKey) -> tuple[int, datetime, str, int, int] | None:
    member = dm_member(key.target)
    if member is None:
        return None
    return (key.meeting_id, key.occurrence_start, key.kind.value, key.offset, member)
