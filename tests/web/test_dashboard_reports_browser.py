"""The sessions report in a real browser: the dashboard's page and the standalone HTML file,
each checked by axe (English and Spanish), its charts shown (images that loaded, SVG that
drew), and screenshots in tests/web/screenshots/ (dashboard-reports*.png, report-file.png)."""

from __future__ import annotations

from aiohttp.test_utils import TestServer

from adapters.web import web_application
from storage import Storage
from tests.reports_data import known_sessions
from tests.web.browser import chromium, page_in, screenshot, serious_violations
from tests.web.dashboard_support import dashboard_harness, link_for
from tests.web.support import app_of

PERIOD = "from=2026-03-01&to=2026-03-31"


async def test_the_report_page_and_file_pass_axe_and_show_their_charts(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await known_sessions(harness)
    app = app_of(harness)
    server = TestServer(web_application(app, app.config.web))
    await server.start_server()
    found: dict[str, list[str]] = {}
    try:
        base = str(server.make_url("")).rstrip("/")
        async with chromium() as browser, page_in(browser) as page:
            await page.goto(base + await link_for(harness, "cora"))
            await page.get_by_role("button", name="Sign in").click()
            await page.wait_for_url("**/dashboard/review")
            for language in ("en", "es"):
                await page.goto(f"{base}/dashboard/reports?{PERIOD}&lang={language}")
                name = "dashboard-reports" + ("-es" if language == "es" else "")
                found[name] = await serious_violations(page)
                await screenshot(page, name)
            images = page.locator("figure img")
            assert await images.count() == 3
            widths = await images.evaluate_all("all => all.map(i => i.naturalWidth)")
            assert all(w > 100 for w in widths), widths
            response = await page.request.get(f"{base}/dashboard/reports/sessions.html?{PERIOD}")
            await page.set_content(await response.text())
            found["report-file"] = await serious_violations(page)
            boxes = await page.locator("figure svg").evaluate_all(
                "all => all.map(s => s.getBoundingClientRect().width)"
            )
            assert len(boxes) == 3 and all(w > 100 for w in boxes), boxes
            await screenshot(page, "report-file")
    finally:
        await server.close()
    assert {name: v for name, v in found.items() if v} == {}
