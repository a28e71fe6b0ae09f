"""The dashboard in a real browser: sign in with a link from chat, approve and see the
chat's review post updated, the keyboard alone, axe on every dashboard page.
Screenshots go to tests/web/screenshots/ (dashboard-*.png)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page

from adapters.web import web_application
from storage import Storage
from tests.core.test_resources import FlakyPoster, suggest
from tests.harness import Harness
from tests.web.browser import chromium, page_in, screenshot, serious_violations
from tests.web.dashboard_support import dashboard_harness, link_for, queue_of_one
from tests.web.support import app_of

SECOND = "https://example.org/second"


@asynccontextmanager
async def served(storage: Storage) -> AsyncIterator[tuple[str, Browser, Harness, FlakyPoster]]:
    """Two suggestions waiting, the pages on a real loopback port, and a browser."""
    harness, chat = dashboard_harness(storage)
    await queue_of_one(harness)
    await suggest(harness, SECOND, title="Second suggestion")
    app = app_of(harness)
    server = TestServer(web_application(app, app.config.web))
    await server.start_server()
    try:
        async with chromium() as browser:
            yield str(server.make_url("")).rstrip("/"), browser, harness, chat
    finally:
        await server.close()


async def signed_in(page: Page, base: str, harness: Harness) -> None:
    """Dana types /coalition dashboard in chat, opens the link and presses Sign in."""
    await page.goto(base + await link_for(harness))
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/dashboard/review")


async def test_sign_in_with_a_link_from_chat_and_approve(storage: Storage) -> None:
    async with served(storage) as (base, browser, harness, chat), page_in(browser) as page:
        await signed_in(page, base, harness)
        assert "Signed in as Dana Reyes." in await page.locator("main").inner_text()
        await screenshot(page, "dashboard-review")
        first = page.locator("ol.queue > li").first
        await first.get_by_role("button", name="Approve").click()
        status = page.get_by_role("status")
        await status.wait_for()
        assert "You approved Housing and Health Toolkit" in await status.inner_text()
        await screenshot(page, "dashboard-approved")
    (posted, card), *_ = chat.edits
    assert posted.channel == "coordinators" and "Approved by Dana Reyes" in card.fallback_text()


async def test_the_keyboard_alone_approves_and_rejects(storage: Storage) -> None:
    async with served(storage) as (base, browser, harness, chat), page_in(browser) as page:
        await signed_in(page, base, harness)
        focused = page.locator(":focus")
        await tab_to(page, lambda: focused.inner_text(), "Approve")
        await page.keyboard.press("Enter")
        await page.get_by_role("status").wait_for()
        assert "You approved" in await page.get_by_role("status").inner_text()
        await tab_to(page, lambda: focused.get_attribute("name"), "reason")
        await page.keyboard.type("Out of scope")
        await page.keyboard.press("Tab")
        assert await focused.inner_text() == "Reject"
        await page.keyboard.press("Enter")
        await page.wait_for_function(
            "() => document.querySelector('[role=status]')?.innerText.includes('rejected')"
        )
        assert "You rejected Second suggestion" in await page.get_by_role("status").inner_text()
    assert len(chat.edits) == 2


async def tab_to(page: Page, read: Callable[[], Awaitable[str | None]], wanted: str) -> None:
    """Tab from the top of the page until the focused element reads `wanted` (bounded)."""
    for _ in range(30):
        await page.keyboard.press("Tab")
        if await read() == wanted:
            return
    raise AssertionError(f"Tab never reached {wanted!r}")


async def test_every_dashboard_page_passes_axe_and_is_photographed(storage: Storage) -> None:
    found: dict[str, list[str]] = {}
    async with served(storage) as (base, browser, harness, _), page_in(browser) as page:
        link = await link_for(harness)
        pages = {
            "dashboard-signed-out": "/dashboard/review",
            "dashboard-sign-in": link,
        }
        for name, path in pages.items():
            await page.goto(base + path)
            found[name] = await serious_violations(page)
            await screenshot(page, name)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url("**/dashboard/review")
        found["dashboard-review"] = await serious_violations(page)
        await page.goto(base + "/dashboard/review?lang=es")
        assert "Cola de revisión" in await page.locator("h1").inner_text()
        found["dashboard-review-es"] = await serious_violations(page)
        await screenshot(page, "dashboard-review-es")
        await page.goto(base + link)  # used: it says so at once, with no button to press
        await page.get_by_role("status").wait_for()
        assert await page.get_by_role("button", name="Sign in").count() == 0
        found["dashboard-used-link"] = await serious_violations(page)
        await screenshot(page, "dashboard-used-link")
    assert {name: v for name, v in found.items() if v} == {}
