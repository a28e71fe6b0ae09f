"""The report lists every session the schedule held, answered or not, on SQLite and
PostgreSQL: a quiet week with zeros, no cancelled date, a moved date once where it
moved to, nothing not yet ended; and says so when the period held none at all.

  Office hours (meeting 1): weekly on Thursdays from 2026-03-05, 9:00 Los Angeles, an hour
    03-05 answered and attended; 03-12 nobody answered; 03-19 cancelled (one answer);
    03-26 moved to Friday 03-27
  Data workshop (meeting 2): once, 2026-03-10, nobody answered
  Book club (meeting 3): weekly on Tuesdays from 2026-03-03, cancelled on 2026-03-11
    (03-03 and 03-10 were held); 03-17 answered Going, 03-24 attendance recorded
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.attendance.model import Source
from bot.meetings.model import Answer
from bot.reports.build import build_report
from bot.reports.model import Period, Report, SessionLine
from tests.harness import Harness, text_of

pytestmark = pytest.mark.both_databases

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
AFTER = datetime(2026, 4, 1, tzinfo=UTC)  # the report is made after the period
DANA, CORA, MARIA = 1, 2, 3


def day(n: int) -> date:
    return date(2026, 3, n)


async def schedule(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    await harness.join("cora", "Cora Mendes")
    await harness.join("maria", "María López")
    await harness.say("admin", "role grant @cora coordinator")
    for title, when, repeat in (
        ("Office hours", "date=2026-03-05 time=9am", "repeat=weekly"),
        ("Data workshop", "date=2026-03-10 time=10am", ""),
        ("Book club", "date=2026-03-03 time=8am", "repeat=weekly"),
    ):
        reply = await harness.say(
            "admin",
            f'meeting schedule title="{title}" {when} timezone=America/Los_Angeles '
            f"link=https://zoom.us/j/1 {repeat} reminders=none",
        )
        assert title in text_of(reply), text_of(reply)


async def sessions_of(harness: Harness) -> None:
    """The answers, the cancellations and the move the module docstring describes."""
    await schedule(harness)
    async with harness.storage.unit_of_work() as uow:
        await uow.rsvps.answer(1, day(5), MARIA, Answer.GOING, at=AFTER)
        await uow.attendance.mark(1, day(5), [MARIA], Source.CHECKIN, AFTER)
        await uow.rsvps.answer(1, day(19), MARIA, Answer.GOING, at=AFTER)
        await uow.commit()
    cancelled = text_of(await harness.say("admin", "meeting cancel 1 occurrence=2026-03-19"))
    assert "Cancelled Office hours on Mar 19" in cancelled, cancelled
    moved = text_of(
        await harness.say(
            "admin", "meeting edit 1 scope=this occurrence=2026-03-26 date=2026-03-27"
        )
    )
    assert "Mar 27" in moved, moved
    harness.clock.set(datetime(2026, 3, 11, tzinfo=UTC))
    asked = await harness.say("admin", "meeting cancel 3")
    assert asked.message is not None
    await harness.click("admin", asked.message.buttons[0])
    async with harness.storage.unit_of_work() as uow:
        # Answers alone to a date after the cancellation: nobody met. Attendance: people came.
        await uow.rsvps.answer(3, day(17), MARIA, Answer.GOING, at=AFTER)
        await uow.attendance.mark(3, day(24), [MARIA], Source.IMPORT, AFTER)
        await uow.commit()


async def report_of(harness: Harness, now: datetime, series: int | None = None) -> Report:
    async with harness.storage.unit_of_work() as uow:
        return await build_report(uow, Period(MARCH.since, MARCH.until, series), now)


def quiet(meeting_id: int, title: str, on: date, moved_from: date | None = None) -> SessionLine:
    zeros = (0, 0, 0, 0, 0)
    return SessionLine(meeting_id, title, on, 0, 0, 0, 0, 0, 0, 0, 0, zeros, (), moved_from)


async def test_every_held_session_is_listed_answered_or_not(harness: Harness) -> None:
    await sessions_of(harness)
    report = await report_of(harness, AFTER)
    assert [(s.occurrence, s.title) for s in report.sessions] == [
        (day(3), "Book club"),
        (day(5), "Office hours"),
        (day(10), "Data workshop"),  # the same day, meeting 2 before meeting 3
        (day(10), "Book club"),
        (day(12), "Office hours"),
        # 03-17: only an answer, after Book club was cancelled: not listed.
        # 03-19: cancelled, though Maria had answered: not listed.
        (day(24), "Book club"),  # after its cancellation, but people came: kept
        (day(27), "Office hours"),  # 03-26 moved to 03-27: once, where it moved
    ]
    lines = {(s.meeting_id, s.occurrence): s for s in report.sessions}
    assert lines[1, day(12)] == quiet(1, "Office hours", day(12))
    assert lines[2, day(10)] == quiet(2, "Data workshop", day(10))
    assert lines[1, day(27)] == quiet(1, "Office hours", day(27), moved_from=day(26))
    first = lines[1, day(5)]
    assert (first.going, first.attended, first.organizations) == (1, 1, 1)
    assert lines[3, day(24)].attended == 1 and lines[3, day(24)].moved_from is None


async def test_only_sessions_ended_by_the_time_of_the_report(harness: Harness) -> None:
    await sessions_of(harness)
    # Office hours on 03-12 runs 16:00 to 17:00 UTC (9:00 in Los Angeles, an hour).
    during = await report_of(harness, datetime(2026, 3, 12, 16, 30, tzinfo=UTC))
    assert [s.occurrence for s in during.sessions if s.meeting_id == 1] == [day(5)]
    ended = await report_of(harness, datetime(2026, 3, 12, 17, tzinfo=UTC))
    assert [s.occurrence for s in ended.sessions if s.meeting_id == 1] == [day(5), day(12)]


async def test_a_series_lists_that_meetings_sessions_only(harness: Harness) -> None:
    await sessions_of(harness)
    office = await report_of(harness, AFTER, series=1)
    assert office.series_title == "Office hours"
    assert [s.occurrence for s in office.sessions] == [day(5), day(12), day(27)]
    workshop = await report_of(harness, AFTER, series=2)
    assert workshop.sessions == (quiet(2, "Data workshop", day(10)),)
    club = await report_of(harness, AFTER, series=3)
    assert [s.occurrence for s in club.sessions] == [day(3), day(10), day(24)]


async def test_sessions_nobody_answered_make_a_report_not_an_apology(harness: Harness) -> None:
    await schedule(harness)
    harness.clock.set(AFTER)
    shown = text_of(await harness.say("cora", "report sessions from=2026-03-01 to=2026-03-31"))
    # Office hours 4, the workshop, Book club 5 (Tuesdays 03-03 to 03-31).
    assert "Sessions: 10. Participants: 0 (0 at two or more)." in shown, shown
    assert "2026-03-12 Office hours: going 0, maybe 0, not going 0; attended 0" in shown
    one = text_of(await harness.say("cora", "report sessions start=2026-03-01 series=2"))
    # One session reads as one (the figures follow their labels, in either language).
    assert "Sessions of Data workshop, 2026-03-01 to 2026-04-01" in one, one
    assert "Sessions: 1. Participants: 0 (0 at two or more)." in one, one
    await harness.say("cora", "profile edit language=es")
    uno = text_of(await harness.say("cora", "report sessions start=2026-03-01 series=2"))
    assert "Sesiones: 1. Participantes: 0 (0 en dos o más)." in uno, uno


async def test_a_period_with_no_session_scheduled_says_so(harness: Harness) -> None:
    await schedule(harness)
    harness.clock.set(AFTER)
    empty = text_of(await harness.say("cora", "report sessions from=2025-01-01 to=2025-02-01"))
    assert (
        "No session was held between 2025-01-01 and 2025-02-01: none was scheduled in that "
        "period, or none has ended yet (cancelled sessions do not count)."
    ) in empty, empty
    # Scheduled, but not yet over when the report is made: no session held either.
    harness.clock.set(datetime(2026, 3, 3, 15, 30, tzinfo=UTC))
    early = text_of(await harness.say("cora", "report sessions from=2026-03-01 to=2026-03-03"))
    assert "No session was held between 2026-03-01 and 2026-03-03" in early, early
    await harness.say("cora", "profile edit language=es")
    spanish = text_of(await harness.say("cora", "report sessions from=2025-01-01 to=2025-02-01"))
    assert "No se celebró ninguna sesión entre el 2025-01-01 y el 2025-02-01" in spanish, spanish
    assert "Pruebe otro periodo" in spanish, spanish


async def test_those_going_only_to_a_session_not_held_are_no_participants(
    harness: Harness,
) -> None:
    await schedule(harness)
    async with harness.storage.unit_of_work() as uow:
        await uow.rsvps.answer(1, day(5), MARIA, Answer.GOING, at=AFTER)
        await uow.rsvps.answer(1, day(12), CORA, Answer.GOING, at=AFTER)
        await uow.commit()
    # 03-12 is under way: no attendance anywhere, so the report counts those going,
    # and only to 03-05, the one session held.
    report = await report_of(harness, datetime(2026, 3, 12, 16, 30, tzinfo=UTC), series=1)
    assert [(s.occurrence, s.going) for s in report.sessions] == [(day(5), 1)]
    assert report.totals.participants == 1
    ended = await report_of(harness, datetime(2026, 3, 12, 17, tzinfo=UTC), series=1)
    assert [(s.occurrence, s.going) for s in ended.sessions] == [(day(5), 1), (day(12), 1)]
    assert ended.totals.participants == 2


async def test_the_chat_says_how_many_more_sessions_the_full_report_holds(
    harness: Harness,
) -> None:
    """The chat shows 20 sessions; the rest are counted, one as one, in either language."""
    await harness.join("admin", "Dana Reyes")
    reply = await harness.say(
        "admin",
        'meeting schedule title="Daily check-in" date=2026-03-03 time=9am '
        "timezone=America/Los_Angeles link=https://zoom.us/j/1 repeat=daily reminders=none",
    )
    assert "Daily check-in" in text_of(reply), text_of(reply)
    harness.clock.set(AFTER)
    one_more = text_of(
        await harness.say("admin", "report sessions start=2026-03-03 end=2026-03-23")
    )
    assert "Sessions: 21." in one_more and "1 more session is in the full report." in one_more
    more = text_of(await harness.say("admin", "report sessions start=2026-03-03 end=2026-03-31"))
    assert "Sessions: 29." in more and "9 more sessions are in the full report." in more
    await harness.say("admin", "profile edit language=es")
    uno = text_of(await harness.say("admin", "report sessions start=2026-03-03 end=2026-03-23"))
    assert "Hay 1 sesión más en el informe completo." in uno, uno
