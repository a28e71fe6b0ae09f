"""Office-hours questions in Slack end to end: the real Bolt app against the fake Slack.

Asked anonymously, posted in #office-hours with an Upvote button and no name, an
upvote edits the count, the asker's own upvote is refused, the answer shows on the
post and the asker is told in a DM.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage import Storage
from tests.adapters.slack.harness import SlackScene
from tests.adapters.slack.opening import admin_scene, join

OFFICE_HOURS = "C7"


@pytest.fixture
async def scene(sqlite: Storage) -> AsyncIterator[SlackScene]:
    async with admin_scene(sqlite, "office-hours", OFFICE_HOURS) as scene:
        yield scene


async def test_ask_anonymously_upvote_and_answer_in_slack(scene: SlackScene) -> None:
    fake = scene.fake
    await join(scene, "UDANA", "U1", "USAM")
    await scene.settled()
    asked = await scene.command(
        'question ask question="Who signs the form?" anonymous=yes', user="U1"
    )
    assert "Asked question #1, anonymously" in (await scene.answer(asked)).params["text"]
    await scene.settled()
    (post,) = fake.messages_in(OFFICE_HOURS)
    shown = post["text"] + str(post["blocks"])
    assert "Who signs the form?" in shown and "Maria" not in shown and "Anonymous" in shown

    upvoted = await scene.click(OFFICE_HOURS, post, "Upvote", user="USAM")
    assert "You upvoted question #1" in (await scene.answer(upvoted)).params["text"]
    await scene.settled()
    edited = [m for m in fake.messages_in(OFFICE_HOURS) if m["ts"] == post["ts"]][-1]
    assert "1 upvote" in str(edited["blocks"])

    own = await scene.click(OFFICE_HOURS, post, "Upvote", user="U1")
    assert "cannot upvote it" in (await scene.answer(own)).params["text"]

    answered = await scene.command('question answer 1 answer="The county clerk"', user="UDANA")
    assert "Answered question #1" in (await scene.answer(answered)).params["text"]
    await scene.settled()
    final = [m for m in fake.messages_in(OFFICE_HOURS) if m["ts"] == post["ts"]][-1]
    assert "The county clerk" in str(final["blocks"]) and "Maria" not in str(final["blocks"])
    assert "actions" not in {block["type"] for block in final["blocks"]}
    (told,) = fake.messages_in("U1")
    assert "Your question #1 was answered" in told["text"] + str(told.get("blocks"))
