"""The report as one self-contained HTML file: styles and charts inline, no script, no
link to fetch, every text escaped by Jinja's autoescape (the charts' SVG is
matplotlib's, which escapes the text it draws).

The template is adapters/web/templates/report.html, so its sentences are extracted
with the web pages' and the dashboard can show the same page.
"""

from __future__ import annotations

from datetime import datetime

import jinja2
from markupsafe import Markup

from adapters.reports import charts, tables
from bot.i18n import Translator
from bot.reports.model import Report
from bot.reports.summary import one_decimal, percent

TEMPLATE = "report.html"


def report_context(tr: Translator, report: Report, made_at: datetime) -> dict[str, object]:
    """What the template needs, also for the dashboard's page."""
    drawn = charts.charts(tr, report)
    return {
        "report": report,
        "sessions": tables.sessions(tr, report),
        "totals": tables.totals(tr, report),
        # The last of the totals says whom they count: a sentence above them.
        "totals_rows": tables.totals(tr, report)[1][:-1],
        "basis": tables.basis_sentence(tr, report.basis),
        "charts": [(c, Markup(c.svg)) for c in drawn],
        "percent": percent,
        "one_decimal": one_decimal,
        "question": lambda text: tables.question(tr, text),
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
