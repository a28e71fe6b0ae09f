"""The dashboard's Edit, join requests and members pages in a real browser: axe on each,
in English and Spanish, the keyboard alone, and screenshots in tests/web/screenshots/
(dashboard-edit*.png, dashboard-joins*.png, dashboard-members*.png)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page

from adapters.web import web_application
from bot.config import CoalitionSettings
from bot.messages import Button
from storage import Storage
from tests.core.test_resources import suggest
from tests.harness import Harness
from tests.web.browser import chromium, page_in, screenshot, serious_violations
from tests.web.dashboard_support import WEB, dashboard_harness, link_for
from tests.web.support import app_of

CONFIG = WEB.model_copy(
    update=dict(
        coalition=CoalitionSettings(approval_required=True),
        admins=("console:admin", "console:dana"),
    )
)


async def filled(harness: Harness) -> None:
    """Dana (admin) and Maria in; Sam asks to join; one suggestion of Maria's waits."""
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes", region="Northeast")
    await harness.join("maria", "Maria Lopez", region="Southwest")
    await harness.say("admin", "requests")  # Maria's is the first: approve it in chat
    async with harness.storage.unit_of_work() as uow:
        (waiting,) = await uow.join_requests.pending()
    await harness.click("admin", Button("Approve", "join.approve", str(waiting.id)))
    await harness.join("sam", "Sam Okafor", organization="<script>alert(1)</script>")
    await suggest(harness, title="<script>alert(1)</script>")


@asynccontextmanager
async def served(storage: Storage) -> AsyncIterator[tuple[str, Browser, Harness]]:
    harness, _ = dashboard_harness(storage, CONFIG)
    await filled(harness)
    app = app_of(harness)
    server = TestServer(web_application(app, app.config.web))
    await server.start_server()
    try:
        async with chromium() as browser:
            yield str(server.make_url("")).rstrip("/"), browser, harness
    finally:
        await server.close()


async def signed_in(page: Page, base: str, harness: Harness) -> None:
    await page.goto(base + await link_for(harness))
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/dashboard/review")


async def test_the_new_pages_pass_axe_in_both_languages(storage: Storage) -> None:
    found: dict[str, list[str]] = {}
    async with served(storage) as (base, browser, harness), page_in(browser) as page:
        await signed_in(page, base, harness)
        pages = {
            "dashboard-edit": "/dashboard/review/1/edit",
            "dashboard-joins": "/dashboard/joins",
            "dashboard-members": "/dashboard/members",
        }
        for name, path in pages.items():
            for language in ("en", "es"):
                await page.goto(f"{base}{path}?lang={language}")
                shown = f"{name}-{language}" if language == "es" else name
                found[shown] = await serious_violations(page)
                await screenshot(page, shown)
        await page.goto(base + "/dashboard/members?lang=es")
        assert "Miembros" in await page.locator("h1").inner_text()
        # The script in a title and in an organization is text: shown, never run.
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        await page.goto(base + "/dashboard/review/1/edit")
        assert await page.get_by_label("Title").input_value() == "<script>alert(1)</script>"
        await page.goto(base + "/dashboard/joins")
        assert "<script>alert(1)</script>" in await page.locator("main").inner_text()
        assert await page.locator("main script").count() == 0
    assert dialogs == []
    assert {name: v for name, v in found.items() if v} == {}


async def test_an_edit_refused_then_saved_with_the_keyboard(storage: Storage) -> None:
    async with served(storage) as (base, browser, harness), page_in(browser) as page:
        await signed_in(page, base, harness)
        await page.goto(base + "/dashboard/review/1/edit")
        link = page.get_by_label("Link")
        await link.focus()
        await page.keyboard.press("Control+A")
        await page.keyboard.type("not a link")
        await page.keyboard.press("Enter")
        error = page.locator("#error-url")
        await error.wait_for()
        assert await page.get_by_label("Link").get_attribute("aria-invalid") == "true"
        await screenshot(page, "dashboard-edit-error")
        await page.get_by_label("Link").focus()
        await page.keyboard.press("Control+A")
        await page.keyboard.type("https://example.org/fixed")
        title = page.get_by_label("Title")
        await title.focus()
        await page.keyboard.press("Control+A")
        await page.keyboard.type("Fixed title")
        await page.get_by_role("button", name="Save changes").focus()
        await page.keyboard.press("Enter")
        await page.wait_for_url("**/dashboard/review")
        status = page.get_by_role("status")
        await status.wait_for()
        assert "Saved your changes to Fixed title" in await status.inner_text()


async def test_a_join_approved_and_members_filtered_with_the_keyboard(storage: Storage) -> None:
    async with served(storage) as (base, browser, harness), page_in(browser) as page:
        await signed_in(page, base, harness)
        await page.goto(base + "/dashboard/joins")
        await page.get_by_role("button", name="Approve").focus()
        await page.keyboard.press("Enter")
        await page.get_by_role("status").wait_for()
        assert "You approved Sam Okafor" in await page.get_by_role("status").inner_text()
        await page.goto(base + "/dashboard/members")
        await page.get_by_label("Region").select_option("Southwest")
        await page.get_by_role("button", name="Find").focus()
        await page.keyboard.press("Enter")
        await page.wait_for_url("**region=Southwest**")
        rows = page.locator("table.members tbody th")
        assert await rows.all_inner_texts() == ["Maria Lopez"]
        await screenshot(page, "dashboard-members-filtered")
