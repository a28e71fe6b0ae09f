"""Building the sessions report from the figures storage aggregates.

The same report serves the chat's summary, the command line's CSV, Excel and HTML
files and the dashboard's page, so every one of them shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.errors import FieldError, UserError
from bot.messages import Code, Strong
from bot.ports import UnitOfWork
from bot.reports.model import SCALE_POINTS, Basis, Period, Report, SessionLine, Totals
from bot.reports.ports import EvaluationAnswers, Scope

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


async def build_report(uow: UnitOfWork, period: Period) -> Report:
    series_title: str | None = None
    if period.series is not None:
        meeting = await uow.meetings.get(period.series)
        if meeting is None:
            raise FieldError(
                "series",
                "There is no meeting {id}, so there is no series to report on. See the meetings and their numbers with {command}.",
                id=str(period.series),
                command=Code("/coalition meeting list"),
            )
        series_title = meeting.title
    scope = Scope(period.since, period.until, period.series)
    reports = uow.reports
    basis = Basis.ATTENDED if await reports.has_attendance(scope) else Basis.GOING
    counts = await reports.sessions(scope, basis)
    evaluations = {(e.meeting_id, e.occurrence): e for e in await reports.evaluations(scope)}
    titles = await reports.titles([c.meeting_id for c in counts])
    sessions = []
    for c in counts:
        usefulness, texts = _answers(evaluations.get((c.meeting_id, c.occurrence)))
        evaluation = evaluations.get((c.meeting_id, c.occurrence))
        sessions.append(
            SessionLine(
                meeting_id=c.meeting_id,
                title=titles.get(c.meeting_id, ""),
                occurrence=c.occurrence,
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
            )
        )
    people = await reports.people(scope, basis)
    totals = Totals(
        participants=people.participants,
        returning=people.returning,
        organizations=tuple(people.organizations),
        jurisdictions=people.jurisdictions,
        regions=tuple(people.regions),
    )
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
    return UserError(
        "No sessions between {start} and {end} had answers, attendance or evaluations. Try a longer period, for example {example}.",
        start=Strong(period.since.isoformat()),
        end=Strong(period.until.isoformat()),
        example=Code(EXAMPLE),
    )
