"""The dashboard's peer matching page in a real browser: reached from the nav by the
keyboard alone, axe on it in English and Spanish. Screenshots go to
tests/web/screenshots/ (dashboard-matching*.png)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser

from adapters.web import web_application
from storage import Storage
from tests.harness import Harness
from tests.web.browser import chromium, page_in, screenshot, serious_violations
from tests.web.matching_support import MATCHED, matched
from tests.web.support import app_of
from tests.web.test_dashboard_browser import tab_to
from tests.web.test_dashboard_meetings_browser import signed_in


@asynccontextmanager
async def served(storage: Storage) -> AsyncIterator[tuple[str, Browser, Harness]]:
    """A round held and half answered, the pages on a real loopback port, and a browser."""
    harness = await matched(storage)
    app = app_of(harness)
    server = TestServer(web_application(app, app.config.web))
    await server.start_server()
    try:
        async with chromium() as browser:
            yield str(server.make_url("")).rstrip("/"), browser, harness
    finally:
        await server.close()


async def test_the_keyboard_reaches_the_figures_from_the_nav(storage: Storage) -> None:
    async with served(storage) as (base, browser, harness), page_in(browser) as page:
        await signed_in(page, base, harness)
        focused = page.locator(":focus")
        await tab_to(page, lambda: focused.inner_text(), "Peer matching")
        await page.keyboard.press("Enter")
        await page.wait_for_url("**/dashboard/matching")
        table = page.get_by_role("table")
        row = [await c.inner_text() for c in await table.locator("tbody td").all()]
        assert row[2:] == ["1", "3", "2 of 3 (67%)", "1 (50%)"]
        main = await page.locator("main").inner_text()
        assert "4 members are in peer matching." in main and "1 of them is snoozed" in main
        assert not [name for name in MATCHED if name in main]
        current = page.locator("nav.dashboard [aria-current=page]")
        assert await current.inner_text() == "Peer matching"


async def test_the_matching_page_passes_axe_and_is_photographed(storage: Storage) -> None:
    found: dict[str, list[str]] = {}
    async with served(storage) as (base, browser, harness), page_in(browser) as page:
        await signed_in(page, base, harness)
        for name, path in {
            "dashboard-matching": "/dashboard/matching",
            "dashboard-matching-es": "/dashboard/matching?lang=es",
        }.items():
            await page.goto(base + path)
            found[name] = await serious_violations(page)
            await screenshot(page, name)
        assert "Intercambio entre pares" in await page.locator("h1").inner_text()
    assert {name: v for name, v in found.items() if v} == {}
