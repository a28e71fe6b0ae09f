"""Security headers on every response, user text escaped, and bad input answered with a page."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.web.support import small_library, web_client

PAGES = ("/library", "/library/1", "/suggest", "/library.json", "/library.csv", "/nowhere")


async def test_every_response_carries_the_security_headers(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        for path in PAGES:
            response = await client.get(path)
            policy = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
            assert "frame-ancestors 'none'" in policy, path
            assert response.headers["X-Frame-Options"] == "DENY", path
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
            assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        embedded = await client.get("/embed/library")
    assert "frame-ancestors *" in embedded.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embedded.headers
    assert embedded.headers["X-Content-Type-Options"] == "nosniff"


async def test_pages_have_no_inline_script_or_style(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        for path in ("/library", "/library/3", "/suggest", "/embed/library", "/nowhere"):
            page = await (await client.get(path)).text()
            assert "<script>" not in page and "<style" not in page and " style=" not in page
            assert " on" + "click=" not in page


async def test_a_title_with_markup_shows_as_text(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        listing = await (await client.get("/library", params={"type": "policy"})).text()
        one = await (await client.get("/library/3")).text()
        embedded = await (await client.get("/embed/library")).text()
    for page in (listing, one, embedded):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)" not in page
    assert "&lt;b&gt;tags&lt;/b&gt; &amp; ampersands" in one


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ({"q": "x" * 10_000}, "Search for at most 200 characters"),
        ({"q": "#"}, "I found no words to search for"),
        ({"q": '"'}, "I found no words to search for"),
        ({"q": '"toolkit" #'}, "1 resource found"),
        ({"page": "0"}, "That page number does not exist"),
        ({"page": "-3"}, "That page number does not exist"),
        ({"page": "abc"}, "That page number does not exist"),
        ({"page": "9" * 50}, "That page number does not exist"),
        ({"page": "٣"}, "That page number does not exist"),
        ({"page": "40"}, "There are no more results on this page"),
        ({"type": "<b>"}, "A filter was not one of the choices"),
        ({"topic": "t" * 500}, "A filter was not one of the choices"),
        ({"sort": "sideways"}, "3 resources found"),
        ({"q": "\x00housing"}, "Housing and Health Toolkit"),
    ],
)
async def test_bad_input_gets_a_normal_page_with_a_sentence(
    harness_on: Harness, query: dict[str, str], sentence: str
) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        response = await client.get("/library", params=query)
        page = await response.text()
    assert response.status == 200
    assert sentence in page
    assert "Resource library" in page  # the whole page, with its search box


async def test_a_long_query_string_on_any_page_is_answered(harness_on: Harness) -> None:
    async with web_client(harness_on) as client:
        for path in ("/library", "/library/1", "/suggest", "/nowhere"):
            response = await client.get(path + "?junk=" + "y" * 10_000)
            assert response.status in {200, 404}, path
            assert "<h1>" in await response.text()


async def test_embedded_pages_have_no_navigation_and_may_be_framed(harness_on: Harness) -> None:
    await small_library(harness_on)
    async with web_client(harness_on) as client:
        for path in ("/embed/library", "/embed/meetings"):
            response = await client.get(path)
            page = await response.text()
            assert response.status == 200, path
            assert "<nav" not in page and 'class="embed"' in page, path
            assert '<base target="_top">' in page, path  # links open the whole page
            assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
        framed = await client.get("/meetings")
        assert "frame-ancestors 'none'" in framed.headers["Content-Security-Policy"]
