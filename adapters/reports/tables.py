"""The report's tables, the same for CSV, Excel and HTML: labels translated, numbers as numbers.

No table has a column for a person: sessions, organizations, totals, and free-text
answers with no name (bot/reports/model.py).
"""

from __future__ import annotations

from bot.evaluations.model import Question
from bot.i18n import Translator
from bot.reports.model import SCALE_POINTS, Basis, Report, SessionLine
from bot.reports.summary import shown_day

Cell = str | int | float | None
Table = tuple[list[str], list[list[Cell]]]


def rounded(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def rate(value: float | None) -> float | None:
    """A response rate as a percentage with one decimal (66.7), for a spreadsheet's column."""
    return None if value is None else round(value * 100, 1)


def asked_question(tr: Translator, text: str) -> str:
    """A default template's question is a msgid (N_() in bot/config.py): shown in the
    reader's language; a question of the coalition's own template as it was written."""
    question = Question(text, "text")
    try:
        return tr.plain(question.text)
    except (KeyError, IndexError, ValueError):  # a custom question with braces in it
        return text


def sessions(tr: Translator, report: Report) -> Table:
    """A row per session, for the files: the date it was scheduled for in a column of its
    own beside the date it took place, empty unless it was moved."""
    header = [tr.plain("Date"), tr.plain("Moved from"), *_figure_labels(tr)]
    rows: list[list[Cell]] = [
        [
            s.occurrence.isoformat(),
            None if s.moved_from is None else s.moved_from.isoformat(),
            *_figures(s),
        ]
        for s in report.sessions
    ]
    return header, rows


def sessions_shown(tr: Translator, report: Report) -> Table:
    """The same rows for a page (the HTML file, the dashboard): a moved session's
    scheduled date beside its date, "(moved from ...)", rather than a column of dashes."""
    header = [tr.plain("Date"), *_figure_labels(tr)]
    rows: list[list[Cell]] = [[shown_day(tr, s), *_figures(s)] for s in report.sessions]
    return header, rows


def _figure_labels(tr: Translator) -> list[str]:
    return [
        tr.plain("Session"),
        tr.plain("Meeting number"),
        tr.plain("Going"),
        tr.plain("Maybe"),
        tr.plain("Not going"),
        tr.plain("Attended"),
        tr.plain("Organizations"),
        tr.plain("Jurisdictions"),
        tr.plain("Evaluations sent"),
        tr.plain("Evaluation answers"),
        tr.plain("Response rate (%)"),
        tr.plain("Average usefulness (1-5)"),
    ]


def _figures(s: SessionLine) -> list[Cell]:
    return [
        s.title,
        s.meeting_id,
        s.going,
        s.maybe,
        s.declined,
        s.attended,
        s.organizations,
        s.jurisdictions,
        s.sent,
        s.responses,
        rate(s.response_rate),
        rounded(s.average_usefulness, 2),
    ]


def totals(tr: Translator, report: Report) -> Table:
    t = report.totals
    rows: list[list[Cell]] = [
        [tr.plain("From"), report.period.since.isoformat()],
        [tr.plain("To"), report.period.until.isoformat()],
        [tr.plain("Sessions"), len(report.sessions)],
        [tr.plain("Unique participants"), t.participants],
        [tr.plain("Returning participants (two sessions or more)"), t.returning],
        [tr.plain("Unique organizations"), len(t.organizations)],
        [tr.plain("Jurisdictions"), t.jurisdictions],
        [tr.plain("Regions reached"), len(t.regions)],
        [tr.plain("Regions"), "; ".join(t.regions)],
        [tr.plain("Evaluations sent"), report.sent],
        [tr.plain("Evaluation answers"), report.responses],
        [tr.plain("Response rate (%)"), rate(report.response_rate)],
        [tr.plain("Average usefulness (1-5)"), rounded(report.average_usefulness, 2)],
        [tr.plain("Counted"), basis_sentence(tr, report.basis)],
    ]
    if report.series_title is not None:
        rows.insert(2, [tr.plain("Series"), report.series_title])
    return [tr.plain("Figure"), tr.plain("Value")], rows


def organizations(tr: Translator, report: Report) -> Table:
    rows: list[list[Cell]] = [[name, n] for name, n in report.totals.organizations]
    return [tr.plain("Organization"), tr.plain("Participants")], rows


def usefulness(tr: Translator, report: Report) -> Table:
    rows: list[list[Cell]] = [[p, n] for p, n in zip(SCALE_POINTS, report.usefulness, strict=True)]
    return [tr.plain("Usefulness (1-5)"), tr.plain("Answers")], rows


def answers(tr: Translator, report: Report) -> Table:
    rows: list[list[Cell]] = [
        [s.occurrence.isoformat(), s.title, asked_question(tr, q), text]
        for s in report.sessions
        for q, text in s.texts
    ]
    return [tr.plain("Date"), tr.plain("Session"), tr.plain("Question"), tr.plain("Answer")], rows


def basis_sentence(tr: Translator, basis: Basis) -> str:
    if basis is Basis.ATTENDED:
        return tr.plain(
            "Participants, organizations, jurisdictions and regions count the people recorded as attending (check-in, a coordinator's mark, or an imported participants file)."
        )
    return tr.plain(
        "No attendance was recorded in this period: participants, organizations, jurisdictions and regions count the people who answered Going."
    )


def privacy_sentence(tr: Translator) -> str:
    return tr.plain(
        "This report names nobody: members who left or are hidden from the directory are counted, never named, and free-text answers are shown without names, even for named evaluations."
    )
