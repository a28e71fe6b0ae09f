"""Polls in Slack end to end: the real Bolt app against the fake Slack.

Create, the poll posted in #announcements with a button per option, a vote by button,
the result bars edited on the post, a close and the final results in the channel.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator

import pytest

from bot.identity import Identity
from bot.membership.model import Profile
from bot.polls.edits import PollEdits
from storage import Storage
from tests.adapters.slack.harness import TEAM, SlackScene, button_in
from tests.adapters.slack.opening import admin_scene, join
from tests.harness import START

ANNOUNCEMENTS = "C5"


@pytest.fixture
async def scene(sqlite: Storage) -> AsyncIterator[SlackScene]:
    async with admin_scene(sqlite, "announcements", ANNOUNCEMENTS) as scene:
        yield scene


async def test_create_vote_and_close_a_poll_in_slack(scene: SlackScene) -> None:
    fake = scene.fake
    await join(scene, "UDANA", "U1")
    await scene.settled()
    created = await scene.command(
        'poll create question="Which day suits the training?" options="Tuesday, Wednesday"',
        user="UDANA",
    )
    assert "Created poll #1" in (await scene.answer(created)).params["text"]
    await scene.settled()
    (post,) = fake.messages_in(ANNOUNCEMENTS)
    assert "Which day suits the training?" in post["text"] + str(post["blocks"])

    voted = await scene.click(ANNOUNCEMENTS, post, "Tuesday", user="U1")
    assert "You voted for" in (await scene.answer(voted)).params["text"]
    await scene.settled()
    edited = [m for m in fake.messages_in(ANNOUNCEMENTS) if m["ts"] == post["ts"]][-1]
    assert "1 vote (100%)" in str(edited["blocks"])
    assert "█" * 10 in str(edited["blocks"])

    closed = await scene.command("poll close 1", user="UDANA")
    assert "Closed poll #1" in (await scene.answer(closed)).params["text"]
    await scene.settled()
    await scene.app.dispatcher.services.get(PollEdits).settled()  # the post, within a second
    results = fake.messages_in(ANNOUNCEMENTS)[-1]
    assert "Poll closed" in results["text"] + str(results["blocks"])
    final = [m for m in fake.messages_in(ANNOUNCEMENTS) if m["ts"] == post["ts"]][-1]
    assert "actions" not in {block["type"] for block in final["blocks"]}


async def test_the_longest_question_and_options_fit_slack(scene: SlackScene) -> None:
    """A 300-character question and 80-character options within Slack's block limits."""
    await join(scene, "UDANA")
    question = "Q" * 299 + "?"
    options = ", ".join(letter * 80 for letter in "ABCDEFGHIJ")
    created = await scene.command(
        f'poll create question="{question}" options="{options}"', user="UDANA"
    )
    assert "Created poll #1" in (await scene.answer(created)).params["text"]
    await scene.settled()
    (post,) = scene.fake.messages_in(ANNOUNCEMENTS)
    buttons = [
        element
        for block in post["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert len(buttons) == 10


async def test_create_with_no_options_opens_a_form_with_date_and_time_pickers(
    scene: SlackScene,
) -> None:
    await join(scene, "UDANA")
    view = await scene.opened_view(await scene.command("poll create", user="UDANA"))
    elements = {
        block["block_id"]: block["element"]["type"]
        for block in view["blocks"]
        if block.get("type") == "input"
    }
    assert elements["question"] == "plain_text_input"
    assert elements["date"] == "datepicker" and elements["time"] == "timepicker"


async def test_rapid_votes_edit_the_post_at_most_once_per_interval(scene: SlackScene) -> None:
    """40 members click at once: a few chat.update calls, paced, the last one with all 40."""
    voters = [f"UV{n}" for n in range(40)]
    async with scene.app.storage.unit_of_work() as uow:
        for user in ["UDANA", *voters]:
            profile = Profile(f"Voter {user}", "County PH", region="West")
            await uow.members.add(profile, Identity("slack", TEAM, user), pending=False, at=START)
        await uow.commit()
    services = scene.app.dispatcher.services
    interval = 0.25  # the pace under test, shorter than a second to keep the test quick
    edits = PollEdits(services, interval=interval)
    services.add(edits)
    created = await scene.command(
        'poll create question="Which day?" options="Tuesday, Wednesday"', user="UDANA"
    )
    await scene.answer(created)
    await scene.settled()
    (post,) = scene.fake.messages_in(ANNOUNCEMENTS)
    button = button_in(post, "Tuesday")

    started = time.monotonic()
    await asyncio.gather(
        *(
            scene.send(
                "interactive",
                scene.fake.block_actions(
                    button["action_id"],
                    button["value"],
                    user_id=user,
                    channel_id=ANNOUNCEMENTS,
                    message_ts=post["ts"],
                ),
            )
            for user in voters
        )
    )
    await scene.settled()  # every vote committed
    duration = time.monotonic() - started
    await edits.settled()

    updates = [c for c in scene.fake.calls_to("chat.update") if c.params.get("ts") == post["ts"]]
    assert 1 <= len(updates) <= math.ceil(duration / interval) + 1, (len(updates), duration)
    assert len(updates) < len(voters)  # not one per vote
    final = [m for m in scene.fake.messages_in(ANNOUNCEMENTS) if m["ts"] == post["ts"]][-1]
    assert "40 votes (100%)" in str(final["blocks"]), final["blocks"]
    assert "40 votes (100%)" in str(updates[-1].params["blocks"])
