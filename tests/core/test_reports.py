"""The sessions report's every figure, from a known set of answers, check-ins and
evaluations, on SQLite and PostgreSQL; and its refusals of bad input."""

from __future__ import annotations

import pytest

from bot.meetings.model import Answer
from bot.reports.build import build_report
from bot.reports.model import Basis, Period, Report, SessionLine
from tests.harness import Harness, text_of
from tests.reports_data import (
    AFTER,
    AT,
    MARCH_5,
    MARCH_10,
    MARCH_12,
    MARCH_19,
    MARCH_26,
    MARCH_27,
    PERIOD,
    SINCE,
    UNTIL,
    known_sessions,
)

pytestmark = pytest.mark.both_databases


async def report_of(harness: Harness, series: int | None = None) -> Report:
    async with harness.storage.unit_of_work() as uow:
        return await build_report(uow, Period(SINCE, UNTIL, series), AFTER)


async def test_every_figure_of_the_period_adds_up(harness: Harness) -> None:
    await known_sessions(harness)
    report = await report_of(harness)
    assert report.basis is Basis.ATTENDED
    assert report.sessions == (
        SessionLine(
            meeting_id=1,
            title="Office hours",
            occurrence=MARCH_5,
            going=2,
            maybe=1,
            declined=1,
            attended=3,
            organizations=2,  # Alameda (typed twice), Cook
            jurisdictions=2,
            sent=3,
            responses=2,
            usefulness=(0, 0, 0, 1, 1),
            texts=(
                ("What should we cover next?", "More on <data>"),
                ("What will you use in your work?", "Use the toolkit"),
            ),
        ),
        SessionLine(
            2,
            "Data workshop",
            MARCH_10,
            1,
            0,
            0,
            0,
            0,
            0,
            1,
            1,
            (0, 0, 1, 0, 0),
            (("What will you use in your work?", "Named & shared"),),
        ),
        SessionLine(1, "Office hours", MARCH_12, 2, 0, 0, 2, 2, 2, 2, 0, (0, 0, 0, 0, 0)),
        # Held, and nobody answered: in the report all the same.
        SessionLine(1, "Office hours", MARCH_19, 0, 0, 0, 0, 0, 0, 0, 0, (0, 0, 0, 0, 0)),
        # Moved from its Thursday to the Friday: shown on the day it took place.
        SessionLine(
            1, "Office hours", MARCH_27, 0, 0, 0, 0, 0, 0, 0, 0, (0, 0, 0, 0, 0), (), MARCH_26
        ),
    )
    first = report.sessions[0]
    assert first.response_rate == pytest.approx(2 / 3) and first.average_usefulness == 4.5
    assert report.sessions[2].response_rate == 0 and report.sessions[2].average_usefulness is None
    totals = report.totals
    assert (totals.participants, totals.returning) == (4, 1)  # Maria came twice
    assert totals.organizations == (
        ("Alameda County Public Health", 2),
        ("Cook County Department of Public Health", 1),
        ("Harris County Public Health", 1),
    )
    assert totals.jurisdictions == 3
    assert totals.regions == ("Midwest", "Southwest", "West")
    assert report.usefulness == (0, 0, 1, 1, 1) and report.average_usefulness == 4.0
    assert (report.responses, report.sent) == (3, 6)


async def test_a_period_with_no_attendance_counts_those_going_and_says_so(
    harness: Harness,
) -> None:
    await known_sessions(harness)
    report = await report_of(harness, series=2)
    assert report.series_title == "Data workshop" and report.basis is Basis.GOING
    (line,) = report.sessions
    assert (line.going, line.attended, line.organizations, line.jurisdictions) == (1, 0, 1, 1)
    assert report.totals.participants == 1
    assert report.totals.organizations == (("alameda county public health", 1),)
    shown = text_of(await harness.say("cora", f"report sessions {PERIOD} series=2"))
    assert "No attendance was recorded in this period" in shown
    assert "Sessions of Data workshop, 2026-03-01 to 2026-03-31" in shown


async def test_the_chat_summary_shows_the_figures_and_no_names(harness: Harness) -> None:
    await known_sessions(harness)
    shown = text_of(await harness.say("cora", f"report sessions {PERIOD}"))
    assert "Sessions: 3. Participants: 4 (1 at two or more). Organizations: 3." in shown
    assert "Evaluations: 3 answered of 6 sent (50%); average usefulness 4.0 of 5." in shown
    assert (
        "2026-03-05 Office hours: going 2, maybe 1, not going 1; attended 3; "
        "organizations 2, jurisdictions 2; evaluations 2/3, usefulness 4.5"
    ) in shown
    for name in ("María", "Lee Park", "Sam Hidden", "Ana Torres"):
        assert name not in shown


async def test_the_chat_summary_says_where_a_moved_session_was_scheduled(
    harness: Harness,
) -> None:
    await known_sessions(harness)
    harness.clock.set(AFTER)  # every session of March has ended
    shown = text_of(await harness.say("cora", f"report sessions {PERIOD}"))
    assert "Sessions: 5." in shown, shown
    assert "2026-03-27 (moved from 2026-03-26) Office hours: going 0" in shown, shown
    assert "2026-03-19 Office hours: going 0" in shown and "(moved from 2026-03-19)" not in shown
    await harness.say("cora", "profile edit language=es")
    spanish = text_of(await harness.say("cora", f"report sessions {PERIOD}"))
    assert "2026-03-27 (movida del 2026-03-26) Office hours" in spanish, spanish


async def test_members_only_see_that_reports_are_for_coordinators(harness: Harness) -> None:
    await known_sessions(harness)
    shown = text_of(await harness.say("maria", f"report sessions {PERIOD}"))
    assert "coordinator" in shown.lower() and "Office hours" not in shown


async def test_bad_input_is_answered_with_what_to_type(harness: Harness) -> None:
    await known_sessions(harness)
    backwards = text_of(await harness.say("cora", "report sessions from=2026-03-31 to=2026-03-01"))
    assert "would start on 2026-03-31, after it ends on 2026-03-01" in backwards
    assert "start=2026-01-01 end=2026-03-31" in backwards
    unknown = text_of(await harness.say("cora", f"report sessions {PERIOD} series=99"))
    assert "There is no meeting 99" in unknown and "/coalition meeting list" in unknown
    bad_date = text_of(await harness.say("cora", "report sessions from=2026-13-01"))
    assert "2026-13-01 is not a real date" in bad_date and "For example: 2026-" in bad_date
    empty = text_of(await harness.say("cora", "report sessions from=2025-01-01 to=2025-02-01"))
    assert "No session was held between 2025-01-01 and 2025-02-01" in empty


async def test_members_who_leave_stay_in_the_figures_under_no_id(harness: Harness) -> None:
    await known_sessions(harness)
    for user in ("ana", "lee"):
        leave = await harness.say(user, "leave")
        assert leave.message is not None
        await harness.click(user, leave.message.buttons[0])
    assert await harness.storage_count("attendance") == 4  # theirs deleted
    report = await report_of(harness)
    march_5, march_10, march_12, *quiet = report.sessions
    assert [s.occurrence for s in quiet] == [MARCH_19, MARCH_27]
    # Answers, attendance and evaluations sent and answered: as before they left.
    assert (march_5.going, march_5.maybe, march_5.declined, march_5.attended) == (2, 1, 1, 3)
    assert (march_5.sent, march_5.responses) == (3, 2)
    assert (march_10.going, march_10.sent, march_10.responses) == (1, 1, 1)
    assert (march_12.going, march_12.attended, march_12.sent) == (2, 2, 2)
    assert (report.totals.participants, report.totals.returning) == (4, 1)
    # Their profiles are erased: their departments and regions are no longer known.
    assert (march_5.organizations, march_12.organizations, march_12.jurisdictions) == (2, 1, 1)
    assert report.totals.organizations == (
        ("Alameda County Public Health", 1),
        ("Cook County Department of Public Health", 1),
    )
    assert report.totals.regions == ("Midwest", "West")
    async with harness.storage.engine.connect() as connection:
        from sqlalchemy import inspect

        columns = await connection.run_sync(
            lambda sync: [c["name"] for c in inspect(sync).get_columns("report_departures")]
        )
    assert "member_id" not in columns and len(columns) == 6


async def test_a_cancelled_occurrence_is_no_session(harness: Harness) -> None:
    await known_sessions(harness)
    async with harness.storage.unit_of_work() as uow:
        await uow.rsvps.answer(1, MARCH_19, 3, Answer.GOING, at=AT)
        await uow.commit()
    assert len((await report_of(harness)).sessions) == 5
    cancelled = text_of(await harness.say("admin", "meeting cancel 1 occurrence=2026-03-19"))
    assert "cancel" in cancelled.lower()
    report = await report_of(harness)
    assert [s.occurrence for s in report.sessions] == [MARCH_5, MARCH_10, MARCH_12, MARCH_27]
    assert report.totals.participants == 4
