"""The dashboard's meetings and audit trail in a real browser: cancel a date and see the
chat's announcement updated, bad filters answered with a sentence, the keyboard alone,
axe on each page. Screenshots go to tests/web/screenshots/ (dashboard-meetings-*.png,
dashboard-audit-*.png)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page

from adapters.web import web_application
from storage import Storage
from tests.harness import Harness
from tests.scheduling.support import RefPoster, reminder_service
from tests.web.browser import chromium, page_in, screenshot, serious_violations
from tests.web.dashboard_support import link_for
from tests.web.meetings_support import announced
from tests.web.support import app_of
from tests.web.test_dashboard_browser import tab_to


@asynccontextmanager
async def served(storage: Storage) -> AsyncIterator[tuple[str, Browser, Harness, RefPoster]]:
    """Dana's weekly meeting announced in chat with Maria going, the pages on a real
    loopback port, and a browser."""
    harness, chat = await announced(storage)
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
    await page.goto(base + await link_for(harness, "dana"))
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/dashboard/review")


async def test_cancel_a_date_in_the_dashboard_and_see_the_chat_updated(storage: Storage) -> None:
    async with served(storage) as (base, browser, harness, chat), page_in(browser) as page:
        await signed_in(page, base, harness)
        await page.get_by_role("link", name="Meetings").click()
        await page.wait_for_url("**/dashboard/meetings")
        await page.get_by_role("link", name="Office hours").first.click()
        await page.wait_for_url("**/dashboard/meetings/1*")
        first = page.locator("section.occurrence").first
        assert "Maria Lopez" in await first.inner_text()
        await first.get_by_role("button", name="Cancel this date").click()
        status = page.get_by_role("status")
        await status.wait_for()
        assert "Cancelled Office hours on" in await status.inner_text()
        await screenshot(page, "dashboard-meetings-cancelled")
    (told,) = chat.to("@maria")
    assert "is cancelled" in told.text
    await reminder_service(harness).run_due()
    announcement = chat.to("#announcements")[0]
    assert announcement.edits and "Mar 12, 2026" in announcement.text


async def test_the_keyboard_alone_moves_a_date(storage: Storage) -> None:
    async with served(storage) as (base, browser, harness, _), page_in(browser) as page:
        await signed_in(page, base, harness)
        await page.goto(base + "/dashboard/meetings/1")
        focused = page.locator(":focus")
        await tab_to(page, lambda: focused.inner_text(), "Move this date")
        await page.keyboard.press("Enter")  # opens the <details>
        await page.keyboard.press("Tab")
        await page.keyboard.press("Tab")
        assert await focused.get_attribute("name") == "time"
        await page.keyboard.type("11:00")
        await page.keyboard.press("Enter")
        await page.wait_for_function(
            "() => document.querySelector('[role=status]')?.innerText.includes('Moved')"
        )
        assert "Moved Office hours from" in await page.get_by_role("status").inner_text()


async def test_bad_audit_filters_get_a_sentence(storage: Storage) -> None:
    async with served(storage) as (base, browser, harness, _), page_in(browser) as page:
        await signed_in(page, base, harness)
        await page.get_by_role("link", name="Audit trail").click()
        await page.get_by_label("From (YYYY-MM-DD)").fill("yesterday")
        await page.get_by_label("Action").select_option("role_granted")
        await page.get_by_role("button", name="Show").click()
        await page.get_by_role("status").first.wait_for()
        main = await page.locator("main").inner_text()
        assert '"yesterday" is not a date' in main and "Made a coordinator" in main
        await screenshot(page, "dashboard-audit-bad-filter")


async def test_a_visitor_without_a_session_sees_nothing(storage: Storage) -> None:
    async with served(storage) as (base, browser, _, _), page_in(browser) as page:
        for path in ("/dashboard/meetings", "/dashboard/meetings/1", "/dashboard/audit"):
            response = await page.goto(base + path)
            assert response is not None and response.status == 401
            main = await page.locator("main").inner_text()
            assert "Maria Lopez" not in main and "Office hours" not in main


async def test_the_meetings_and_audit_pages_pass_axe_and_are_photographed(
    storage: Storage,
) -> None:
    found: dict[str, list[str]] = {}
    async with served(storage) as (base, browser, harness, _), page_in(browser) as page:
        await signed_in(page, base, harness)
        pages = {
            "dashboard-meetings": "/dashboard/meetings",
            "dashboard-meeting": "/dashboard/meetings/1",
            "dashboard-audit": "/dashboard/audit",
            "dashboard-audit-filtered": "/dashboard/audit?action=role_granted&to=nope",
            "dashboard-meetings-es": "/dashboard/meetings?lang=es",
            "dashboard-meeting-es": "/dashboard/meetings/1?lang=es",
            "dashboard-audit-es": "/dashboard/audit?lang=es",
        }
        for name, path in pages.items():
            await page.goto(base + path)
            found[name] = await serious_violations(page)
            await screenshot(page, name)
        assert "Registro de cambios" in await page.locator("h1").inner_text()
        # A refused edit: the form as typed, the core's sentence, the field marked.
        await page.goto(base + "/dashboard/meetings/1")
        await page.locator("#time").fill("25:00")
        await page.get_by_role("button", name="Save changes").click()
        await page.locator("#edit-problem").wait_for()
        assert await page.locator("#time").get_attribute("aria-invalid") == "true"
        assert await page.locator("#time").input_value() == "25:00"
        found["dashboard-meeting-refused-edit"] = await serious_violations(page)
        await screenshot(page, "dashboard-meeting-refused-edit")
    assert {name: v for name, v in found.items() if v} == {}
