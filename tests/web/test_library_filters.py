"""/library's filters as checkboxes: several values of one filter match any of them,
filters combine, links with one value keep working, and links keep every value."""

from __future__ import annotations

from html import unescape

from tests.harness import Harness
from tests.web.support import small_library, web_client

TOOLKIT, GUIDE, SCRIPT = "Housing and Health Toolkit", "Guía de salud materna", "&lt;script&gt;"


async def page_of(harness: Harness, query: str) -> str:
    async with web_client(harness) as client:
        response = await client.get("/library?" + query)
        assert response.status == 200, query
        return await response.text()


async def test_several_values_of_a_filter_show_any_of_them(harness_on: Harness) -> None:
    await small_library(harness_on)  # toolkit (en), research (es), policy (en)
    both = await page_of(harness_on, "type=research&type=policy")
    assert GUIDE in both and SCRIPT in both and TOOLKIT not in both
    assert "2 resources found" in both
    assert 'name="type" value="research" checked' in both
    assert 'name="type" value="policy" checked' in both
    assert 'name="type" value="toolkit">' in both  # not ticked
    # Across filters, every one must hold.
    spanish = await page_of(harness_on, "type=research&type=policy&language=es")
    assert GUIDE in spanish and SCRIPT not in spanish and "1 resource found" in spanish
    # Words too, with several types.
    words = await page_of(harness_on, "q=salud&type=research&type=toolkit")
    assert GUIDE in words and TOOLKIT not in words
    maternal = await page_of(harness_on, "topic=Maternal+%26+Child+Health")
    assert "1 resource found" in maternal
    topics = await page_of(harness_on, "topic=Maternal+%26+Child+Health&topic=housing")
    assert "3 resources found" in topics  # the other two are about housing
    research = await page_of(
        harness_on, "topic=Maternal+%26+Child+Health&topic=housing&type=research"
    )
    assert "1 resource found" in research and GUIDE in research


async def test_links_with_one_value_work_and_links_keep_every_value(harness_on: Harness) -> None:
    await small_library(harness_on)
    one = await page_of(harness_on, "type=toolkit")
    assert TOOLKIT in one and GUIDE not in one and "1 resource found" in one
    two = unescape(await page_of(harness_on, "type=research&type=policy"))
    # "Show only Spanish" keeps both types and adds the language.
    assert 'href="/library?type=research&type=policy&language=es&page=1"' in two
    # A value that is no choice is left out, with a sentence; the good one stays.
    odd = await page_of(harness_on, "type=research&type=bogus&type=research")
    assert "A filter was not one of the choices, so it was left out." in odd
    assert GUIDE in odd and "1 resource found" in odd
    assert odd.count('value="research" checked') == 1
