"""Meetings, changed occurrences, RSVPs and delivery claims."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.identity import Identity
from bot.meetings.model import (
    Answer,
    Delivery,
    DeliveryKey,
    DeliveryKind,
    DeliveryStatus,
    Meeting,
    OccurrenceChange,
)
from bot.meetings.ports import Attendee
from bot.meetings.recurrence import first_start, last_end, to_utc
from bot.ports import PostedMessage
from storage.dialect import dialect_of, insert_on_conflict
from storage.members import last_used
from storage.schema import (
    DeliveryRow,
    MeetingRow,
    MemberRow,
    OccurrenceChangeRow,
    RsvpRow,
)

CLAIM_COLUMNS = ("meeting_id", "occurrence_start", "kind", "offset_minutes", "target")
OnCommit = Callable[[Callable[[], None]], None]


class MeetingChanges:
    """Tells this process's schedulers that meetings changed, once the change is committed."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def notify(self) -> None:
        for listener in list(self._listeners):
            listener()


# One per process: every scheduler in it hears of changes made by any command.
MEETING_CHANGES = MeetingChanges()
NOTIFY_CHANNEL = "coalition_meetings"


def _to_meeting(row: MeetingRow) -> Meeting:
    return Meeting(
        id=row.id,
        title=row.title,
        start=datetime.fromisoformat(row.start_local),
        timezone=row.timezone,
        duration=row.duration,
        channel=row.channel,
        link=row.link,
        agenda=row.agenda,
        rule=row.rule,
        reminders=tuple(int(m) for m in row.reminders.split(",") if m)
        if row.reminders is not None
        else None,
        created_by=row.created_by,
        created_at=row.created_at,
        cancelled=row.cancelled,
        public=row.public,
        sequence=row.sequence,
        updated_at=row.updated_at,
    )


def _apply(row: MeetingRow, meeting: Meeting, at: datetime) -> None:
    row.title = meeting.title
    row.start_local = meeting.start.isoformat(timespec="minutes")
    row.timezone = meeting.timezone
    row.duration = meeting.duration
    row.channel = meeting.channel
    row.link = meeting.link
    row.agenda = meeting.agenda
    row.rule = meeting.rule
    row.reminders = (
        ",".join(str(m) for m in meeting.reminders) if meeting.reminders is not None else None
    )
    row.cancelled = meeting.cancelled
    row.public = meeting.public
    row.updated_at = at
    row.first_start = first_start(meeting) or to_utc(meeting.start, meeting.timezone)
    row.last_end = last_end(meeting)


def _active(after: datetime, before: datetime) -> ColumnElement[bool]:
    """Meetings not cancelled with an occurrence that may fall in [after, before)."""
    in_bounds = and_(
        MeetingRow.first_start < before,
        or_(MeetingRow.last_end.is_(None), MeetingRow.last_end >= after),
    )
    # A moved occurrence may leave the rule's bounds: its meeting is read too.
    moved = MeetingRow.id.in_(
        select(OccurrenceChangeRow.meeting_id).where(
            OccurrenceChangeRow.new_start >= after, OccurrenceChangeRow.new_start < before
        )
    )
    return and_(MeetingRow.cancelled.is_(False), or_(in_bounds, moved))


class SqlMeetings:
    def __init__(self, session: AsyncSession, on_commit: OnCommit) -> None:
        self.session = session
        self._on_commit = on_commit

    async def _changed(self) -> None:
        self._on_commit(MEETING_CHANGES.notify)
        # Other replicas hear of it on PostgreSQL, once this transaction commits.
        if dialect_of(self.session) == "postgresql":
            await self.session.execute(select(func.pg_notify(NOTIFY_CHANNEL, "")))

    async def add(self, meeting: Meeting, *, at: datetime) -> Meeting:
        row = MeetingRow(created_by=meeting.created_by, created_at=at, refresh_at=None)
        _apply(row, meeting, at)
        self.session.add(row)
        await self.session.flush()
        await self._changed()
        return _to_meeting(row)

    async def get(self, meeting_id: int) -> Meeting | None:
        row = await self.session.get(MeetingRow, meeting_id)
        return _to_meeting(row) if row else None

    async def update(self, meeting: Meeting, *, at: datetime) -> None:
        row = await self.session.get(MeetingRow, meeting.id)
        assert row is not None
        _apply(row, meeting, at)
        row.sequence += 1
        await self.session.flush()
        await self._changed()

    async def cancel(self, meeting_id: int, *, at: datetime) -> bool:
        # Conditional, so that of two confirmations at once exactly one cancels.
        result = await self.session.execute(
            update(MeetingRow)
            .where(MeetingRow.id == meeting_id, MeetingRow.cancelled.is_(False))
            .values(cancelled=True, updated_at=at, sequence=MeetingRow.sequence + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        await self._changed()
        return True

    async def active(self, after: datetime, before: datetime) -> list[Meeting]:
        rows = await self.session.scalars(
            select(MeetingRow).where(_active(after, before)).order_by(MeetingRow.id)
        )
        return [_to_meeting(r) for r in rows]

    async def active_state(self, after: datetime, before: datetime) -> tuple[object, ...]:
        found = await self.session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(MeetingRow.id), 0),
                func.coalesce(func.sum(MeetingRow.sequence), 0),
                func.max(MeetingRow.updated_at),
            ).where(_active(after, before))
        )
        return tuple(found.one())

    async def created_since(self, since: datetime) -> list[Meeting]:
        rows = await self.session.scalars(
            select(MeetingRow)
            .where(MeetingRow.cancelled.is_(False), MeetingRow.created_at >= since)
            .order_by(MeetingRow.id)
        )
        return [_to_meeting(r) for r in rows]

    async def changes(self, meeting_ids: Sequence[int]) -> dict[int, dict[date, OccurrenceChange]]:
        found: dict[int, dict[date, OccurrenceChange]] = {}
        for chunk in _chunks(meeting_ids):
            rows = await self.session.scalars(
                select(OccurrenceChangeRow).where(OccurrenceChangeRow.meeting_id.in_(chunk))
            )
            for row in rows:
                key = date.fromisoformat(row.occurrence)
                found.setdefault(row.meeting_id, {})[key] = OccurrenceChange(
                    key, row.cancelled, row.new_start
                )
        return found

    async def change_occurrence(
        self, meeting_id: int, change: OccurrenceChange, *, at: datetime
    ) -> None:
        # A change to one occurrence is a change to the series for calendars (SEQUENCE).
        await self.session.execute(
            update(MeetingRow)
            .where(MeetingRow.id == meeting_id)
            .values(updated_at=at, sequence=MeetingRow.sequence + 1)
            .execution_options(synchronize_session=False)
        )
        await self.session.execute(
            delete(OccurrenceChangeRow).where(
                OccurrenceChangeRow.meeting_id == meeting_id,
                OccurrenceChangeRow.occurrence == change.key.isoformat(),
            )
        )
        self.session.add(
            OccurrenceChangeRow(
                meeting_id=meeting_id,
                occurrence=change.key.isoformat(),
                cancelled=change.cancelled,
                new_start=change.start,
            )
        )
        await self.session.flush()
        await self._changed()

    async def request_refresh(self, meeting_id: int, *, at: datetime) -> None:
        await self.session.execute(
            update(MeetingRow).where(MeetingRow.id == meeting_id).values(refresh_at=at)
        )
        await self._changed()

    async def refresh_wanted(self) -> list[tuple[int, datetime]]:
        rows = await self.session.execute(
            select(MeetingRow.id, MeetingRow.refresh_at).where(MeetingRow.refresh_at.is_not(None))
        )
        return [(r.id, r.refresh_at) for r in rows if r.refresh_at is not None]

    async def refreshed(self, meeting_id: int, requested_at: datetime) -> None:
        await self.session.execute(
            update(MeetingRow)
            .where(MeetingRow.id == meeting_id, MeetingRow.refresh_at == requested_at)
            .values(refresh_at=None)
        )


def _chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [ids[n : n + size] for n in range(0, len(ids), size)]


class SqlRsvps:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def answer(
        self, meeting_id: int, occurrence: date, member_id: int, answer: Answer, *, at: datetime
    ) -> Answer | None:
        key = (meeting_id, occurrence.isoformat(), member_id)
        row = await self.session.get(RsvpRow, key)
        previous = Answer(row.answer) if row else None
        values = {
            "meeting_id": meeting_id,
            "occurrence": occurrence.isoformat(),
            "member_id": member_id,
            "answer": answer.value,
            "answered_at": at,
        }
        # An upsert: two clicks at once (two platforms) still leave one answer.
        statement = insert_on_conflict(self.session, RsvpRow).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["meeting_id", "occurrence", "member_id"],
                set_={"answer": answer.value, "answered_at": at},
            )
        )
        return previous

    async def counts(self, meeting_id: int, occurrence: date) -> dict[Answer, int]:
        rows = await self.session.execute(
            select(RsvpRow.answer, func.count())
            .where(RsvpRow.meeting_id == meeting_id, RsvpRow.occurrence == occurrence.isoformat())
            .group_by(RsvpRow.answer)
        )
        counts = dict.fromkeys(Answer, 0)
        for answer, count in rows:
            counts[Answer(answer)] = count
        return counts

    async def attendees(
        self, meeting_id: int, occurrence: date, answers: Sequence[Answer] = ()
    ) -> list[Attendee]:
        query = (
            select(RsvpRow.answer, MemberRow)
            .join(MemberRow, MemberRow.id == RsvpRow.member_id)
            .where(
                RsvpRow.meeting_id == meeting_id,
                RsvpRow.occurrence == occurrence.isoformat(),
                MemberRow.status == "active",
            )
            .order_by(MemberRow.name_key, MemberRow.id)
        )
        if answers:
            query = query.where(RsvpRow.answer.in_([a.value for a in answers]))
        result = await self.session.execute(query)
        return [_attendee(answer, member) for answer, member in result]

    async def going_to(
        self, occurrences: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], list[Attendee]]:
        wanted = {(m, d.isoformat()) for m, d in occurrences}
        found: dict[tuple[int, date], list[Attendee]] = {}
        meeting_ids = sorted({m for m, _ in occurrences})
        for chunk in _chunks(meeting_ids):
            result = await self.session.execute(
                select(RsvpRow.meeting_id, RsvpRow.occurrence, RsvpRow.answer, MemberRow)
                .join(MemberRow, MemberRow.id == RsvpRow.member_id)
                .where(
                    RsvpRow.meeting_id.in_(chunk),
                    RsvpRow.answer == Answer.GOING.value,
                    MemberRow.status == "active",
                )
                .order_by(MemberRow.id)
            )
            for meeting_id, day, answer, member in result:
                if (meeting_id, day) in wanted:
                    key = (meeting_id, date.fromisoformat(day))
                    found.setdefault(key, []).append(_attendee(answer, member))
        return found


def _attendee(answer: str, member: MemberRow) -> Attendee:
    return Attendee(
        member_id=member.id,
        name=member.display_name,
        answer=Answer(answer),
        identities=tuple(Identity(i.platform, i.workspace, i.user_id) for i in member.identities),
        language=member.language,
        dm_reminders=member.dm_reminders,
        timezone=member.timezone,
        dm_platform=member.dm_platform,
        last_used=last_used(member.identities),
    )


def _delivery(row: DeliveryRow) -> Delivery:
    return Delivery(
        id=row.id,
        key=DeliveryKey(
            row.meeting_id,
            row.occurrence_start,
            DeliveryKind(row.kind),
            row.offset_minutes,
            row.target,
        ),
        due_at=row.due_at,
        occurrence_key=date.fromisoformat(row.occurrence),
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        late=row.late,
    )


def _posted(raw: str | None) -> list[PostedMessage]:
    return [PostedMessage(**item) for item in json.loads(raw or "[]")]


class SqlDeliveries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def existing(
        self, meeting_ids: Sequence[int], after: datetime, before: datetime
    ) -> set[DeliveryKey]:
        found: set[DeliveryKey] = set()
        for chunk in _chunks(meeting_ids):
            rows = await self.session.execute(
                select(
                    DeliveryRow.meeting_id,
                    DeliveryRow.occurrence_start,
                    DeliveryRow.kind,
                    DeliveryRow.offset_minutes,
                    DeliveryRow.target,
                ).where(
                    DeliveryRow.meeting_id.in_(chunk),
                    DeliveryRow.occurrence_start >= after,
                    DeliveryRow.occurrence_start < before,
                )
            )
            found.update(DeliveryKey(m, s, DeliveryKind(k), o, t) for m, s, k, o, t in rows)
        return found

    async def claim(
        self,
        key: DeliveryKey,
        occurrence: date,
        *,
        due_at: datetime,
        owner: str,
        at: datetime,
        late: bool = False,
        skipped: bool = False,
    ) -> Delivery | None:
        values = {
            "meeting_id": key.meeting_id,
            "occurrence_start": key.occurrence_start,
            "occurrence": occurrence.isoformat(),
            "kind": key.kind.value,
            "offset_minutes": key.offset,
            "target": key.target,
            "due_at": due_at,
            "status": (DeliveryStatus.SKIPPED if skipped else DeliveryStatus.CLAIMED).value,
            "late": late,
            "attempts": 0 if skipped else 1,
            "owner": owner,
            "claimed_at": at,
        }
        # The unique claim is the whole guarantee: whoever inserts it first posts it;
        # everyone else (a second replica, a restarted process) gets nothing back.
        statement = (
            insert_on_conflict(self.session, DeliveryRow)
            .values(**values)
            .on_conflict_do_nothing(index_elements=list(CLAIM_COLUMNS))
            .returning(DeliveryRow.id)
        )
        new_id = (await self.session.execute(statement)).scalar_one_or_none()
        if new_id is None:
            return None
        return Delivery(
            id=new_id,
            key=key,
            due_at=due_at,
            occurrence_key=occurrence,
            status=DeliveryStatus.SKIPPED if skipped else DeliveryStatus.CLAIMED,
            attempts=0 if skipped else 1,
            late=late,
        )

    async def sent(
        self, delivery_id: int, posted: Sequence[PostedMessage], *, at: datetime
    ) -> None:
        refs = json.dumps(
            [
                {"platform": p.platform, "channel": p.channel, "message_id": p.message_id}
                for p in posted
            ]
        )
        await self.session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(status=DeliveryStatus.SENT.value, sent_at=at, posted=refs, last_error=None)
        )

    async def failed(
        self, delivery_id: int, error: str, *, retry_at: datetime | None, at: datetime
    ) -> None:
        status = DeliveryStatus.FAILED if retry_at is not None else DeliveryStatus.GAVE_UP
        await self.session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(status=status.value, last_error=error[:500], next_attempt_at=retry_at)
        )

    async def retryable(self, now: datetime, owner: str, stale_before: datetime) -> list[Delivery]:
        candidates = await self.session.scalars(
            select(DeliveryRow).where(
                or_(
                    and_(
                        DeliveryRow.status == DeliveryStatus.FAILED.value,
                        DeliveryRow.next_attempt_at <= now,
                    ),
                    and_(
                        DeliveryRow.status == DeliveryStatus.CLAIMED.value,
                        DeliveryRow.owner != owner,
                        DeliveryRow.claimed_at < stale_before,
                    ),
                )
            )
        )
        taken: list[Delivery] = []
        for row in list(candidates):
            result = await self.session.execute(
                update(DeliveryRow)
                .where(
                    DeliveryRow.id == row.id,
                    DeliveryRow.status == row.status,
                    DeliveryRow.owner == row.owner,
                    DeliveryRow.attempts == row.attempts,
                )
                .values(
                    status=DeliveryStatus.CLAIMED.value,
                    owner=owner,
                    claimed_at=now,
                    attempts=row.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                found = _delivery(row)
                taken.append(
                    Delivery(
                        found.id,
                        found.key,
                        found.due_at,
                        found.occurrence_key,
                        DeliveryStatus.CLAIMED,
                        row.attempts + 1,
                        found.late,
                    )
                )
        return taken

    async def announced(self, meeting_ids: Sequence[int]) -> set[tuple[int, str]]:
        found: set[tuple[int, str]] = set()
        for chunk in _chunks(meeting_ids):
            rows = await self.session.execute(
                select(DeliveryRow.meeting_id, DeliveryRow.target).where(
                    DeliveryRow.meeting_id.in_(chunk),
                    DeliveryRow.kind == DeliveryKind.ANNOUNCEMENT.value,
                )
            )
            found.update((m, t) for m, t in rows)
        return found

    async def announcements(self, meeting_id: int) -> list[tuple[Delivery, list[PostedMessage]]]:
        rows = await self.session.scalars(
            select(DeliveryRow)
            .where(
                DeliveryRow.meeting_id == meeting_id,
                DeliveryRow.kind == DeliveryKind.ANNOUNCEMENT.value,
                DeliveryRow.status == DeliveryStatus.SENT.value,
            )
            .order_by(DeliveryRow.id)
        )
        return [(_delivery(row), _posted(row.posted)) for row in rows]

    async def get(self, delivery_id: int) -> Delivery | None:
        row = await self.session.get(DeliveryRow, delivery_id)
        return _delivery(row) if row else None
