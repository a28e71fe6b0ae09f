"""Public pages by version: 304s that make nothing, a store that is never stale.

The version is the library's version row (raised with every approval, edit and
retirement) or the meetings' state, read on every request: so a page made
earlier is served only while nothing it shows has changed, on any replica.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.web.page_cache import PAGES, PageCache
from bot.config import Config, WebSettings
from storage import Storage
from tests.harness import Harness
from tests.web.dashboard_support import dashboard_harness, link_for, queue_of_one, sign_in
from tests.web.support import approved, small_library, web_client

Client = TestClient[web.Request, web.Application]


def store(client: Client) -> PageCache:
    application = client.app
    assert application is not None
    return application[PAGES]


async def test_an_unchanged_page_is_a_304_made_from_nothing(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        first = await client.get("/library", params={"q": "housing"})
        page = await first.text()
        tag = first.headers["ETag"]
        made = store(client).made
        again = await client.get(
            "/library", params={"q": "housing"}, headers={"If-None-Match": tag}
        )
        other = await client.get("/library", params={"q": "salud"}, headers={"If-None-Match": tag})
        weak = await client.get(
            "/library", params={"q": "housing"}, headers={"If-None-Match": f"W/{tag}"}
        )
        assert store(client).made == made + 1  # the 304 made nothing; the other query did
    assert first.status == 200 and "Housing and Health Toolkit" in page
    assert again.status == 304 and again.headers["ETag"] == tag and weak.status == 304
    assert other.status == 200 and other.headers["ETag"] != tag
    assert first.headers["Vary"] == "Accept-Language"


async def test_a_page_served_again_is_not_made_again(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        first = await (await client.get("/library")).text()
        made = store(client).made
        second = await (await client.get("/library")).text()
        assert store(client).made == made
    assert first == second


async def test_an_approval_changes_the_etag_and_the_page(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        before = await client.get("/library")
        assert "Lead Safe Homes" not in await before.text()
        await approved(harness_on, "https://example.org/lead", title="Lead Safe Homes")
        after = await client.get("/library", headers={"If-None-Match": before.headers["ETag"]})
        page = await after.text()
    assert after.status == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert "Lead Safe Homes" in page and "4 resources found" in page


async def test_an_edit_and_a_retirement_reach_the_pages_at_once(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        assert "Housing and Health Toolkit" in await (await client.get("/library")).text()
        assert "Housing and Health Toolkit" in await (await client.get("/library/1")).text()
        await harness_on.say("dana", 'resource edit 1 title="Housing Toolkit, Second Edition"')
        listed = await (await client.get("/library")).text()
        one = await (await client.get("/library/1")).text()
        assert "Second Edition" in listed and "Second Edition" in one
        asked = await harness_on.say("dana", 'resource retire 1 reason="Replaced"')
        assert asked.message is not None
        await harness_on.click("dana", asked.message.buttons[0])
        retired = await (await client.get("/library")).text()
        gone = await client.get("/library/1")
    assert "Second Edition" not in retired and "2 resources found" in retired
    assert gone.status == 404


async def test_two_replicas_over_one_database_never_serve_a_stale_page(
    harness_on: Harness,
) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as one, web_client(harness_on) as two:
        tags = []
        for client in (one, two):
            response = await client.get("/library")
            await response.read()
            tags.append(response.headers["ETag"])
        assert tags[0] == tags[1]  # same release, config and data: the same ETag anywhere
        await approved(harness_on, "https://example.org/lead", title="Lead Safe Homes")
        for client in (one, two):
            assert "Lead Safe Homes" in await (await client.get("/library")).text()


async def test_each_language_is_its_own_page(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        english = await client.get("/library", headers={"Accept-Language": "en"})
        in_english = await english.text()
        spanish = await client.get("/library", headers={"Accept-Language": "es"})
        in_spanish = await spanish.text()
    assert english.headers["ETag"] != spanish.headers["ETag"]
    assert "3 resources found" in in_english and "3 recursos encontrados" in in_spanish


async def test_a_named_suggester_page_is_made_every_time(harness_on: Harness) -> None:
    """A name leaving the directory does not raise the library's version: not stored."""
    await small_library(harness_on)
    allowed = Config(web=WebSettings(show_suggested_by=True))
    async with web_client(harness_on, allowed) as client:
        shown = await client.get("/library/1")
        assert "ETag" not in shown.headers and "Maria Lopez" in await shown.text()
        assert not store(client).pages


async def test_the_meetings_page_has_an_etag_and_304(harness_on: Harness) -> None:
    async with web_client(harness_on) as client:
        first = await client.get("/meetings")
        await first.read()
        again = await client.get("/meetings", headers={"If-None-Match": first.headers["ETag"]})
        zoned = await client.get("/meetings", params={"tz": "Asia/Tokyo"})
    assert first.status == 200 and again.status == 304
    assert zoned.headers["ETag"] != first.headers["ETag"]


async def test_no_dashboard_page_is_ever_stored(storage: Storage) -> None:
    harness, _ = dashboard_harness(storage)
    await queue_of_one(harness)
    async with web_client(harness, harness.config) as client:
        await sign_in(client, await link_for(harness))
        review = await client.get("/dashboard/review")
        await review.read()
        assert review.status == 200 and "ETag" not in review.headers
        assert not store(client).pages and store(client).made == 0
        await (await client.get("/library")).read()
        assert len(store(client).pages) == 1
