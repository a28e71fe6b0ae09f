"""`coalition-bot members import` and `members invitations`: onboarding from a roster.

Operator-facing, like adapters/cli.py: one sentence per problem, no traceback, and a
non-zero exit when something is refused. A roster is imported whole or not at all.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

from bot.config import Config, Secrets
from bot.roster.importing import Outcome, Planned, apply_import, plan_import, summary
from bot.roster.reading import RosterProblem, RosterReading, decode, parse_map, read_roster
from storage import Storage
from storage.problems import DatabaseProblem, checked_url, explain, missing_file

T = TypeVar("T")
# Files longer than this say how far the import has gone.
PROGRESS_FROM = 2000


def add_commands(commands: Any) -> None:
    members = commands.add_parser("members", help="invite people from the coalition's roster")
    sub = members.add_subparsers(metavar="MEMBERS_COMMAND", required=True)
    importing = sub.add_parser(
        "import", help="make invitation codes from a roster spreadsheet saved as CSV"
    )
    importing.add_argument("file", metavar="FILE.csv", help="the roster, one row per person")
    importing.add_argument(
        "--map",
        metavar="FIELD=Header,...",
        help="which column holds what, such as name=Full Name,org=Agency "
        "(fields: name, email, organization, discipline, region, jurisdiction)",
    )
    importing.add_argument(
        "--output",
        metavar="PATH",
        help="the CSV of codes for a mail merge (default: FILE.invitations.csv)",
    )
    importing.add_argument(
        "--dry-run", action="store_true", help="say what would happen, and write nothing"
    )
    importing.set_defaults(handler=_import)
    waiting = sub.add_parser("invitations", help="list the invited people who have not joined")
    waiting.set_defaults(handler=_invitations)


def _read(args: argparse.Namespace, config: Config) -> RosterReading:
    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        raise RosterProblem(f"Could not read {args.file}: {error.strerror}.") from None
    return read_roster(decode(data), config.lists, parse_map(args.map))


def _import(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    try:
        reading = _read(args, config)
    except RosterProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    if reading.problems:
        total = len(reading.problems) + len(reading.entries)
        print(
            f"Nothing was imported: {len(reading.problems)} of {total} rows are refused. "
            "Correct them in the spreadsheet and import the whole file again.",
            file=sys.stderr,
        )
        for row, sentence in reading.problems:
            print(f"  Row {row}: {sentence}.", file=sys.stderr)
        return 1
    output = Path(args.output or Path(args.file).with_suffix(".invitations.csv"))
    try:
        planned = _on_database(config, secrets, lambda s: _plan(s, reading, args.dry_run))
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    counts = summary(planned)
    said = ", ".join(f"{counts[o]} {o.value}" for o in Outcome)
    if args.dry_run:
        print(f"Dry run, nothing written: {len(planned)} rows would give {said}.")
        for p in planned:
            if p.outcome in (Outcome.NEW, Outcome.UPDATED):
                print(f"  Row {p.row}: {p.entry.name} <{p.entry.email}> would be {p.outcome}.")
        return 0
    try:
        _write_codes(output, planned)
    except OSError as error:
        print(
            f"The invitations are saved, but {output} could not be written ({error.strerror}): "
            "import again with another --output to get the codes.",
            file=sys.stderr,
        )
        return 1
    print(f"Imported {len(planned)} rows: {said}. Codes for a mail merge: {output}")
    return 0


async def _plan(storage: Storage, reading: RosterReading, dry_run: bool) -> list[Planned]:
    show = _progress(len(reading.entries))
    async with storage.unit_of_work() as uow:
        planned = await plan_import(uow.invitations, reading.entries, show)
        if not dry_run:
            await apply_import(uow.invitations, planned, at=datetime.now(UTC))
            await uow.commit()
    return planned


def _progress(total: int) -> Callable[[int], None] | None:
    if total < PROGRESS_FROM:
        return None

    def show(done: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r  {done} of {total} rows", end=end, file=sys.stderr, flush=True)

    return show


def _write_codes(output: Path, planned: Sequence[Planned]) -> None:
    # With a byte order mark, so Excel reads the names' accents as UTF-8.
    with output.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("row", "name", "email", "code", "status"))
        for p in planned:
            writer.writerow((p.row, p.entry.name, p.entry.email, p.code, p.outcome.value))


def _invitations(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    async def go(storage: Storage) -> list[str]:
        async with storage.unit_of_work() as uow:
            waiting = await uow.invitations.pending()
        return [
            f"  {i.entry.name} <{i.entry.email}>, {i.entry.organization or '-'}: code {i.code}, "
            f"invited {i.created_at:%Y-%m-%d}"
            for i in waiting
        ]

    try:
        lines = _on_database(config, secrets, go, create=False)
    except DatabaseProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    if not lines:
        print("Everyone invited has joined (or nobody was invited yet).")
        return 0
    print(f"{len(lines)} invited people have not joined yet:")
    print("\n".join(lines))
    return 0


def _on_database(
    config: Config,
    secrets: Secrets,
    work: Callable[[Storage], Awaitable[T]],
    *,
    create: bool = True,
) -> T:
    """Run `work` on an up-to-date database, with no platform and no scheduler."""
    url = checked_url(config.database.url, secrets.database_password)
    if not create:
        missing_file(url)
    storage = Storage(url)

    async def go() -> T:
        try:
            await storage.upgrade()
            return await work(storage)
        except DatabaseProblem:
            raise
        except IntegrityError:
            # Another import wrote the same email or code between our reading and writing.
            raise DatabaseProblem(
                "The invitations changed while this import ran (another import at the same "
                "time?). Nothing was saved: run the import again."
            ) from None
        except Exception as error:
            sentence = explain(error, url)
            if sentence is None:
                raise
            raise DatabaseProblem(sentence) from None
        finally:
            await storage.dispose()

    return asyncio.run(go())
