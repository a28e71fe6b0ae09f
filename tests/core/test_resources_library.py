"""The library after approval: cleaned links, duplicates, edits, retirement, self-approval."""

from __future__ import annotations

from tests.core.test_resources import button, review_post, setup, suggest
from tests.harness import Harness


async def test_the_published_link_has_no_trackers_and_www_or_a_fragment_is_no_new_page(
    harness: Harness,
) -> None:
    await setup(harness)
    await suggest(harness, "https://www.cdc.gov/equity/?utm_source=news&fbclid=x&id=3#intro")
    async with harness.storage.unit_of_work() as uow:
        resource = await uow.resources.get(1)
    assert resource is not None and resource.url == "https://www.cdc.gov/equity/?id=3#intro"
    for again in ("https://cdc.gov/equity?id=3", "http://CDC.gov/equity/?id=3#other-part"):
        said = await suggest(harness, again)
        assert "already suggested and is waiting for review" in said
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))
    assert "https://www.cdc.gov/equity/?id=3#intro" in harness.poster.to("#resources")[-1].text
    assert await harness.storage_count("resources") == 1
