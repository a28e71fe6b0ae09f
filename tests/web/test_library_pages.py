"""The public library: search, filters, paging, one resource, the exports, Spanish."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from bot.config import Config, WebSettings
from tests.harness import Harness
from tests.web.support import approved, small_library, web_client


async def test_the_library_lists_approved_resources_only(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        response = await client.get("/library")
        page = await response.text()
    assert response.status == 200
    assert "Housing and Health Toolkit" in page and "Guía de salud materna" in page
    assert "Still pending review" not in page
    assert "3 resources found" in page


async def test_search_uses_the_chats_full_text_search(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        page = await (await client.get("/library", params={"q": "housing toolkit"})).text()
        filtered = await (await client.get("/library", params={"type": "research"})).text()
        spanish = await (await client.get("/library", params={"language": "es"})).text()
    assert "Housing and Health Toolkit" in page and "Guía" not in page
    assert "Guía de salud materna" in filtered and "Housing and Health" not in filtered
    assert "1 resource found" in spanish and "Guía de salud materna" in spanish


async def test_a_resource_page_shows_its_details_and_no_names_by_default(
    harness_on: Harness,
) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        page = await (await client.get("/library/2")).text()
    assert "Guía de salud materna" in page and "Investigación sobre salud materna" in page
    assert "research" in page and "https://example.org/salud" in page
    assert "Approved on" in page and "March 2, 2026" in page
    assert "Maria Lopez" not in page and "Dana Reyes" not in page


async def test_the_suggester_is_named_only_when_allowed_and_listed(harness_on: Harness) -> None:
    await small_library(harness_on)
    allowed = Config(web=WebSettings(show_suggested_by=True))
    async with web_client(harness_on, allowed) as client:
        shown = await (await client.get("/library/1")).text()
        await harness_on.say("maria", "profile edit listed=no")
        hidden = await (await client.get("/library/1")).text()
        exported = await (await client.get("/library.csv")).text()
    assert "Suggested by" in shown and "Maria Lopez" in shown
    assert "Maria Lopez" not in hidden and "Suggested by" not in hidden
    assert "Maria Lopez" not in exported


async def test_pending_and_unknown_resources_get_a_page_that_says_so(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        for path in ("/library/4", "/library/999", "/library/abc", "/library/" + "9" * 40):
            response = await client.get(path)
            page = await response.text()
            assert response.status == 404, path
            assert "is not in the library" in page, path
            assert "Still pending review" not in page


async def test_exports_hold_the_public_library(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        as_json = await (await client.get("/library.json")).json()
        response = await client.get("/library.csv")
        text = await response.text()
        assert text.startswith("\ufeffid,title,url,")
        rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["title"] for r in as_json][:2] == [
        "Housing and Health Toolkit",
        "Guía de salud materna",
    ]
    assert len(as_json) == 3 and "suggested_by" not in as_json[0]
    assert response.headers["Content-Type"].startswith("text/csv")
    assert [r["title"] for r in rows] == [r["title"] for r in as_json]
    assert rows[0]["topics"] == "Housing; eviction prevention"
    assert rows[0]["id"] == "1"


async def test_spanish_by_accept_language_and_by_the_switch(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        by_browser = await (
            await client.get("/library", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
        ).text()
        by_switch = await (await client.get("/library", params={"lang": "es"})).text()
        english = await (await client.get("/library", headers={"Accept-Language": "fr, en"})).text()
    for page in (by_browser, by_switch):
        assert '<html lang="es">' in page and "Biblioteca de recursos" in page
        assert "3 recursos encontrados" in page
    assert '<html lang="en">' in english and "Resource library" in english
    # The switch back to English keeps the reader's search.
    assert re.search(r'href="/library\?lang=en"', by_switch)


async def test_paging_links_keep_the_search(harness_on: Harness) -> None:
    await small_library(harness_on)
    for number in range(25):
        await approved(harness_on, f"https://example.org/extra-{number}", title=f"Extra {number}")
    async with web_client(harness_on) as client:
        first = await (await client.get("/library", params={"q": "extra", "sort": "newest"})).text()
        second = await (await client.get("/library", params={"q": "extra", "page": "2"})).text()
        embedded = await (await client.get("/embed/library", params={"q": "extra"})).text()
    assert "Page 1 of 2" in first
    assert 'href="/library?q=extra&amp;sort=newest&amp;page=2"' in first
    assert "Page 2 of 2" in second and "Previous page" in second
    # In an iframe, the next page stays in the frame.
    assert '<a rel="next" target="_self" href="/embed/library?q=extra&amp;page=2' in embedded


async def test_the_exports_are_made_once_in_a_while_and_shared(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        before = await (await client.get("/library.json")).json()
        await approved(harness_on, "https://example.org/new", title="Brand new")
        still = await (await client.get("/library.json")).json()
        harness_on.clock.advance(timedelta(minutes=5))
        after = await (await client.get("/library.json")).json()
        csv_now = await (await client.get("/library.csv")).text()
    assert len(before) == len(still) == 3
    assert [r["title"] for r in after][-1] == "Brand new" and "Brand new" in csv_now
