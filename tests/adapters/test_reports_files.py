"""`coalition-bot report sessions` on a SQLite file: the CSV, the workbook (read back with
openpyxl) and the HTML file hold the known figures, no names, text escaped; bad input
gets a sentence."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from adapters.cli import main
from storage import Storage
from storage.database import database_url
from tests.harness import Harness
from tests.reports_data import known_sessions

NAMES = ("María", "Maria", "Lee Park", "Sam Hidden", "Ana Torres", "Dana", "Cora")
REPORT = ["report", "sessions", "--from", "2026-03-01", "--to", "2026-03-31"]


@pytest.fixture
async def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Path]:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "COALITION_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("COALITION_DATABASE_URL", url)
    storage = Storage(database_url(url))
    await storage.upgrade()
    try:
        harness = Harness(storage)
        await known_sessions(harness)
        # A department whose name is markup, and an answer that looks like a formula.
        await harness.join("eve", "Eve Script", organization="<script>alert(1)</script> & Co $x$")
        async with storage.unit_of_work() as uow:
            from bot.attendance.model import Source
            from tests.reports_data import AT, MARCH_12

            await uow.attendance.mark(1, MARCH_12, [7], Source.IMPORT, AT)
            await uow.commit()
    finally:
        await storage.dispose()
    yield tmp_path


async def run(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def test_the_csv_holds_every_figure(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run(*REPORT, "--format", "csv", "--output", "r.csv") == 0
    assert (
        "Wrote r.csv: 5 sessions from 2026-03-01 to 2026-03-31, 5 participants from 4 organizations."
        in capsys.readouterr().out
    )
    text = (workdir / "r.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    totals = {r[0]: r[1] for r in rows[2:17] if len(r) == 2}
    assert totals["Unique participants"] == "5"
    assert totals["Returning participants (two sessions or more)"] == "1"
    assert totals["Unique organizations"] == "4"
    assert totals["Regions"] == "Midwest; Southwest; West"
    assert totals["Response rate (%)"] == "50.0"
    assert totals["Average usefulness (1-5)"] == "4.0"
    at = rows.index(["Sessions"])
    assert rows[at + 1][:3] == ["Date", "Moved from", "Session"]
    assert rows[at + 2] == [
        "2026-03-05",
        "",
        "Office hours",
        "1",
        "2",
        "1",
        "1",
        "3",
        "2",
        "2",
        "3",
        "2",
        "66.7",
        "4.5",
    ]
    assert rows[at + 4] == [
        "2026-03-12",
        "",
        "Office hours",
        "1",
        "2",
        "0",
        "0",
        "3",
        "3",
        "2",
        "2",
        "0",
        "0.0",
        "",
    ]
    # The weeks nobody answered were held: listed with zeros, no rate, no average.
    assert rows[at + 5] == ["2026-03-19", "", "Office hours", "1", *["0"] * 8, "", ""]
    # 03-26 moved to the Friday: on the day it took place, beside the date it was scheduled for.
    assert rows[at + 6] == ["2026-03-27", "2026-03-26", "Office hours", "1", *["0"] * 8, "", ""]
    assert [
        "2026-03-10",
        "Data workshop",
        "What will you use in your work?",
        "Named & shared",
    ] in rows
    for name in NAMES:
        assert name not in text


async def test_the_workbook_reads_back_with_numbers_and_text(workdir: Path) -> None:
    assert await run(*REPORT, "--format", "xlsx", "--output", "r.xlsx") == 0
    book = load_workbook(workdir / "r.xlsx")
    assert book.sheetnames == ["Totals", "Sessions", "Organizations", "Usefulness", "Answers"]
    sessions = [list(r) for r in book["Sessions"].iter_rows(values_only=True)]
    assert sessions[0][:3] == ["Date", "Moved from", "Session"]
    assert sessions[1] == [
        "2026-03-05",
        None,  # not moved: an empty cell
        "Office hours",
        1,
        2,
        1,
        1,
        3,
        2,
        2,
        3,
        2,
        66.7,
        4.5,
    ]
    assert sessions[5][:3] == ["2026-03-27", "2026-03-26", "Office hours"]
    assert [list(r) for r in book["Usefulness"].iter_rows(values_only=True)][1:] == [
        [1, 0],
        [2, 0],
        [3, 1],
        [4, 1],
        [5, 1],
    ]
    organizations = [list(r) for r in book["Organizations"].iter_rows(values_only=True)]
    assert organizations[1] == ["Alameda County Public Health", 2]
    assert ["<script>alert(1)</script> & Co $x$", 1] in organizations
    answers = [r for sheet in book for r in sheet.iter_rows(values_only=True)]
    assert not any(name in str(v) for r in answers for v in r for name in NAMES)


async def test_the_html_is_one_escaped_file_with_accessible_charts(workdir: Path) -> None:
    assert await run(*REPORT, "--output", "r.html") == 0
    page = (workdir / "r.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "More on &lt;data&gt;" in page and "Named &amp; shared" in page
    assert not re.search(r"(src|href)=\"?(https?:)?//", page)  # nothing to fetch
    for key in ("attendance", "organizations", "usefulness"):
        assert f'<svg role="img" aria-labelledby="{key}-caption"' in page
        assert f'<figcaption id="{key}-caption">' in page
    assert page.count("<figure") == 3 and "The chart&#39;s numbers" in page
    assert "recorded as attending" in page and "names nobody" in page
    # The moved session's scheduled date beside its date, in the sessions table.
    assert "<td>2026-03-27 (moved from 2026-03-26)</td><td>Office hours</td>" in page
    assert '<th scope="col">Moved from</th>' not in page  # no column of dashes
    for name in NAMES:
        assert name not in page


async def test_bad_input_is_a_sentence_and_a_failure(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run("report", "sessions", "--from", "2026-03-31", "--to", "2026-03-01") == 2
    said = capsys.readouterr().err
    assert "would start on 2026-03-31, after it ends on 2026-03-01" in said
    assert "coalition-bot report sessions --from 2026-01-01 --to 2026-03-31" in said
    assert await run(*REPORT, "--series", "99") == 2
    assert "There is no meeting 99" in capsys.readouterr().err
    assert await run("report", "sessions", "--to", "2026-02-30") == 2
    assert (
        "--to 2026-02-30 is not a date I can read: write it as YYYY-MM-DD"
        in capsys.readouterr().err
    )
    assert await run("report", "sessions", "--from", "2020-01-01", "--to", "2020-02-01") == 2
    assert "No session was held between 2020-01-01 and 2020-02-01" in capsys.readouterr().err
    assert not await asyncio.to_thread(lambda: list(workdir.glob("sessions-*")))


async def test_the_report_speaks_the_language_asked_for(workdir: Path) -> None:
    assert await run(*REPORT, "--language", "es", "--output", "es.html") == 0
    page = (workdir / "es.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "Informe de sesiones" in page
    assert "Participantes únicos" in page and "What will you use in your work?" not in page
    assert "<td>2026-03-27 (movida del 2026-03-26)</td><td>Office hours</td>" in page
    assert await run(*REPORT, "--language", "es", "--format", "xlsx", "--output", "es.xlsx") == 0
    sheet = load_workbook(workdir / "es.xlsx").worksheets[1]
    spanish = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert spanish[0][:3] == ["Fecha", "Movida desde", "Sesión"]
    assert spanish[5][:3] == ["2026-03-27", "2026-03-26", "Office hours"]
