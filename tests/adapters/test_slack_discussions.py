"""Discussions in Slack end to end: the real Bolt app against the fake Slack.

Start (the opening in #discussions), replies in its thread counted from
`message` events, the follower's batched DM, and the close with its summary
posted in the thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.discussions.ingest import ReplyIngest
from bot.discussions.replies import notify_followers
from storage import Storage
from tests.adapters.slack.harness import SlackScene
from tests.adapters.slack.opening import admin_scene, join

DISCUSSIONS = "C7"


@pytest.fixture
async def scene(sqlite: Storage) -> AsyncIterator[SlackScene]:
    async with admin_scene(sqlite, "discussions", DISCUSSIONS) as scene:
        yield scene


async def replies_of(scene: SlackScene, discussion_id: int, expected: int) -> int:
    """The stored reply count, once it reaches `expected` (events are handled after the ack).

    Counts are buffered (bot/discussions/ingest.py): each look writes them first.
    """
    async with asyncio.timeout(5):
        while True:
            await scene.app.dispatcher.services.get(ReplyIngest).flush()
            async with scene.app.storage.unit_of_work() as uow:
                found = await uow.discussions.get(discussion_id)
            assert found is not None
            if found.replies >= expected:
                return found.replies
            await asyncio.sleep(0.01)


async def test_start_count_replies_notify_and_close_in_slack(scene: SlackScene) -> None:
    fake, app = scene.fake, scene.app
    await join(scene, "U1", "USAM")
    await scene.settled()
    sent = await scene.command(
        'discussion start title="Advisory boards" question="How did you set yours up?"'
    )
    assert "Started discussion #1" in (await scene.answer(sent)).params["text"]
    await scene.settled()
    (opening,) = fake.messages_in(DISCUSSIONS)
    assert "Advisory boards" in opening["text"] + str(opening["blocks"])

    follow = await scene.command("discussion follow id=1", user="USAM")
    assert "You now follow" in (await scene.answer(follow)).params["text"]

    for text in ("We used a survey.", "Pay members.", "Meet quarterly."):
        event = fake.message_event(DISCUSSIONS, "USAM", text, thread_ts=opening["ts"])
        await scene.send("events_api", event)
    # A message outside the thread is not a reply.
    await scene.send("events_api", fake.message_event(DISCUSSIONS, "USAM", "Unrelated"))
    assert await replies_of(scene, 1, 3) == 3

    listed = await scene.command("discussion list", user="USAM")
    answer = await scene.answer(listed)
    permalink = (
        f"https://coalition.slack.com/archives/{DISCUSSIONS}/p{opening['ts'].replace('.', '')}"
    )
    assert f"<{permalink}|Advisory boards>" in answer.params["text"] + str(answer.params["blocks"])

    assert await notify_followers(app.dispatcher.services) == 2  # Maria and Sam, once each
    await scene.settled()
    told = fake.messages_in("USAM")[-1]
    assert "3 new replies in the discussion" in told["text"] + str(told["blocks"])

    close = await scene.command('discussion close id=1 summary="Start small."')
    assert "Closed" in (await scene.answer(close)).params["text"]
    await scene.settled()
    in_thread = [m for m in fake.messages_in(DISCUSSIONS) if m.get("thread_ts") == opening["ts"]]
    note = in_thread[-1]
    assert note.get("user") != "USAM"
    assert "Start small." in note["text"] + str(note["blocks"])
    assert await replies_of(scene, 1, 3) == 3


async def test_a_channel_the_bot_cannot_see_is_refused(scene: SlackScene) -> None:
    await scene.command(
        'join name="Maria Lopez" organization="County PH" discipline=Policy region=West'
    )
    await scene.settled()
    sent = await scene.command(
        'discussion start title="Boards" question="How?" channel=private-planning'
    )
    answer = (await scene.answer(sent)).params["text"]
    assert "There is no channel" in answer and "private-planning" in answer
    assert "invite me" in answer
    async with scene.app.storage.unit_of_work() as uow:
        assert await uow.discussions.get(1) is None
    assert scene.fake.messages_in(DISCUSSIONS) == []
