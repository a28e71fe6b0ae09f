"""Building the sessions report from the figures storage aggregates.

The same report serves the chat's summary, the command line's CSV, Excel and HTML
files and the dashboard's page, so every one of them shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.errors import FieldError, UserError
from bot.meetings.model import Meeting
from bot.messages import Code, Strong
from bot.ports import UnitOfWork
from bot.reports.held import held_sessions
from bot.reports.model import SCALE_POINTS, Basis, Period, Report, SessionLine, Totals
from bot.reports.ports import EvaluationAnswers, Scope, SessionCounts

# With no `from`, a report covers this long up to its `to` (a quarter, roughly).
DEFAULT_SPAN = timedelta(days=90)
EXAMPLE = "/coalition report sessions start=2026-01-01 end=2026-03-31"


def period_of(today: date, since: date | None, until: date | None, series: int | None) -> Period:
    """The period asked for: `to` defaults to today, `from` to 90 days before `to`."""
    end = until or today
    start = since or end - DEFAULT_SPAN
    if start > end:
        raise FieldError(
            "start",
            "The report would start on {start}, after it ends on {end}. Give a start date on or before the end date, for example {example}.",
            start=start.isoformat(),
            end=end.isoformat(),
            example=Code(EXAMPLE),
        )
    return Period(start, end, series)


async def build_report(uow: UnitOfWork, period: Period, now: datetime) -> Report:
    """Every session the period held by `now` (bot/reports/held.py), with the figures
    storage counts for it: zeros where nobody answered, attended or was sent anything."""
    series: Meeting | None = None
    if period.series is not None:
        series = await uow.meetings.get(period.series)
        if series is None:
            raise FieldError(
                "series",
                "There is no meeting {id}, so there is no series to report on. See the meetings and their numbers with {command}.",
                id=str(period.series),
                command=Code("/coalition meeting list"),
            )
    scope = Scope(period.since, period.until, period.series)
    reports = uow.reports
    basis = Basis.ATTENDED if await reports.has_attendance(scope) else Basis.GOING
    held = await held_sessions(uow, period, now, series)
    counts = {(c.meeting_id, c.occurrence): c for c in await reports.sessions(scope, basis)}
    evaluations = {(e.meeting_id, e.occurrence): e for e in await reports.evaluations(scope)}
    # Rows for an occurrence the schedule does not hold (storage already leaves out the
    # dates cancelled one by one): kept when people came (attendance) or an evaluation
    # was opened, which happens only after it ended; answers alone are dropped, as they
    # say what people meant to do at a session that did not take place (the meeting
    # was cancelled before it, it has not ended yet, or an edit of the whole series
    # moved its dates since; tests/core/test_reports_held.py).
    kept = [k for k, c in counts.items() if k not in held and (c.attended or k in evaluations)]
    dropped = sorted(set(counts) - set(held) - set(kept))
    titles = await reports.titles([m for m, _ in kept])
    lines = [(h.meeting_id, h.title, h.key, h.day) for h in held.values()]
    lines += [(m, titles.get(m, ""), key, key) for m, key in kept]
    sessions = []
    for meeting_id, title, key, day in sorted(lines, key=lambda line: (line[3], line[0])):
        c = counts.get((meeting_id, key)) or SessionCounts(meeting_id, key, 0, 0, 0, 0, 0, 0)
        evaluation = evaluations.get((meeting_id, key))
        usefulness, texts = _answers(evaluation)
        sessions.append(
            SessionLine(
                meeting_id=meeting_id,
                title=title,
                occurrence=day,
                going=c.going,
                maybe=c.maybe,
                declined=c.declined,
                attended=c.attended,
                organizations=c.organizations,
                jurisdictions=c.jurisdictions,
                sent=evaluation.sent if evaluation else 0,
                responses=len(evaluation.answers) if evaluation else 0,
                usefulness=usefulness,
                texts=texts,
                moved_from=key if day != key else None,
            )
        )
    # Those who said Going only to a dropped date are no participants (with attendance
    # as the basis, nothing dropped has any: attendance keeps a date).
    people = await reports.people(scope._replace(left_out=tuple(dropped)), basis)
    totals = Totals(
        participants=people.participants,
        returning=people.returning,
        organizations=tuple(people.organizations),
        jurisdictions=people.jurisdictions,
        regions=tuple(people.regions),
    )
    series_title = series.title if series is not None else None
    return Report(period, series_title, basis, tuple(sessions), totals)


def _answers(
    evaluation: EvaluationAnswers | None,
) -> tuple[tuple[int, ...], tuple[tuple[str, str], ...]]:
    """The usefulness answers per scale point, and the free texts (sorted: their order
    would otherwise follow who answered when)."""
    distribution = [0] * len(SCALE_POINTS)
    if evaluation is None:
        return tuple(distribution), ()
    scale = next((i for i, kind in enumerate(evaluation.kinds) if kind == "scale"), None)
    texts: list[tuple[str, str]] = []
    for answers in evaluation.answers:
        if scale is not None and scale < len(answers):
            value = str(answers[scale]).strip()
            if value.isdigit() and int(value) in SCALE_POINTS:
                distribution[int(value) - 1] += 1
        texts += _texts(evaluation, answers)
    return tuple(distribution), tuple(sorted(texts))


def _texts(evaluation: EvaluationAnswers, answers: Sequence[str]) -> list[tuple[str, str]]:
    return [
        (question, str(value).strip())
        for question, kind, value in zip(
            evaluation.questions, evaluation.kinds, answers, strict=False
        )
        if kind == "text" and str(value).strip()
    ]


def no_sessions(period: Period) -> UserError:
    """A report with no session: only when the schedule held none in the period
    (sessions nobody answered are in the report, with zeros)."""
    return UserError(
        "No session was held between {start} and {end}: none was scheduled in that period, or none has ended yet (cancelled sessions do not count). Try another period, for example {example}.",
        start=Strong(period.since.isoformat()),
        end=Strong(period.until.isoformat()),
        example=Code(EXAMPLE),
    )
