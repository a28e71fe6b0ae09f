"""The sessions report on the dashboard: the known figures for a chosen period, charts as
images with captions and their numbers, the files to download, no names, bad input in
sentences, and nothing for anyone signed out."""

from __future__ import annotations

import base64
import csv
import io
import re

from openpyxl import load_workbook

from storage import Storage
from tests.reports_data import AFTER, known_sessions
from tests.web.dashboard_support import dashboard_harness, link_for, sign_in
from tests.web.support import web_client

REPORTS = "/dashboard/reports"
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}
NAMES = ("María", "Lee Park", "Sam Hidden", "Ana Torres")


async def test_the_page_shows_the_report_for_the_period(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await known_sessions(harness)
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness, "cora"))
        response = await client.get(REPORTS, params=PERIOD)
        page = await response.text()
        files = {
            kind: await client.get(f"{REPORTS}/sessions.{kind}", params=PERIOD)
            for kind in ("csv", "xlsx", "html")
        }
        bodies = {kind: await r.read() for kind, r in files.items()}
    assert response.status == 200
    assert 'aria-current="page">Reports</a>' in page
    assert '<td>2026-03-05</td><td>Office hours</td><td class="number">1</td>' in page
    assert "More on &lt;data&gt;" in page and "Named &amp; shared" in page
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)">', page)
    assert len(images) == 3 and all(alt for _, alt in images)
    assert all(base64.b64decode(svg).startswith(b"<svg") for svg, _ in images)
    assert page.count("The chart&#39;s numbers") == 3 and "<svg" not in page
    for name in NAMES:
        assert name not in page and name.encode() not in b"".join(bodies.values())
    assert response.headers["Cache-Control"] == "no-store"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert all(r.status == 200 for r in files.values())
    assert (
        'filename="sessions-2026-03-01-2026-03-31.xlsx"'
        in files["xlsx"].headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(bodies["csv"].decode("utf-8-sig"))))
    assert ["Unique participants", "4"] in rows
    book = load_workbook(io.BytesIO(bodies["xlsx"]))
    assert book["Totals"]["B5"].value == 4  # From, To, Sessions, then participants
    assert b'<svg role="img"' in bodies["html"]


async def test_a_moved_session_shows_the_date_it_was_scheduled_for(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await known_sessions(harness)
    harness.clock.set(AFTER)  # every session of March has ended, 03-26 on 03-27
    spanish = {**PERIOD, "lang": "es"}
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness, "cora"))
        page = await (await client.get(REPORTS, params=PERIOD)).text()
        page_es = await (await client.get(REPORTS, params=spanish)).text()
        sheet = await (await client.get(f"{REPORTS}/sessions.csv", params=spanish)).read()
        workbook = await (await client.get(f"{REPORTS}/sessions.xlsx", params=PERIOD)).read()
    # Beside the date, in the sessions table and in the attendance chart's numbers.
    moved = "<td>2026-03-27 (moved from 2026-03-26)</td><td>Office hours</td>"
    assert page.count(moved) == 2, page
    assert "<td>2026-03-19</td><td>Office hours</td>" in page
    assert "<td>2026-03-27 (movida del 2026-03-26)</td><td>Office hours</td>" in page_es
    rows = list(csv.reader(io.StringIO(sheet.decode("utf-8-sig"))))
    assert ["Fecha", "Movida desde", "Sesión"] in [r[:3] for r in rows]
    assert ["2026-03-27", "2026-03-26", "Office hours"] in [r[:3] for r in rows]
    assert ["2026-03-19", "", "Office hours"] in [r[:3] for r in rows]
    sessions = list(load_workbook(io.BytesIO(workbook))["Sessions"].iter_rows(values_only=True))
    assert [r[:3] for r in sessions[-2:]] == [
        ("2026-03-19", None, "Office hours"),
        ("2026-03-27", "2026-03-26", "Office hours"),
    ]


async def test_bad_input_is_a_sentence_and_signed_out_sees_nothing(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await known_sessions(harness)
    async with web_client(harness) as client:
        outside = await client.get(REPORTS, params=PERIOD)
        assert outside.status == 401 and "Office hours" not in await outside.text()
        file = await client.get(f"{REPORTS}/sessions.csv", params=PERIOD)
        assert file.status == 401 and "Office hours" not in await file.text()
        await sign_in(client, await link_for(harness, "cora"))
        first = await client.get(REPORTS)
        assert first.status == 200  # the last 90 days: before these sessions
        assert "No session was held between" in await first.text()
        backwards = await client.get(REPORTS, params={"from": "2026-03-31", "to": "2026-03-01"})
        assert backwards.status == 400
        assert "after it ends on 2026-03-01" in await backwards.text()
        bad = await client.get(REPORTS, params={"from": "31/03/2026"})
        assert "31/03/2026 is not a date" in await bad.text()
        unknown = await client.get(REPORTS, params={**PERIOD, "series": "99"})
        assert "There is no meeting 99" in await unknown.text()
        wrong = await client.get(f"{REPORTS}/sessions.csv", params={**PERIOD, "series": "x"})
        assert wrong.status == 400 and "x is not a meeting number" in await wrong.text()
