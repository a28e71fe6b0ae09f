"""The sessions report on the dashboard: the command line's HTML report for a chosen
period, built by the same core (bot/reports/), with links to its CSV, Excel and
HTML files.

The charts are drawn in a worker thread (matplotlib takes a second for a long
period) and shown as images: the dashboard's Content-Security-Policy refuses inline
styles, which an inline SVG from matplotlib is full of.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from aiohttp import web

from adapters.reports import files, html
from adapters.web.dashboard_access import outside, signed_in
from adapters.web.pages import reader_language, render, site
from bot.errors import UserError
from bot.i18n import Translator, translator
from bot.messages import say
from bot.reports.build import build_report, no_sessions, period_of
from bot.reports.model import Period, Report

FORMATS = {
    "csv": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "html": ("text/html", "html"),
}


class BadQuery(Exception):
    pass


def _day(tr: Translator, text: str) -> date | None:
    text = text.strip()[:40]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadQuery(
            tr.plain(
                "{value} is not a date: give dates as YYYY-MM-DD, for example 2026-03-31.",
                value=text,
            )
        ) from None


def _series(tr: Translator, text: str) -> int | None:
    text = text.strip()[:20]
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**31:
        raise BadQuery(
            tr.plain(
                "{value} is not a meeting number: leave it empty for every meeting, or give a number such as 3.",
                value=text,
            )
        )
    return int(text)


async def _report(request: web.Request, tr: Translator) -> tuple[Period, Report]:
    app = site(request).app
    query = request.query
    now = app.clock.now()
    period = period_of(
        now.date(),
        _day(tr, query.get("from", "")),
        _day(tr, query.get("to", "")),
        _series(tr, query.get("series", "")),
    )
    async with app.storage.reading() as uow:
        report = await build_report(uow, period, now)
    if not report.sessions:
        raise no_sessions(period)
    return period, report


def _language(request: web.Request) -> Translator:
    return translator(reader_language(request, site(request).app.config.coalition.language))


async def reports_page(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    tr = _language(request)
    values: dict[str, Any] = {"problem": "", "period": None}
    try:
        period, report = await _report(request, tr)
    except BadQuery as problem:
        values["problem"] = str(problem)
    except UserError as error:
        values["problem"] = say(tr(error.msgid, **error.values)).fallback_text()
    else:
        made_at = site(request).app.clock.now()
        values.update(
            await asyncio.to_thread(html.report_context, tr, report, made_at, inline_svg=False)
        )
        values["period"] = period
        given = {"from": period.since.isoformat(), "to": period.until.isoformat()}
        if period.series is not None:
            given["series"] = str(period.series)
        values["given"] = given
    return render(
        request,
        "dashboard_reports.html",
        status=400 if values["problem"] and request.query else 200,
        typed={k: request.query.get(k, "")[:40] for k in ("from", "to", "series")},
        csrf=coordinator.csrf,
        me=coordinator.member.name,
        section="reports",
        **values,
    )


async def report_file(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    tr = _language(request)
    kind = request.match_info["format"]
    if kind not in FORMATS:
        raise web.HTTPNotFound()
    try:
        period, report = await _report(request, tr)
    except BadQuery as problem:
        return web.Response(status=400, text=str(problem))
    except UserError as error:
        return web.Response(status=400, text=say(tr(error.msgid, **error.values)).fallback_text())
    made_at = site(request).app.clock.now()
    if kind == "csv":
        body: bytes = ("\ufeff" + files.to_csv(tr, report)).encode()
    elif kind == "xlsx":
        body = await asyncio.to_thread(files.to_xlsx, tr, report)
    else:
        templates = site(request).templates
        text = await asyncio.to_thread(html.to_html, templates, tr, report, made_at)
        body = text.encode()
    content_type, suffix = FORMATS[kind]
    name = f"sessions-{period.since}-{period.until}.{suffix}"
    return web.Response(
        body=body,
        content_type=content_type,
        charset="utf-8" if kind != "xlsx" else None,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard/reports", reports_page, name="dashboard_reports")
    router.add_get(
        "/dashboard/reports/sessions.{format}", report_file, name="dashboard_report_file"
    )
