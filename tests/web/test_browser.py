"""The public pages in a real browser: search, a resource, subscribing, Spanish, the
keyboard alone, and axe on every page. Screenshots go to tests/web/screenshots/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser

from adapters.web import web_application
from tests.harness import Harness
from tests.web.browser import chromium, page_in, screenshot, serious_violations
from tests.web.support import app_of, small_library
from tests.web.test_meetings_pages import scheduled

PAGES = {
    "library": "/library",
    "library-search": "/library?q=housing&sort=best",
    "library-bad-search": "/library?q=%23",
    "library-filters": "/library?type=research&type=policy&topic=Maternal+%26+Child+Health",
    "resource": "/library/1",
    "resource-markup": "/library/3",
    "suggest": "/suggest",
    "meetings": "/meetings?tz=America/New_York",
    "embed-library": "/embed/library",
    "embed-meetings": "/embed/meetings?tz=America/New_York",
    "not-found": "/nowhere",
    "library-es": "/library?lang=es",
    "meetings-es": "/meetings?lang=es&tz=Europe/Madrid",
}


@asynccontextmanager
async def served(harness: Harness) -> AsyncIterator[tuple[str, Browser]]:
    """The pages on a real loopback port with a library and two meetings, and a browser."""
    await small_library(harness)
    await scheduled(harness)
    app = app_of(harness)
    server = TestServer(web_application(app, app.config.web))
    await server.start_server()
    try:
        async with chromium() as browser:
            yield str(server.make_url("")).rstrip("/"), browser
    finally:
        await server.close()


async def test_search_then_open_a_resource(harness: Harness) -> None:
    async with served(harness) as (base, browser), page_in(browser) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        await page.goto(base + "/library")
        await page.get_by_label("Search the library").fill("housing toolkit")
        await page.get_by_role("button", name="Search").first.click()
        await page.wait_for_url("**/library?*q=housing+toolkit*")
        results = page.locator("ol.results h2")
        assert await results.all_inner_texts() == ["Housing and Health Toolkit"]
        await screenshot(page, "search-results")
        await results.get_by_role("link").click()
        await page.wait_for_url("**/library/1*")
        assert await page.locator("h1").inner_text() == "Housing and Health Toolkit"
        await page.goto(base + "/library/3")
        assert await page.locator("h1").inner_text() == "<script>alert(1)</script>"
        assert dialogs == []  # shown as text, never run


async def test_ticking_two_types_shows_both(harness: Harness) -> None:
    async with served(harness) as (base, browser), page_in(browser) as page:
        await page.goto(base + "/library")
        await page.locator("summary", has_text="Filters").click()
        await page.get_by_role("checkbox", name="research", exact=True).check()
        await page.get_by_role("checkbox", name="policy", exact=True).check()
        await page.get_by_role("button", name="Apply filters").click()
        await page.wait_for_url("**/library?*type=*")
        assert "type=research" in page.url and "type=policy" in page.url
        titles = await page.locator("ol.results h2").all_inner_texts()
        assert sorted(titles) == ["<script>alert(1)</script>", "Guía de salud materna"]
        assert await page.get_by_role("checkbox", name="policy", exact=True).is_checked()
        await screenshot(page, "library-two-types")


async def test_the_sessions_page_offers_the_feed_and_uses_the_browsers_zone(
    harness: Harness,
) -> None:
    async with (
        served(harness) as (base, browser),
        page_in(browser, timezone_id="Europe/Madrid") as page,
    ):
        await page.goto(base + "/meetings")
        await page.wait_for_url("**/meetings?tz=Europe%2FMadrid")  # set by static/zone.js
        assert "Times are in Europe/Madrid." in await page.locator(".zone").inner_text()
        subscribe = page.get_by_role("link", name="Subscribe in your calendar app (webcal)")
        assert (await subscribe.get_attribute("href") or "").startswith("webcal://")
        add = page.get_by_role("link", name="Open webinar").filter(has_text="Add to calendar")
        assert await add.get_attribute("href") == "/meetings/2.ics"
        await screenshot(page, "meetings-madrid")


async def test_spanish_from_the_browser_and_from_the_switch(harness: Harness) -> None:
    async with served(harness) as (base, browser):
        async with page_in(browser, locale="es-ES") as page:
            await page.goto(base + "/library")
            assert await page.locator("h1").inner_text() == "Biblioteca de recursos"
            assert await page.locator("html").get_attribute("lang") == "es"
            await screenshot(page, "library-spanish")
        async with page_in(browser, locale="en-US") as page:
            await page.goto(base + "/library")
            await page.get_by_role("link", name="Español (es)").click()
            await page.wait_for_url("**lang=es*")
            assert await page.locator("h1").inner_text() == "Biblioteca de recursos"
            await page.get_by_role("link", name="Sesiones").click()
            assert "Próximas sesiones" in await page.locator("main").inner_text()


async def test_the_keyboard_alone_reaches_the_search_and_a_result(harness: Harness) -> None:
    async with served(harness) as (base, browser), page_in(browser) as page:
        await page.goto(base + "/library")
        await page.keyboard.press("Tab")
        focused = page.locator(":focus")
        assert await focused.inner_text() == "Skip to the content"
        await page.keyboard.press("Enter")
        await page.wait_for_url("**#main")
        for _ in range(10):  # from the content, Tab until the search box
            await page.keyboard.press("Tab")
            if await focused.get_attribute("id") == "q":
                break
        assert await focused.get_attribute("id") == "q"
        await page.keyboard.type("maternal")
        await page.keyboard.press("Enter")
        await page.wait_for_url("**q=maternal*")
        link = page.get_by_role("link", name="Guía de salud materna")
        await link.focus()
        await page.keyboard.press("Enter")
        await page.wait_for_url("**/library/2*")
        assert await page.locator("h1").inner_text() == "Guía de salud materna"


async def test_every_page_passes_axe_and_is_photographed(harness: Harness) -> None:
    found: dict[str, list[str]] = {}
    async with served(harness) as (base, browser), page_in(browser) as page:
        for name, path in PAGES.items():
            await page.goto(base + path)
            await page.wait_for_load_state("load")
            await screenshot(page, name)
            violations = await serious_violations(page)
            if violations:
                found[name] = violations
    assert found == {}


async def test_embedded_pages_show_inside_another_sites_frame(harness: Harness) -> None:
    async with served(harness) as (base, browser), page_in(browser, axe=False) as page:
        host = web.Application()

        async def site_page(request: web.Request) -> web.Response:
            frames = "".join(
                f'<iframe title="{p}" src="{base}/{p}" width="600" height="800"></iframe>'
                for p in ("embed/library", "embed/meetings?tz=UTC", "library")
            )
            return web.Response(
                text=f"<html><body>{frames}</body></html>", content_type="text/html"
            )

        host.router.add_get("/", site_page)
        other = TestServer(host)
        await other.start_server()
        try:
            await page.goto(str(other.make_url("/")))
            library = page.frame_locator('iframe[title="embed/library"]')
            assert await library.locator("h1").inner_text() == "Resource library"
            assert await library.locator("nav[aria-label=Site]").count() == 0
            sessions = page.frame_locator('iframe[title="embed/meetings?tz=UTC"]')
            assert "Office hours" in await sessions.locator("main").inner_text()
            refused = page.frame_locator('iframe[title="library"]')
            # Chrome shows its own error page in the frame instead of the library.
            assert await refused.locator("#main-frame-error").count() == 1
            assert await refused.get_by_text("Resource library").count() == 0
            await screenshot(page, "embedded")
        finally:
            await other.close()


async def test_axe_finds_what_it_should(harness: Harness) -> None:
    """The check above can fail: a page with an unlabelled field and a nameless link."""
    broken = web.Application()

    async def bad(request: web.Request) -> web.Response:
        body = '<html><body><input type="text"><a href="/x"></a></body></html>'
        return web.Response(text=body, content_type="text/html")

    broken.router.add_get("/", bad)
    server = TestServer(broken)
    await server.start_server()
    try:
        async with chromium() as browser, page_in(browser) as page:
            await page.goto(str(server.make_url("/")))
            found = await serious_violations(page)
    finally:
        await server.close()
    assert any(line.startswith("label (critical)") for line in found), found
    assert any(line.startswith("link-name (serious)") for line in found), found
