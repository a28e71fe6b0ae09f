"""The engagement charts drawn on the server as SVG with matplotlib, and as CSV.

matplotlib takes tens of milliseconds a chart, so a drawing is kept, keyed on
exactly what it shows (the translated chart: its numbers and words); the page asks
again only when the data changed. A drawing not kept yet is made in a worker
thread (asyncio.to_thread), so the event loop goes on serving other requests
meanwhile. Only the object API is used (no pyplot, no global figure state), with
fonts that ship with matplotlib: nothing is fetched. The counts are aggregates,
never personal data, so keeping them in memory keeps nobody's data.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import io
from dataclasses import dataclass
from html import escape

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from adapters.charts_svg import PALETTE, plain_text_for_matplotlib, svg_drawing, svg_of
from adapters.web.kept import Kept
from bot.dashboard.engagement import Chart
from bot.i18n import Translator

LABEL_MAX = 40  # longer labels are cut on the chart; the table holds them whole
KEPT = 256  # drawings kept: 8 charts in 2 languages, many times over


@dataclass(frozen=True, slots=True)
class Shown:
    """A chart in the reader's language: everything that is drawn, and nothing else."""

    key: str
    title: str
    header: str
    series: tuple[str, ...]
    labels: tuple[str, ...]
    rows: tuple[tuple[int, ...], ...]
    across: bool
    stacked: bool
    empty: bool


def shown(chart: Chart, tr: Translator) -> Shown:
    # A chart's words are N_() sentences of bot/dashboard/engagement.py, except the
    # labels and series it marks as stored text (tests/core/test_i18n_sources.py).
    return Shown(
        chart.key,
        tr.plain(chart.title),
        tr.plain(chart.label_header),
        tuple(tr.plain(series) if chart.series_said else series for series in chart.series),
        tuple(tr.plain(row.label) if row.said else row.label for row in chart.rows),
        tuple(row.values for row in chart.rows),
        chart.across,
        chart.stacked,
        chart.empty,
    )


class Drawings:
    """SVGs kept by what they show, the least recently used forgotten first."""

    def __init__(self, kept: int = KEPT) -> None:
        self._svgs: Kept[Shown, str] = Kept(kept)
        # Drawings under way: twenty readers opening the page at once wait for one drawing.
        self._drawing: dict[Shown, asyncio.Task[str]] = {}
        self.drawn = 0  # how many were drawn (the rest were kept ones): for tests

    async def data_uri(self, chart: Shown) -> str:
        found = self._svgs.get(chart)
        if found is not None:
            return found
        drawing = self._drawing.get(chart)
        if drawing is None:
            drawing = asyncio.create_task(self._draw(chart))
            self._drawing[chart] = drawing
        # Shielded: a reader who leaves does not stop the drawing the others wait for.
        return await asyncio.shield(drawing)

    async def _draw(self, chart: Shown) -> str:
        try:
            svg = await asyncio.to_thread(draw, chart)
        finally:
            del self._drawing[chart]
        self.drawn += 1
        found = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        return self._svgs.put(chart, found)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _drawn(text: str) -> str:
    # Labels and series can be members' text (organization names): drawn as typed.
    return plain_text_for_matplotlib(_short(text))


def draw(chart: Shown) -> str:
    """The chart as an SVG document with a <title> and a <desc> giving its numbers."""
    count = len(chart.labels)
    positions = list(range(count))
    height = max(2.2, 0.32 * count + 1.2) if chart.across else 3.4
    with svg_drawing():
        # Margins set by hand: a layout engine would draw the chart twice to find them.
        figure = Figure(figsize=(6.4, height))
        if chart.across:
            longest = max((len(_short(label)) for label in chart.labels), default=10)
            left = min(0.55, 0.04 + 0.0125 * longest)
            figure.subplots_adjust(
                left=left, right=0.97, top=1 - 0.4 / height, bottom=0.6 / height + 0.05
            )
        else:
            figure.subplots_adjust(left=0.08, right=0.97, top=0.9, bottom=0.3)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        base = [0] * count
        for index, name in enumerate(chart.series):
            values = [row[index] for row in chart.rows]
            colour = PALETTE[index % len(PALETTE)]
            said = plain_text_for_matplotlib(name)  # a series can be members' text
            if chart.across:
                axes.barh(positions, values, left=base, color=colour, label=said)
            else:
                axes.bar(positions, values, bottom=base, color=colour, label=said)
            base = [b + v for b, v in zip(base, values, strict=True)]
        labels = [_drawn(label) for label in chart.labels]
        if chart.across:
            axes.set_yticks(positions, labels=labels)
            axes.invert_yaxis()  # the first row on top, as in the table
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_xlabel(plain_text_for_matplotlib(", ".join(chart.series)))
        else:
            axes.set_xticks(positions, labels=labels, rotation=45, ha="right")
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_xlabel(plain_text_for_matplotlib(chart.header))
        axes.spines[["top", "right"]].set_visible(False)
        if len(chart.series) > 1:
            # Above the plot, in one row: never over a bar.
            axes.legend(
                loc="lower left",
                bbox_to_anchor=(0, 1),
                ncols=len(chart.series),
                frameon=False,
                fontsize=8,
            )
        words = (
            f'<title id="t">{escape(chart.title, quote=False)}</title>'
            f'<desc id="d">{escape(describe(chart), quote=False)}</desc>'
        )
        return svg_of(figure, "t d", words)


def describe(chart: Shown) -> str:
    """The chart's numbers in words: its text equivalent."""
    parts = []
    for label, values in zip(chart.labels, chart.rows, strict=True):
        numbers = ", ".join(f"{name} {n}" for name, n in zip(chart.series, values, strict=True))
        parts.append(f"{label}: {numbers}")
    return f"{chart.title}. " + "; ".join(parts) + "."


def as_csv(chart: Shown) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([chart.header, *chart.series])
    for label, values in zip(chart.labels, chart.rows, strict=True):
        writer.writerow([_inert(label), *values])
    return out.getvalue()


def _inert(text: str) -> str:
    # A spreadsheet runs a cell beginning with one of these as a formula: an organization
    # name typed as "=HYPERLINK(...)" stays text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
