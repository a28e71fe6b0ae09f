"""Meetings and their changed occurrences; RSVPs and delivery claims are in
storage/rsvps.py and storage/deliveries.py."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Row, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.meetings.model import BrokenMeeting, Meeting, OccurrenceChange
from bot.meetings.recurrence import first_start, last_end
from bot.timezones import to_utc
from storage.dialect import dialect_of, insert_on_conflict
from storage.schema import MeetingRow, MeetingsVersionRow, OccurrenceChangeRow

log = logging.getLogger(__name__)
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


# A stored meeting as read: the mapped row, or a plain result row of the same columns.
MeetingFields: TypeAlias = MeetingRow | Row[Any]


def _to_meeting(row: MeetingFields) -> Meeting:
    try:
        return _read_meeting(row)
    except ValueError as error:  # a row written by hand or before today's checks
        raise BrokenMeeting(f"meeting {row.id}: {error}") from error


def _readable(rows: Iterable[MeetingFields]) -> list[Meeting]:
    """The meetings of rows that can be read; a broken one is logged and left out, so
    it never stops the scheduler for the others."""
    found: list[Meeting] = []
    for row in rows:
        try:
            found.append(_to_meeting(row))
        except BrokenMeeting:
            log.exception("skipping meeting %s: its stored row cannot be read", row.id)
    return found


def _read_meeting(row: MeetingFields) -> Meeting:
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
        topics=tuple(t for t in row.topics.split("\n") if t),
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
    row.topics = "\n".join(meeting.topics)
    row.updated_at = at
    row.first_start = first_start(meeting) or to_utc(meeting.start, meeting.timezone)
    row.last_end = last_end(meeting)


def _active(after: datetime, before: datetime) -> ColumnElement[bool]:
    """Meetings not cancelled with an occurrence that may fall in [after, before)."""
    return and_(MeetingRow.cancelled.is_(False), _in_bounds(after, before))


def _in_bounds(after: datetime, before: datetime) -> ColumnElement[bool]:
    """Meetings, cancelled or not, with an occurrence that may fall in [after, before)."""
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
    return or_(in_bounds, moved)


async def bump_meetings(session: AsyncSession) -> None:
    """Raise the meetings' version in the caller's transaction: called by every change
    a calendar feed or the sessions page shows. The write takes the row's lock, so of
    two changes at once the second raises it again after the first commits. An
    upsert, so that no seeded row is needed (as storage/resources.py `bump_library`)."""
    statement = insert_on_conflict(session, MeetingsVersionRow).values(id=1, version=1)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[MeetingsVersionRow.id],
            set_={"version": MeetingsVersionRow.version + 1},
        )
    )


async def schedule_changed(session: AsyncSession, on_commit: OnCommit | None) -> None:
    """Have the scheduler plan again once this transaction commits: here (`on_commit`)
    and, on PostgreSQL, on the other replicas. Meetings, polls and evaluations call it
    when a time something is due at changes."""
    if on_commit is not None:
        on_commit(MEETING_CHANGES.notify)
    if dialect_of(session) == "postgresql":
        await session.execute(select(func.pg_notify(NOTIFY_CHANNEL, "")))


class SqlMeetings:
    def __init__(self, session: AsyncSession, on_commit: OnCommit) -> None:
        self.session = session
        self._on_commit = on_commit

    async def _changed(self) -> None:
        await schedule_changed(self.session, self._on_commit)

    async def add(self, meeting: Meeting, *, at: datetime) -> Meeting:
        row = MeetingRow(created_by=meeting.created_by, created_at=at, refresh_at=None)
        _apply(row, meeting, at)
        self.session.add(row)
        await self.session.flush()
        await bump_meetings(self.session)
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
        await bump_meetings(self.session)
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
        await bump_meetings(self.session)
        await self._changed()
        return True

    async def active(self, after: datetime, before: datetime) -> list[Meeting]:
        # Plain rows of the table's columns: every active meeting is read (the dashboard's
        # list, the scheduler), and mapping each to a tracked object cost more than the
        # query; nothing here is changed, so nothing needs tracking.
        rows = await self.session.execute(
            select(MeetingRow.__table__).where(_active(after, before)).order_by(MeetingRow.id)
        )
        return _readable(rows)

    async def held_between(self, after: datetime, before: datetime) -> list[Meeting]:
        # A cancelled meeting's `updated_at` is when it was cancelled: nothing edits a
        # cancelled meeting. One cancelled before `after` held nothing in the window.
        still_on = or_(MeetingRow.cancelled.is_(False), MeetingRow.updated_at > after)
        rows = await self.session.execute(
            select(MeetingRow.__table__)
            .where(_in_bounds(after, before), still_on)
            .order_by(MeetingRow.id)
        )
        return _readable(rows)

    async def version(self) -> int:
        found = await self.session.scalar(
            select(MeetingsVersionRow.version).where(MeetingsVersionRow.id == 1)
        )
        return found or 0

    async def created_since(self, since: datetime) -> list[Meeting]:
        rows = await self.session.scalars(
            select(MeetingRow)
            .where(MeetingRow.cancelled.is_(False), MeetingRow.created_at >= since)
            .order_by(MeetingRow.id)
        )
        return _readable(rows)

    async def changes(self, meeting_ids: Sequence[int]) -> dict[int, dict[date, OccurrenceChange]]:
        found: dict[int, dict[date, OccurrenceChange]] = {}
        for chunk in chunks(meeting_ids):
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
        await bump_meetings(self.session)
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


def chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    return [ids[n : n + size] for n in range(0, len(ids), size)]
