"""`coalition-bot report sessions`: the funders' report as a CSV, Excel or HTML file.

Operator-facing, like adapters/attendance_cli.py: one sentence per problem, no
traceback, a non-zero exit on bad input. The report is the chat's (bot/reports/),
in the coalition's language (`language` in config.toml) unless --language says.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from adapters.attendance_cli import _on_database
from bot.config import Config, Secrets
from bot.errors import UserError
from bot.i18n import Translator, available_languages, translator
from bot.messages import say
from bot.reports.build import build_report, no_sessions, period_of
from bot.reports.model import Period, Report
from storage import Storage
from storage.problems import DatabaseProblem

FORMATS = ("csv", "xlsx", "html")


def add_commands(commands: Any) -> None:
    report = commands.add_parser("report", help="reports for funders")
    sub = report.add_subparsers(metavar="REPORT_COMMAND", required=True)
    sessions = sub.add_parser(
        "sessions",
        help="sessions over a period: answers, attendance, organizations, evaluations, charts",
    )
    sessions.add_argument(
        "--from",
        dest="since",
        metavar="DATE",
        help="first day, YYYY-MM-DD (default: 90 days before --to)",
    )
    sessions.add_argument(
        "--to", dest="until", metavar="DATE", help="last day, YYYY-MM-DD (default: today)"
    )
    sessions.add_argument("--series", type=int, metavar="ID", help="only this meeting's sessions")
    sessions.add_argument(
        "--format", choices=FORMATS, default="html", help="html (default), csv or xlsx"
    )
    sessions.add_argument(
        "--output",
        metavar="FILE",
        help="where to write it (default: sessions-FROM-TO.FORMAT here; - for the screen)",
    )
    sessions.add_argument(
        "--language",
        choices=sorted(available_languages()),
        help="the report's language (default: the config's)",
    )
    sessions.set_defaults(handler=_sessions)


class BadInput(Exception):
    pass


def _day(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            f"{flag} {text} is not a date I can read: write it as YYYY-MM-DD, for example {flag} 2026-03-31."
        ) from None


def _sessions(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    tr = translator(args.language or config.coalition.language)
    now = datetime.now(UTC)
    try:
        period = period_of(
            now.date(), _day(args.since, "--from"), _day(args.until, "--to"), args.series
        )

        async def work(storage: Storage) -> Report:
            async with storage.unit_of_work() as uow:
                return await build_report(uow, period, now)

        report = _on_database(config, secrets, work)
        if not report.sessions:
            raise no_sessions(period)
    except BadInput as problem:
        print(problem, file=sys.stderr)
        return 2
    except UserError as error:
        print(_sentence(tr, error, args), file=sys.stderr)
        return 2
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    content = render(tr, report, args.format, now)
    output = args.output or f"sessions-{period.since}-{period.until}.{args.format}"
    if output == "-":
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)
        return 0
    try:
        Path(output).write_bytes(
            content if isinstance(content, bytes) else _encoded(content, args.format)
        )
    except OSError as error:
        print(
            f"Could not write {output}: {error.strerror}. Give another --output.", file=sys.stderr
        )
        return 1
    print(_done(report, period, output))
    return 0


def render(tr: Translator, report: Report, format: str, now: datetime) -> str | bytes:
    # Imported here: openpyxl, matplotlib and the web's templates load only for a report.
    from adapters.reports import files, html
    from adapters.web.pages import environment

    if format == "csv":
        return files.to_csv(tr, report)
    if format == "xlsx":
        return files.to_xlsx(tr, report)
    return html.to_html(environment(), tr, report, now)


def _encoded(text: str, format: str) -> bytes:
    # A CSV with a byte order mark, so Excel reads accents as UTF-8.
    return text.encode("utf-8-sig" if format == "csv" else "utf-8")


def _sentence(tr: Translator, error: UserError, args: argparse.Namespace) -> str:
    """The core's sentence, with the chat's option names as this command's flags."""
    text = say(tr(error.msgid, **error.values)).fallback_text()
    text = text.replace(
        "/coalition report sessions start=", "coalition-bot report sessions --from "
    )
    text = text.replace(" end=", " --to ")
    text = text.replace(
        "a start date on or before the end date", "a --from date on or before the --to date"
    )
    return text


def _done(report: Report, period: Period, output: str) -> str:
    t = report.totals
    return (
        f"Wrote {output}: {len(report.sessions)} sessions from {period.since} to {period.until}, "
        f"{t.participants} participants from {len(t.organizations)} organizations."
    )
