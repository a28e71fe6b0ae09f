"""The engagement page: its figures counted by each database, exactly; each chart drawn
with its table and CSV; members only as counts; kept drawings; Spanish."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import re

from adapters.web.charts import Drawings, draw, shown
from adapters.web.dashboard_engagement import COUNTED, DRAWINGS, FRESH_FOR
from bot.dashboard.engagement import engagement, months_until, window_start
from bot.i18n import translator
from storage import Storage
from tests.core.test_resources import setup
from tests.harness import START
from tests.web.dashboard_support import dashboard_harness, link_for, sign_in
from tests.web.engagement_support import EXPECTED, HIDDEN_NAME, seed
from tests.web.support import web_client


async def test_the_figures_are_counted_exactly_on_each_database(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await setup(harness)
    await seed(storage)
    async with storage.unit_of_work() as uow:
        charts = await engagement(uow.engagement, START, harness.config.lists.resource_types)
    for found, wanted in zip(charts, EXPECTED, strict=True):
        assert found == wanted, found.key


async def test_an_empty_coalition_has_charts_with_nothing_to_count(sqlite: Storage) -> None:
    async with sqlite.unit_of_work() as uow:
        charts = await engagement(uow.engagement, START, ("toolkit",))
    assert all(chart.empty for chart in charts)
    assert [row.label for row in charts[3].rows][-1] == "2026-03"


def test_the_months_run_back_across_a_new_year() -> None:
    assert months_until(START, 4) == ("2025-12", "2026-01", "2026-02", "2026-03")
    assert window_start(START, 4).isoformat() == "2025-12-01T00:00:00+00:00"


async def test_the_page_shows_each_chart_with_its_table_and_csv(sqlite: Storage) -> None:
    harness, _ = dashboard_harness(sqlite)
    await setup(harness)
    await seed(sqlite)
    async with web_client(harness) as client:
        refused = await client.get("/dashboard/engagement")
        assert refused.status == 401
        assert "Members by region" not in await refused.text()
        await sign_in(client, await link_for(harness))
        response = await client.get("/dashboard/engagement")
        page = await response.text()
        assert response.status == 200
        assert page.count("<figure>") == 8 and page.count("<table>") == 8
        assert page.count('src="data:image/svg+xml;base64,') == 8
        assert '<th scope="row">Not listed in the directory</th><td>1</td>' in page
        assert (
            '<th scope="row">Office hours (2026-02-20)</th><td>2</td><td>1</td><td>1</td>' in page
        )
        assert HIDDEN_NAME not in page and "Secret Org" not in page
        drawings = client.app[DRAWINGS]
        assert drawings.drawn == 8
        await client.get("/dashboard/engagement")
        assert drawings.drawn == 8  # the same data: the kept drawings
        reply = await client.get("/dashboard/engagement/organizations.csv")
        assert reply.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert "engagement-organizations.csv" in reply.headers["Content-Disposition"]
        assert list(csv.reader(io.StringIO(await reply.text()))) == [
            ["Organization", "Members"],
            ["County A", "2"],
            ["County B", "2"],
            ["Admin Health Department", "1"],
            ["Dana Reyes Health Department", "1"],
            ["Maria Lopez Health Department", "1"],
            ["Not listed in the directory", "1"],
        ]
        suggested = await (await client.get("/dashboard/engagement/suggested.csv")).text()
        rows = list(csv.reader(io.StringIO(suggested)))
        assert rows[0] == ["Month", "policy", "research", "toolkit"]
        assert rows[-2:] == [["2026-02", "1", "0", "1"], ["2026-03", "0", "0", "0"]]
        assert len(rows) == 13
        missing = await client.get("/dashboard/engagement/nothing.csv")
        assert missing.status == 404


async def test_the_page_and_csv_in_spanish(sqlite: Storage) -> None:
    harness, _ = dashboard_harness(sqlite)
    await setup(harness)
    await seed(sqlite)
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        page = await (await client.get("/dashboard/engagement?lang=es")).text()
        assert "<h1>Participación de un vistazo</h1>" in page
        assert "Miembros por región" in page and "No figura en el directorio" in page
        regions = await (await client.get("/dashboard/engagement/regions.csv?lang=es")).text()
        assert regions.splitlines() == ["Región,Miembros", "West,4", "Midwest,3", "Sin indicar,1"]


async def test_a_signed_out_csv_is_refused(sqlite: Storage) -> None:
    harness, _ = dashboard_harness(sqlite)
    await setup(harness)
    async with web_client(harness) as client:
        response = await client.get("/dashboard/engagement/regions.csv")
        assert response.status == 401
        assert "Members" not in await response.text()


def test_the_svg_has_a_title_and_a_description_of_its_numbers() -> None:
    chart = shown(EXPECTED[4], translator("en"))
    svg = draw(chart)
    assert '<svg role="img" aria-labelledby="t d" ' in svg
    assert '<title id="t">Answers per session</title>' in svg
    assert "Office hours (2026-02-20): Will attend 2, Might attend 1, Won't attend 1" in svg
    assert "http" not in re.sub(
        r'xmlns(:\w+)?="[^"]+"|<metadata>.*?</metadata>', "", svg, flags=re.S
    )
    assert draw(chart) == svg  # the same data draws the same bytes


async def test_a_drawing_is_kept_by_what_it_shows() -> None:
    drawings = Drawings(kept=1)
    english, spanish = (shown(EXPECTED[0], translator(lang)) for lang in ("en", "es"))
    first = await drawings.data_uri(english)
    assert await drawings.data_uri(english) == first and drawings.drawn == 1
    other = await drawings.data_uri(spanish)
    assert "Miembros por región" in base64.b64decode(other.split(",", 1)[1]).decode()
    await drawings.data_uri(english)
    assert drawings.drawn == 3  # only one kept: English was forgotten for Spanish


def test_a_csv_cell_that_looks_like_a_formula_stays_text() -> None:
    from adapters.web.charts import as_csv
    from bot.dashboard.engagement import Chart, Row

    chart = shown(
        Chart(
            "organizations",
            "Members by organization",
            "Organization",
            ("Members",),
            (Row("=HYPERLINK(1)", (1,)),),
        ),
        translator("en"),
    )
    assert as_csv(chart).splitlines()[1] == "'=HYPERLINK(1),1"


async def test_readers_arriving_together_wait_for_one_drawing() -> None:
    drawings = Drawings()
    chart = shown(EXPECTED[0], translator("en"))
    found = await asyncio.gather(*(drawings.data_uri(chart) for _ in range(5)))
    assert len(set(found)) == 1 and drawings.drawn == 1


async def test_the_figures_are_counted_again_after_a_minute(sqlite: Storage) -> None:
    harness, _ = dashboard_harness(sqlite)
    await setup(harness)
    async with web_client(harness) as client:
        await sign_in(client, await link_for(harness))
        page = await (await client.get("/dashboard/engagement")).text()
        # No answers, resources or discussions yet: those say so, with no empty chart.
        assert page.count("Nothing to count yet.") == 4 and page.count("<figure>") == 4
        before = await (await client.get("/dashboard/engagement/regions.csv")).text()
        assert before.splitlines()[1:] == ["West,3"]
        await harness.join("zoe", "Zoe Park", region="Midwest")
        still = await (await client.get("/dashboard/engagement/regions.csv")).text()
        assert still == before  # counted less than a minute ago
        client.app[COUNTED].at -= FRESH_FOR + 1
        after = await (await client.get("/dashboard/engagement/regions.csv")).text()
        assert after.splitlines()[1:] == ["West,3", "Midwest,1"]
