"""The resource library in Slack end to end: the real Bolt app against the fake Slack.

Suggest (a modal), the review post with buttons in #coordinators, a refused click
by a member, approval by a coordinator (post replaced, card in #resources, the
suggester told), rejection with a reason typed in a modal, and search.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from bot.config import Config
from storage import Storage
from tests.adapters.slack.harness import (
    CHANNELS,
    USERS,
    Sent,
    SlackScene,
    socket_scene,
    state_of,
)
from tests.fakes.slack import FakeSlack

REVIEWS, RESOURCES = "C9", "C7"
CONFIG = Config(admins=("slack:UDANA",))  # Dana may review (admins include coordinators)
SUGGESTION = {
    "url": "https://www.example.org/housing-toolkit?utm_source=newsletter",
    "title": "Housing and Health Toolkit",
    "description": "Working with housing authorities",
    "type": "toolkit",
    "topics": "housing, eviction prevention",
}


@pytest.fixture
async def library(storage: Storage) -> AsyncIterator[SlackScene]:
    async with (
        FakeSlack(users=USERS, channels={**CHANNELS, "resources": RESOURCES}) as fake,
        socket_scene(fake, storage, CONFIG) as scene,
    ):
        yield scene
        assert fake.errors == [], "the fake itself raised"
        fake.assert_payloads_valid()


async def submit(
    scene: SlackScene, view: Mapping[str, Any], answers: Mapping[str, Any], user: str = "U1"
) -> Sent:
    """SlackScene.submit, and the link field too (a url_text_input, as Slack sends it)."""
    state = state_of(view, answers)
    for block in view["blocks"]:
        element = block.get("element") or {}
        if block["type"] == "input" and element.get("type") == "url_text_input":
            value = answers.get(block["block_id"], element.get("initial_value"))
            state[block["block_id"]] = {
                element["action_id"]: {"type": "url_text_input", "value": value}
            }
    payload = scene.fake.view_submission(
        "coalition_form", view_id=view["id"], user_id=user, state_values=state
    )
    return await scene.send("interactive", payload)


async def join_everyone(scene: SlackScene) -> None:
    for user, name in (("UDANA", "Dana Reyes"), ("USAM", "Sam Okafor"), ("U1", "Maria Lopez")):
        await scene.command(
            f'join name="{name}" organization="County PH" discipline=Policy region=West',
            user=user,
        )
    await scene.settled()


async def test_suggest_review_approve_reject_and_search(library: SlackScene) -> None:
    scene, fake = library, library.fake
    await join_everyone(scene)

    sent = await scene.command("resource suggest")
    view = await scene.opened_view(sent)
    assert (await submit(scene, view, SUGGESTION)).ack == {}
    thanks = await scene.answer(sent)
    assert "sent Housing and Health Toolkit to the coordinators" in thanks.params["text"]
    await scene.settled()
    (post,) = fake.messages_in(REVIEWS)
    assert "Maria Lopez suggested" in post["text"]
    labels = [e["text"]["text"] for b in post["blocks"] for e in b.get("elements", [])]
    assert labels == ["Approve", "Edit", "Reject"]

    refused = await scene.click(REVIEWS, post, "Approve", user="USAM")
    answer = await scene.answer(refused)
    assert "Only coordinators can do that" in answer.params["text"]
    assert answer.params["response_type"] == "ephemeral"
    await scene.settled()
    assert fake.messages_in(RESOURCES) == []

    approved = await scene.click(REVIEWS, post, "Approve", user="UDANA")
    assert (
        "You approved Housing and Health Toolkit" in (await scene.answer(approved)).params["text"]
    )
    await scene.settled()
    decided = fake.messages_in(REVIEWS)[-1]
    assert decided["ts"] == post["ts"] and "Approved by Dana Reyes" in decided["text"]
    assert not [b for b in decided["blocks"] if b["type"] == "actions"]
    assert "Housing and Health Toolkit" in fake.messages_in(RESOURCES)[-1]["text"]
    assert "Dana Reyes approved your suggestion" in fake.messages_in("U1")[-1]["text"]

    await scene.command(
        'resource suggest url=https://example.org/flyer title="Housing fair flyer" type=other'
    )
    await scene.settled()
    flyer = fake.messages_in(REVIEWS)[-1]
    rejecting = await scene.click(REVIEWS, flyer, "Reject", user="UDANA")
    reason_form = await scene.opened_view(rejecting)
    assert (await scene.submit(reason_form, {"reason": "Out of scope"}, user="UDANA")).ack == {}
    await scene.settled()
    assert "The coordinators' reason: Out of scope" in fake.messages_in("U1")[-1]["text"]
    outcome = [m for m in fake.messages_in(REVIEWS) if m["ts"] == flyer["ts"]][-1]
    assert "Rejected by Dana Reyes" in outcome["text"]  # the stored post, edited

    found = await scene.answer(await scene.command("resource search housing"))
    assert "1 resource found" in found.params["text"]
    assert "Housing and Health Toolkit" in found.params["text"]
    assert "flyer" not in found.params["text"]


async def test_a_resource_in_the_library_is_corrected_in_a_modal_then_retired(
    library: SlackScene,
) -> None:
    scene, fake = library, library.fake
    await join_everyone(scene)
    await scene.command(
        f'resource suggest url={SUGGESTION["url"]} title="Housing and Health Toolkit" type=toolkit',
        user="UDANA",
    )
    await scene.settled()
    (post,) = fake.messages_in(REVIEWS)
    approved = await scene.answer(await scene.click(REVIEWS, post, "Approve", user="UDANA"))
    assert "You approved your own suggestion" in approved.params["text"]
    await scene.settled()
    decided = fake.messages_in(REVIEWS)[-1]
    assert "who suggested it" in decided["text"]  # the review post says so too
    # The published link lost its tracker.
    assert "utm_source" not in fake.messages_in(RESOURCES)[-1]["text"]

    opening = await scene.command("resource edit 1", user="UDANA")
    form = await scene.opened_view(opening)
    new_link = "https://example.org/housing-toolkit-2026"
    answers = {"title": "Housing and Health Toolkit 2026", "url": new_link}
    assert (await submit(scene, form, answers, user="UDANA")).ack == {}
    saved = await scene.answer(opening)
    assert "Saved your changes to Housing and Health Toolkit 2026" in saved.params["text"]
    found = await scene.answer(await scene.command("resource search 2026"))
    assert "1 resource found" in found.params["text"] and new_link in found.params["text"]

    asked = await scene.answer(
        await scene.command(
            'resource retire 1 reason="Replaced by the state toolkit"', user="UDANA"
        )
    )
    assert asked.params["response_type"] == "ephemeral"
    (question,) = [
        e for e in fake.ephemerals_for("UDANA") if e.get("ts") and "Retire #1" in e["text"]
    ]
    assert "Replaced by the state toolkit" in question["text"]
    confirm = next(
        e for b in question["blocks"] for e in b.get("elements", []) if e.get("style") == "danger"
    )
    payload = fake.block_actions(
        confirm["action_id"],
        confirm["value"],
        user_id="UDANA",
        message_ts=question["ts"],
        is_ephemeral=True,
    )
    clicked = await scene.send("interactive", payload)
    replaced = await scene.answer(clicked)
    assert replaced.params["replace_original"] is True
    assert "Retired #1 Housing and Health Toolkit 2026" in question["text"]
    gone = await scene.answer(await scene.command("resource search 2026"))
    assert "No resource in the library matches that" in gone.params["text"]
