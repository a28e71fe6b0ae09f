"""The engagement page in a real browser: a chart and its table, the chart drawn under
the site's own Content-Security-Policy, axe in English and Spanish. Screenshots go to
tests/web/screenshots/ (dashboard-engagement*.png)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page

from adapters.web import web_application
from storage import Storage
from tests.core.test_resources import setup
from tests.harness import Harness
from tests.web.browser import chromium, page_in, screenshot, serious_violations
from tests.web.dashboard_support import dashboard_harness, link_for
from tests.web.engagement_support import seed
from tests.web.support import app_of


@asynccontextmanager
async def served(storage: Storage) -> AsyncIterator[tuple[str, Browser, Harness]]:
    harness, _ = dashboard_harness(storage)
    await setup(harness)
    await seed(storage)
    app = app_of(harness)
    server = TestServer(web_application(app, app.config.web))
    await server.start_server()
    try:
        async with chromium() as browser:
            yield str(server.make_url("")).rstrip("/"), browser, harness
    finally:
        await server.close()


async def signed_in_to_engagement(page: Page, base: str, harness: Harness) -> None:
    await page.goto(base + await link_for(harness))
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/dashboard/review")
    await page.get_by_role("link", name="Engagement at a glance").click()
    await page.wait_for_url("**/dashboard/engagement")


async def test_a_chart_and_its_table(sqlite: Storage) -> None:
    # No CSP bypass here (axe=False): the chart must draw under the page's own policy.
    async with served(sqlite) as (base, browser, harness), page_in(browser, axe=False) as page:
        await signed_in_to_engagement(page, base, harness)
        section = page.get_by_role("region", name="Answers per session")
        chart = section.get_by_role("img")
        assert "Office hours (2026-02-20): Will attend 2" in (
            await chart.get_attribute("alt") or ""
        )
        assert await chart.evaluate("image => image.complete && image.naturalWidth > 300")
        table = section.get_by_role("table", name="Answers per session")
        row = table.get_by_role("row", name="Office hours (2026-02-20)")
        assert await row.locator("td").all_inner_texts() == ["2", "1", "1"]
        headers = await table.get_by_role("columnheader").all_inner_texts()
        assert headers == ["Session", "Will attend", "Might attend", "Won't attend"]
        async with page.expect_download() as download:
            await section.get_by_role("link", name="Download these numbers (CSV)").click()
        saved = await (await download.value).path()
        assert saved.read_text(encoding="utf-8").splitlines()[1] == (
            "Office hours (2026-02-20),2,1,1"
        )


async def test_the_engagement_page_passes_axe_in_english_and_spanish(sqlite: Storage) -> None:
    found: dict[str, list[str]] = {}
    async with served(sqlite) as (base, browser, harness), page_in(browser) as page:
        await signed_in_to_engagement(page, base, harness)
        found["dashboard-engagement"] = await serious_violations(page)
        await screenshot(page, "dashboard-engagement")
        await page.goto(base + "/dashboard/engagement?lang=es")
        assert await page.locator("h1").inner_text() == "Participación de un vistazo"
        found["dashboard-engagement-es"] = await serious_violations(page)
        await screenshot(page, "dashboard-engagement-es")
    assert {name: v for name, v in found.items() if v} == {}
