"""Debian's Chromium driven by Playwright, against the pages served on a real port.

Never `playwright install` (it downloads browsers): the system's /usr/bin/chromium
is launched instead. Without it the browser tests skip and say why, except in CI,
where .ci/run installs it and a missing browser fails.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).parent
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("WEB_SCREENSHOTS") or HERE / "screenshots")
# A safety net for a hung browser, not a timing assertion.
PATIENCE_MS = 30_000


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    require_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, timeout=PATIENCE_MS
        )
        try:
            yield browser
        finally:
            await browser.close()


@asynccontextmanager
async def page_in(browser: Browser, *, axe: bool = True, **context: Any) -> AsyncIterator[Page]:
    """A page in a fresh context. With `axe`, CSP is bypassed so that axe can be
    injected (which also lets any page be framed: embedding tests pass axe=False)."""
    opened = await browser.new_context(bypass_csp=axe, **context)
    opened.set_default_timeout(PATIENCE_MS)
    try:
        yield await opened.new_page()
    finally:
        await opened.close()


async def screenshot(page: Page, name: str) -> None:
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
