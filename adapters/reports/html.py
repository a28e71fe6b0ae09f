"""The report as one self-contained HTML file: styles and charts inline, no script, no
link to fetch, every text escaped by Jinja's autoescape (the charts' SVG is
matplotlib's, which escapes the text it draws).

The template is adapters/web/templates/report.html, so its sentences are extracted
with the web pages' and the dashboard can show the same page.
"""

from __future__ import annotations

import base64
from datetime import datetime

import jinja2
from markupsafe import Markup

from adapters.reports import charts, tables
from bot.i18n import Translator
from bot.reports.model import Report
from bot.reports.summary import one_decimal, percent, shown_day

TEMPLATE = "report.html"


def chart_uri(chart: charts.Chart) -> str:
    """The chart as an image's data: URI, for a page whose policy refuses inline styles
    (the dashboard's): an SVG shown as an image keeps its own."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode()).decode("ascii")


def report_context(
    tr: Translator, report: Report, made_at: datetime, *, inline_svg: bool = True
) -> dict[str, object]:
    """What report_body.html needs: in the file (inline SVG) and on the dashboard (images)."""
    drawn = charts.charts(tr, report)
    return {
        "inline_svg": inline_svg,
        "chart_uri": chart_uri,
        "report": report,
        "sessions": tables.sessions_shown(tr, report),
        "totals": tables.totals(tr, report),
        # The last of the totals says whom they count: a sentence above them.
        "totals_rows": tables.totals(tr, report)[1][:-1],
        "basis": tables.basis_sentence(tr, report.basis),
        "charts": [(c, Markup(c.svg)) for c in drawn],
        "percent": percent,
        "one_decimal": one_decimal,
        "day": lambda session: shown_day(tr, session),
        "question": lambda text: tables.asked_question(tr, text),
        "privacy": tables.privacy_sentence(tr),
        "made_at": made_at.strftime("%Y-%m-%d %H:%M UTC"),
    }


def to_html(
    templates: jinja2.Environment, tr: Translator, report: Report, made_at: datetime
) -> str:
    template = templates.get_template(TEMPLATE)
    return template.render(
        _=tr.plain, plural=tr.plural, language=tr.language, **report_context(tr, report, made_at)
    )
