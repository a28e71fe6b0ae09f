"""The report's charts as inline SVG, drawn by matplotlib (adapters/charts_svg.py:
text kept as text, the same report byte for byte the same).

Every chart goes out with a caption and a table of its numbers
(adapters/reports/html.py): the picture is never the only way to read them. The
builders below draw inside `charts()`'s `svg_drawing()` (the lock and the style).
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from adapters.charts_svg import BLUE, ORANGE, plain_text_for_matplotlib, svg_drawing, svg_of
from adapters.reports import tables
from adapters.reports.tables import Table
from bot.i18n import Translator
from bot.reports.model import SCALE_POINTS, Report
from bot.reports.summary import shown_day

# The organizations chart shows this many; its table lists them all.
ORGANIZATIONS_SHOWN = 15
LABELS_MAX = 25


@dataclass(frozen=True, slots=True)
class Chart:
    key: str  # the figure's id in the page
    caption: str
    svg: str  # <svg ...>...</svg>, text escaped by matplotlib
    table: Table


def _svg(figure: Figure, key: str) -> str:
    # The figure is an image described by its caption.
    return svg_of(figure, f"{key}-caption")


def attendance(tr: Translator, report: Report) -> Chart:
    sessions = report.sessions
    figure = Figure(
        layout="constrained", figsize=(min(12.0, max(6.0, 0.12 * len(sessions) + 4)), 3.4)
    )
    axes = figure.add_subplot()
    places = range(len(sessions))
    axes.bar(
        [p - 0.2 for p in places],
        [s.going for s in sessions],
        0.4,
        label=tr.plain("Going"),
        color=ORANGE,
    )
    axes.bar(
        [p + 0.2 for p in places],
        [s.attended for s in sessions],
        0.4,
        label=tr.plain("Attended"),
        color=BLUE,
    )
    # At most about 25 dates under the bars: more would overlap (the table has them all).
    step = max(1, -(-len(sessions) // LABELS_MAX))
    ticks = list(places)[::step]
    axes.set_xticks(
        ticks, [sessions[t].occurrence.isoformat() for t in ticks], rotation=60, ha="right"
    )
    axes.set_ylabel(tr.plain("People"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend()
    header = [tr.plain("Date"), tr.plain("Session"), tr.plain("Going"), tr.plain("Attended")]
    rows: list[list[tables.Cell]] = [
        [shown_day(tr, s), s.title, s.going, s.attended] for s in sessions
    ]
    return Chart(
        "attendance",
        tr.plain(
            "Attendance per session, in date order: those who said Going and those who attended."
        ),
        _svg(figure, "attendance"),
        (header, rows),
    )


def organizations(tr: Translator, report: Report) -> Chart:
    shown = report.totals.organizations[:ORGANIZATIONS_SHOWN]
    figure = Figure(layout="constrained", figsize=(6.5, max(1.5, 0.3 * len(shown) + 1)))
    axes = figure.add_subplot()
    names = [plain_text_for_matplotlib(name[:50]) for name, _ in reversed(shown)]
    axes.barh(range(len(shown)), [n for _, n in reversed(shown)], color=BLUE)
    axes.set_yticks(list(range(len(shown))), names)
    axes.set_xlabel(tr.plain("Participants"))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    caption = tr.plain("Organizations reached, by participants.")
    if len(report.totals.organizations) > ORGANIZATIONS_SHOWN:
        caption += " " + tr.plain(
            "The chart shows the {shown} with the most; the table lists all {count}.",
            shown=ORGANIZATIONS_SHOWN,
            count=len(report.totals.organizations),
        )
    return Chart(
        "organizations", caption, _svg(figure, "organizations"), tables.organizations(tr, report)
    )


def usefulness(tr: Translator, report: Report) -> Chart:
    figure = Figure(layout="constrained", figsize=(5.0, 2.8))
    axes = figure.add_subplot()
    axes.bar([str(p) for p in SCALE_POINTS], report.usefulness, color=BLUE)
    axes.set_xlabel(tr.plain("How useful was this session? (1 to 5)"))
    axes.set_ylabel(tr.plain("Answers"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return Chart(
        "usefulness",
        tr.plain("Usefulness: how many answers gave each point of the scale."),
        _svg(figure, "usefulness"),
        tables.usefulness(tr, report),
    )


def charts(tr: Translator, report: Report) -> list[Chart]:
    # One report's charts under one hold of the drawing lock (the dashboard draws them
    # in a worker thread, so the event loop is never blocked).
    with svg_drawing():
        return [attendance(tr, report), organizations(tr, report), usefulness(tr, report)]
