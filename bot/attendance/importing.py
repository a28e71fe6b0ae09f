"""Matching a call's participants to members, and recording them, all or nothing.

A row is matched by its email when a member gave one (the email of the roster
invitation they joined with), else by name, case and accents folded as the
directory folds them. A row that matches nobody, or several members, is reported
and never guessed. A person who joined twice counts once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.attendance.model import CHECKIN_EARLY, Candidate, Source
from bot.attendance.occurrences import cancelled_on, nearest
from bot.attendance.reading import AttendanceFileProblem, Participant
from bot.meetings.lookup import occurrence_on
from bot.membership.folding import fold
from bot.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Matched:
    row: int
    member_id: int
    name: str  # the member's display name


@dataclass
class ImportReport:
    title: str = ""
    matched: list[Matched] = field(default_factory=list)
    # (row, what the file says) for rows that name nobody known
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    # (row, what the file says, the members it could be)
    ambiguous: list[tuple[int, str, list[str]]] = field(default_factory=list)
    # rows naming someone already matched on an earlier row (joined twice)
    repeated: int = 0
    # of the matched, how many were not yet marked present
    added: int = 0


def match(participants: Sequence[Participant], candidates: Sequence[Candidate]) -> ImportReport:
    """Each row matched to one member, or reported: pure, so it is tested on its own."""
    by_email: dict[str, Candidate] = {c.email: c for c in candidates if c.email}
    by_name: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_name.setdefault(c.name_key, []).append(c)
    report = ImportReport()
    seen: set[int] = set()
    for row in participants:
        found = by_email.get(row.email) if row.email else None
        if found is None:
            # A member whose email on file differs from the row's is a different person
            # of the same name: only members without one, or with this one, match by name.
            options: dict[int, Candidate] = {}
            for name in row.names:
                for c in by_name.get(fold(name), []):
                    if not c.email or not row.email or c.email == row.email:
                        options[c.member_id] = c
            said = row.name + (f" <{row.email}>" if row.email else "")
            if len(options) > 1:
                names = sorted(c.name for c in options.values())
                report.ambiguous.append((row.row, said, names))
                continue
            if not options:
                report.unmatched.append((row.row, said))
                continue
            found = next(iter(options.values()))
        if found.member_id in seen:
            report.repeated += 1
            continue
        seen.add(found.member_id)
        report.matched.append(Matched(row.row, found.member_id, found.name))
    return report


async def import_attendance(
    uow: UnitOfWork,
    meeting_id: int,
    day: str,
    participants: Sequence[Participant],
    at: datetime,
    *,
    dry_run: bool,
) -> ImportReport:
    """Match and record, in the caller's one transaction; AttendanceFileProblem if the
    meeting or the date is wrong. The caller commits (or not, for a dry run)."""
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None:
        raise AttendanceFileProblem(
            f"There is no meeting {meeting_id}: see the meetings and their numbers with "
            "/coalition meeting list."
        )
    try:
        key = date.fromisoformat(day)
    except ValueError:
        raise AttendanceFileProblem(
            f"--occurrence {day!r} is not a date: give it as YYYY-MM-DD, such as 2026-03-05."
        ) from None
    changes = (await uow.meetings.changes([meeting.id])).get(meeting.id, {})
    occurrence = occurrence_on(meeting, changes, key)
    if occurrence is None:
        dates = [d.isoformat() for d in nearest(meeting, changes, key)]
        close = ", ".join(dates)
        said = "was cancelled on" if cancelled_on(meeting, changes, key) else "does not meet on"
        raise AttendanceFileProblem(
            f"{meeting.title} {said} {day}"
            + (
                f"; its nearest {'date is' if len(dates) == 1 else 'dates are'} {close}."
                if close
                else ", nor on any other date."
            )
        )
    if at < occurrence.start - CHECKIN_EARLY:
        raise AttendanceFileProblem(
            f"{meeting.title} on {day} has not started yet: import its participants after the call."
        )
    report = match(participants, await uow.attendance.candidates())
    report.title = meeting.title
    if dry_run:
        marked = {p.member_id for p in await uow.attendance.present(meeting.id, key)}
        report.added = sum(m.member_id not in marked for m in report.matched)
    elif report.matched:
        added = await uow.attendance.mark(
            meeting.id, key, [m.member_id for m in report.matched], Source.IMPORT, at
        )
        report.added = len(added)
    return report
