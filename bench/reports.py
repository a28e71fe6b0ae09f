"""The funders' report over 100 sessions, 20,000 answers and 5,000 evaluation answers.

Seeds the rows in bulk (10 weekly meetings of 10 sessions, 2,000 members from 300
departments; each session answered by 200 members, most of those going recorded
as attending; each evaluation sent to those going and answered 50 times, anonymous
for 8 meetings, named for 2), then times `build_report`, the one the chat, the
command line and the dashboard call, on SQLite and PostgreSQL (if reachable),
beside a baseline measured in the same run on the same rows: one plain
`SELECT count(*) FROM meeting_rsvps` in a transaction. The CSV, Excel and HTML
renderings (database-free) are timed once.

    python -m bench reports [--quick] [--sqlite-only] [--samples 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from bench.stats import peak_rss_mib, summary, timed
from bot.config import Config
from bot.i18n import translator
from bot.reports.build import build_report
from bot.reports.model import Period, Report
from storage import Storage
from storage.database import database_url
from storage.schema import (
    AttendanceRow,
    EvaluationAnonymousRow,
    EvaluationNamedRow,
    EvaluationOccurrenceRow,
    EvaluationRespondentRow,
    EvaluationRow,
    EvaluationSendRow,
    MeetingRow,
    MemberRow,
    RsvpRow,
)

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
FIRST = date(2026, 1, 8)  # a Thursday
QUESTIONS = json.dumps(
    [
        ["How useful was this session?", "scale"],
        ["What will you use in your work?", "text"],
        ["What should we cover next?", "text"],
    ]
)


class Size:
    def __init__(self, quick: bool) -> None:
        self.meetings = 2 if quick else 10
        self.per_meeting = 5 if quick else 10  # sessions of each meeting
        self.members = 400 if quick else 2000
        self.answering = 40 if quick else 200  # RSVPs per session
        self.evaluated = 10 if quick else 50  # evaluation answers per session

    @property
    def sessions(self) -> int:
        return self.meetings * self.per_meeting


async def _bulk(storage: Storage, table: Any, rows: list[dict[str, Any]]) -> None:
    async with storage.sessions() as session:
        for start in range(0, len(rows), 2000):
            await session.execute(insert(table), rows[start : start + 2000])
        await session.commit()


async def seed(storage: Storage, size: Size) -> None:
    rng = random.Random(7)
    lists = Config().lists
    members = []
    for n in range(1, size.members + 1):
        organization = f"County Health {n % 300}"
        members.append(
            {
                "id": n,
                "display_name": f"Member {n:05d}",
                "name_key": f"member {n:05d}",
                "organization": organization,
                "organization_key": organization.lower(),
                "jurisdiction": f"County {n % 150}",
                "discipline": rng.choice(lists.disciplines),
                "region": rng.choice(lists.regions),
                "timezone": "America/Chicago",
                "language": "en",
                "listed": rng.random() > 0.1,
                "status": "active",
                "role": "member",
                "joined_at": NOW,
                "updated_at": NOW,
            }
        )
    await _bulk(storage, MemberRow, members)
    meetings, evaluations = [], []
    for m in range(1, size.meetings + 1):
        meetings.append(
            {
                "id": m,
                "title": f"Learning session {m}",
                "start_local": f"{FIRST.isoformat()}T09:00",
                "timezone": "America/Chicago",
                "duration": 60,
                "channel": "general",
                "link": "",
                "agenda": "",
                # Ten dates, then the series ends: each held date has its rows.
                "rule": f"FREQ=WEEKLY;COUNT={size.per_meeting}",
                "created_at": NOW,
                "updated_at": NOW,
                "cancelled": False,
                "first_start": datetime(FIRST.year, FIRST.month, FIRST.day, 15, tzinfo=UTC),
                "last_end": datetime(FIRST.year, FIRST.month, FIRST.day, 16, tzinfo=UTC)
                + timedelta(weeks=size.per_meeting - 1),
            }
        )
        evaluations.append(
            {
                "id": m,
                "meeting_id": m,
                "anonymous": m > 2,
                "template": "default",
                "questions": QUESTIONS,
                "created_at": NOW,
            }
        )
    await _bulk(storage, MeetingRow, meetings)
    await _bulk(storage, EvaluationRow, evaluations)
    rsvps: list[dict[str, Any]] = []
    attended: list[dict[str, Any]] = []
    opened: list[dict[str, Any]] = []
    sends: list[dict[str, Any]] = []
    respondents: list[dict[str, Any]] = []
    anonymous: list[dict[str, Any]] = []
    named: list[dict[str, Any]] = []
    for m in range(1, size.meetings + 1):
        for week in range(size.per_meeting):
            day = (FIRST + timedelta(weeks=week)).isoformat()
            who = rng.sample(range(1, size.members + 1), size.answering)
            going = []
            for member_id in who:
                answer = rng.choices(["going", "maybe", "not_going"], [7, 2, 1])[0]
                key = {"meeting_id": m, "occurrence": day, "member_id": member_id}
                rsvps.append({**key, "answer": answer, "answered_at": NOW})
                if answer == "going":
                    going.append(member_id)
                    if rng.random() < 0.8:
                        attended.append({**key, "source": "checkin", "recorded_at": NOW})
            end = NOW
            opened.append(
                {
                    "evaluation_id": m,
                    "occurrence": day,
                    "ends_at": end,
                    "closes_at": end + timedelta(days=7),
                    "remind_at": end + timedelta(days=2),
                }
            )
            ekey = {"evaluation_id": m, "occurrence": day}
            sends += [
                {**ekey, "member_id": g, "claimed_by": "bench", "claimed_at": end, "sent_at": end}
                for g in going
            ]
            answering = going[: size.evaluated]
            given = [
                [str(rng.randint(1, 5)), rng.choice(["", "The toolkit", "Data sharing"]), ""]
                for _ in answering
            ]
            respondents += [{**ekey, "member_id": g} for g in answering]
            if m > 2:
                anonymous.append({**ekey, "answers": json.dumps(given)})
            else:
                named += [
                    {**ekey, "member_id": g, "answers": json.dumps(a)}
                    for g, a in zip(answering, given, strict=True)
                ]
    for table, rows in (
        (RsvpRow, rsvps),
        (AttendanceRow, attended),
        (EvaluationOccurrenceRow, opened),
        (EvaluationSendRow, sends),
        (EvaluationRespondentRow, respondents),
        (EvaluationAnonymousRow, anonymous),
        (EvaluationNamedRow, named),
    ):
        await _bulk(storage, table, rows)
    if storage.engine.dialect.name == "postgresql":
        async with storage.engine.connect() as connection:
            await connection.execute(text("ANALYZE"))
            await connection.commit()
    print(
        f"  seeded {size.sessions} sessions, {len(rsvps)} RSVPs, {len(attended)} attended, "
        f"{len(sends)} evaluations sent, {len(respondents)} answers"
    )


PERIOD = Period(FIRST, FIRST + timedelta(weeks=60))
# The report is made after the period: every session of it has ended.
MADE = datetime(2027, 6, 1, tzinfo=UTC)


async def build(storage: Storage) -> Report:
    async with storage.unit_of_work() as uow:
        return await build_report(uow, PERIOD, MADE)


async def measure(storage: Storage, size: Size, samples: int) -> Report:
    await seed(storage, size)

    async def count() -> None:
        async with storage.sessions() as session:
            await session.execute(text("SELECT count(*) FROM meeting_rsvps"))
            await session.commit()

    report = await build(storage)  # warm: the first statements are prepared
    assert len(report.sessions) == size.sessions, len(report.sessions)
    assert sum(s.going + s.maybe + s.declined for s in report.sessions) == (
        size.sessions * size.answering
    )
    assert report.responses == size.sessions * size.evaluated
    await count()
    builds = [await timed(lambda: build(storage)) for _ in range(samples)]
    baseline = [await timed(count) for _ in range(samples)]
    print(f"  baseline: SELECT count(*) FROM meeting_rsvps {summary(baseline)}")
    print(f"  report build (build_report)             {summary(builds)}")
    return report


async def render_times(report: Report) -> None:
    from adapters.reports import files, html
    from adapters.web.pages import environment

    tr = translator("en")
    templates = environment()
    for label, work in (
        ("csv", lambda: files.to_csv(tr, report)),
        ("xlsx", lambda: files.to_xlsx(tr, report)),
        ("html with charts", lambda: html.to_html(templates, tr, report, NOW)),
    ):

        async def once(work: Any = work) -> None:
            work()

        print(f"  render {label:<17} {summary([await timed(once) for _ in range(2)])}")


async def run(quick: bool, sqlite_only: bool, samples: int) -> None:
    size = Size(quick)
    print(
        f"reports benchmark: {size.sessions} sessions, {size.sessions * size.answering} RSVPs, "
        f"{size.sessions * size.evaluated} evaluation answers, {samples} samples"
    )
    with tempfile.TemporaryDirectory() as directory:
        storage = Storage(database_url(f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"))
        await storage.upgrade()
        print("SQLite (file, WAL)")
        report = await measure(storage, size, samples)
        await storage.dispose()
    if not sqlite_only:
        from tests.databases import postgres_problem, postgres_storage

        if postgres_problem() is None:
            async with postgres_storage() as pg:
                print("PostgreSQL")
                await measure(pg, size, samples)
        else:
            print(f"PostgreSQL skipped: {postgres_problem()}")
    print("Rendering (no database)")
    await render_times(report)
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench reports")
    parser.add_argument("--quick", action="store_true", help="10 sessions, 400 RSVPs: a smoke run")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args(argv)
    asyncio.run(run(args.quick, args.sqlite_only, args.samples))
