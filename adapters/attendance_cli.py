"""`coalition-bot meetings import-attendance`: a Zoom or Teams participants file as attendance.

Operator-facing, like adapters/members_cli.py: one sentence per problem, no
traceback, a non-zero exit when the file is refused. The file is recorded in one
transaction, so a problem leaves nothing half-imported.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bot.attendance.importing import ImportReport, import_attendance
from bot.attendance.reading import AttendanceFileProblem, decode, read_participants
from bot.config import Config, Secrets
from bot.options import ID_MAX
from storage import Storage
from storage.problems import DatabaseProblem, checked_url, explain, missing_file

T = TypeVar("T")


def add_commands(commands: Any) -> None:
    meetings = commands.add_parser("meetings", help="meetings' attendance from call software")
    sub = meetings.add_subparsers(metavar="MEETINGS_COMMAND", required=True)
    importing = sub.add_parser(
        "import-attendance",
        help="mark present the members in a participants file from Zoom or Teams",
    )
    importing.add_argument(
        "file", metavar="FILE", help="Zoom's participants CSV or Teams' attendance list"
    )
    importing.add_argument(
        "--meeting", required=True, type=_meeting_id, metavar="ID", help="the meeting's number"
    )
    importing.add_argument(
        "--occurrence", required=True, metavar="DATE", help="the meeting's date, YYYY-MM-DD"
    )
    importing.add_argument(
        "--dry-run", action="store_true", help="say what would happen, and write nothing"
    )
    importing.set_defaults(handler=_import)


def _meeting_id(text: str) -> int:
    """A meeting number, or argparse's one-line refusal: a number too large for the
    database's integers ended in an OverflowError traceback."""
    number = int(text) if text.strip().isdigit() else 0
    if not 1 <= number <= ID_MAX:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a meeting number: give the number /coalition meeting list shows"
        )
    return number


def _members(count: int) -> str:
    return "member" if count == 1 else "members"


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _import(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        print(f"Could not read {args.file}: {error.strerror}.", file=sys.stderr)
        return 1
    try:
        participants = read_participants(decode(data)).participants
        if not participants:
            raise AttendanceFileProblem(f"{args.file} lists no participants under its header.")

        async def work(storage: Storage) -> ImportReport:
            async with storage.unit_of_work() as uow:
                report = await import_attendance(
                    uow,
                    args.meeting,
                    args.occurrence,
                    participants,
                    datetime.now(UTC),
                    dry_run=args.dry_run,
                )
                if not args.dry_run:
                    await uow.commit()
            return report

        report = _on_database(config, secrets, work)
    except AttendanceFileProblem as problem:
        print(f"Nothing was imported. {problem}", file=sys.stderr)
        return 1
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    _say(report, args)
    return 0


def _say(report: ImportReport, args: argparse.Namespace) -> None:
    verb = "would be" if args.dry_run else ("was" if report.added == 1 else "were")
    people = len(report.matched)
    head = "Dry run, nothing written: " if args.dry_run else ""
    print(
        f"{head}{report.title} on {args.occurrence}: {people} {_members(people)} matched, "
        f"{report.added} {verb} newly marked present."
    )
    if report.repeated:
        print(
            f"  {_rows(report.repeated)} {'repeats' if report.repeated == 1 else 'repeat'} "
            "someone already counted (they joined again)."
        )
    for matched in report.matched:
        print(f"  Row {matched.row}: {matched.name}")
    unmatched = len(report.unmatched) + len(report.ambiguous)
    if unmatched:
        print(
            f"{_rows(unmatched)} {'was' if unmatched == 1 else 'were'} not matched and not "
            "marked (guests, or names that differ): mark those people with "
            f"/coalition meeting attendance id={args.meeting} occurrence={args.occurrence} "
            "members=@name"
        )
    for row, said in report.unmatched:
        print(f"  Row {row}: {said}: no member has this email or name.")
    for row, said, names in report.ambiguous:
        print(f"  Row {row}: {said}: could be {' or '.join(names)}; not guessed.")


def _on_database(config: Config, secrets: Secrets, work: Callable[[Storage], Awaitable[T]]) -> T:
    """Run `work` on the bot's existing database, brought up to date first."""
    url = checked_url(config.database.url, secrets.database_password)
    missing_file(url)  # a meeting must exist: a new empty database cannot have it
    storage = Storage(url)

    async def go() -> T:
        try:
            await storage.upgrade()
            return await work(storage)
        except (DatabaseProblem, AttendanceFileProblem):
            raise
        except Exception as error:
            sentence = explain(error, url)
            if sentence is None:
                raise
            raise DatabaseProblem(sentence) from None
        finally:
            await storage.dispose()

    return asyncio.run(go())
