"""The library after approval: cleaned links, duplicates, edits, retirement, self-approval."""

from __future__ import annotations

import io
import json

from bot.resources.export import export_library
from tests.core.test_resources import TOOLKIT, button, review_post, setup, suggest
from tests.harness import Harness, text_of


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


async def approved_toolkit(harness: Harness) -> None:
    await setup(harness)
    await suggest(harness)
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))


async def library_export(harness: Harness) -> list[dict[str, object]]:
    out = io.StringIO()
    await export_library(harness.storage.unit_of_work, "json", out)
    records: list[dict[str, object]] = json.loads(out.getvalue())
    return records


async def test_every_field_of_a_resource_in_the_library_can_be_corrected(
    harness: Harness,
) -> None:
    await approved_toolkit(harness)
    edited = await harness.run(
        "dana",
        ("resource", "edit"),
        id="1",
        url="https://www.example.org/housing-toolkit-2026?utm_source=mail",
        title="Housing and Health Toolkit, 2026 edition",
        description="Updated steps",
        type="policy",
        topics=["housing"],
        jurisdiction="state",
        language="es",
    )
    assert "Search and the library export show them now" in text_of(edited)
    (record,) = await library_export(harness)
    assert record["url"] == "https://www.example.org/housing-toolkit-2026"
    assert record["title"] == "Housing and Health Toolkit, 2026 edition"
    assert (record["type"], record["jurisdiction"], record["language"]) == ("policy", "state", "es")
    found = text_of(await harness.say("maria", "resource search edition"))
    assert "1 resource found" in found
    audit = text_of(await harness.say("dana", "resource audit 1"))
    assert "Dana Reyes edited #1" in audit
    assert f"url: {TOOLKIT} → https://www.example.org/housing-toolkit-2026" in audit
    assert "jurisdiction:  → state" in audit and "language: en → es" in audit
    # The new link is the library's now; the old one is free for another resource.
    again = await suggest(harness, "example.org/housing-toolkit-2026/")
    assert "already in the library" in again
    other = await suggest(harness, TOOLKIT, title="The 2024 edition")
    assert "sent The 2024 edition to the coordinators" in other


async def test_a_correction_to_another_resources_link_is_refused_and_changes_nothing(
    harness: Harness,
) -> None:
    await approved_toolkit(harness)
    await suggest(harness, "https://example.org/flyer", title="Housing fair flyer")
    for number in ("1", "2"):  # in the library, and waiting for review
        link = (
            "https://example.org/flyer#top"
            if number == "1"
            else "http://example.org/housing-toolkit/"
        )
        refused = await harness.say("dana", f"resource edit {number} url={link} title=Renamed")
        assert refused.invalid_field == "url"
        assert "That link" in text_of(refused)
    audit = text_of(await harness.say("dana", "resource audit"))
    assert "edited" not in audit and "Renamed" not in audit
    bad = await harness.say("dana", "resource edit 1 url=javascript:alert(1)")
    assert "Only web links starting with http:// or https://" in text_of(bad)


async def test_a_rejected_suggestion_cannot_be_edited_and_says_where_to_look(
    harness: Harness,
) -> None:
    await setup(harness)
    await suggest(harness)
    await harness.say("dana", 'resource reject 1 reason="Out of scope"')
    refused = text_of(await harness.say("dana", "resource edit 1 title=Other"))
    assert "#1 was rejected by Dana Reyes, so it is not in the library" in refused
    assert "/coalition resource view 1" in refused


async def test_retiring_asks_first_then_takes_it_out_of_search_and_the_export(
    harness: Harness,
) -> None:
    await approved_toolkit(harness)
    asked = await harness.say("dana", 'resource retire 1 reason="Replaced by the 2026 edition"')
    question = text_of(asked)
    assert "Retire #1 Housing and Health Toolkit from the library?" in question
    assert "leaves search" in question and "stays in the audit trail" in question
    assert "Reason: Replaced by the 2026 edition" in question
    assert asked.message is not None and asked.private
    yes, no = asked.message.buttons
    assert (yes.action, no.action) == ("resource.retire", "resource.keep")
    assert "1 resource found" in text_of(await harness.say("maria", "resource search housing"))

    kept = await harness.click("dana", no)
    assert "stays in the library" in text_of(kept) and kept.update_original is not None
    assert "1 resource found" in text_of(await harness.say("maria", "resource search housing"))

    stray = await harness.click("admin", yes)  # another coordinator's question
    assert "meant for someone else" in text_of(stray)
    refused = await harness.click("maria", yes)
    assert "Only coordinators can do that" in text_of(refused)

    done = await harness.click("dana", yes)
    assert "Retired #1 Housing and Health Toolkit" in text_of(done)
    assert done.update_original is not None and done.update_original.buttons == ()
    gone = text_of(await harness.say("maria", "resource search housing"))
    assert "No resource in the library matches that" in gone
    assert "The library is empty so far" in text_of(await harness.say("maria", "resource recent"))
    assert await library_export(harness) == []

    audit = text_of(await harness.say("dana", "resource audit 1"))
    assert "Dana Reyes retired #1 from the library" in audit
    assert "reason: Replaced by the 2026 edition; status: approved → retired" in audit
    view = text_of(await harness.say("dana", "resource view 1"))
    assert "retired from the library" in view
    assert "Retired by Dana Reyes on" in view and "Replaced by the 2026 edition" in view
    assert "Approved by Dana Reyes" in view  # the approval is not rewritten
    await harness.join("sam", "Sam Okafor")
    member = text_of(await harness.say("sam", "resource view 1"))
    assert "Resource #1 is not in the library" in member

    again = await suggest(harness, "https://example.org/housing-toolkit")
    assert "That link was in the library and has been retired" in again
    twice = await harness.click("dana", yes)
    assert "#1 was already retired by Dana Reyes on" in text_of(twice)
    late_no = await harness.click("dana", no)  # never "stays in the library" once retired
    assert "#1 was already retired by Dana Reyes on" in text_of(late_no)
    edit = text_of(await harness.say("dana", "resource edit 1 title=Other"))
    assert "#1 was retired from the library" in edit
    assert await harness.storage_count("resources") == 1


async def test_only_resources_in_the_library_can_be_retired_and_a_reason_is_needed(
    harness: Harness,
) -> None:
    await setup(harness)
    await suggest(harness)
    pending = text_of(await harness.say("dana", 'resource retire 1 reason="Old"'))
    assert "#1 is waiting for review, not in the library" in pending
    assert 'resource reject id=1 reason="Out of date"' in pending
    no_reason = await harness.say("dana", "resource retire 1")
    assert no_reason.invalid_field == "reason" and "reason is required" in text_of(no_reason)
    await harness.say("dana", 'resource reject 1 reason="Out of scope"')
    rejected = text_of(await harness.say("dana", 'resource retire 1 reason="Old"'))
    assert "nothing to retire" in rejected
    member = text_of(await harness.say("maria", 'resource retire 1 reason="Old"'))
    assert "Only coordinators can do that" in member
    assert await harness.storage_count("resource_retirements") == 0


async def test_a_coordinator_approving_their_own_suggestion_is_told_and_it_shows(
    harness: Harness,
) -> None:
    await setup(harness)
    fields = f'url={TOOLKIT} title="Own toolkit" type=toolkit'
    await harness.say("dana", f"resource suggest {fields}")
    post = review_post(harness)
    reply = await harness.click("dana", button(post.message, "resource.approve"))
    said = text_of(reply)
    assert "You approved your own suggestion Own toolkit" in said
    assert "no other coordinator reviewed it" in said
    assert reply.update_original is not None
    assert "Approved by Dana Reyes, who suggested it, on" in reply.update_original.fallback_text()
    assert harness.poster.to("@dana") == []  # not told about their own approval
    audit = text_of(await harness.say("admin", "resource audit 1"))
    assert "Dana Reyes approved #1, their own suggestion, on" in audit
    assert "own_suggestion" not in audit
    view = text_of(await harness.say("maria", "resource view 1"))
    assert "who suggested it" in view

    # Approving someone else's suggestion says nothing of the kind.
    await suggest(harness, "https://example.org/flyer", title="Housing fair flyer")
    other = await harness.click("dana", button(review_post(harness).message, "resource.approve"))
    assert "own suggestion" not in text_of(other)
    assert "who suggested it" not in text_of(other)
