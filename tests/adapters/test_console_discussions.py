"""Discussions end to end in the terminal: start, follow, replies, the batched DM, close.

The terminal has no threads: `/reply N TEXT` stands for a reply under the
bot's message N, counted the way Slack and Discord message events are.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from bot.discussions.replies import notify_followers
from tests.adapters.opening import console_on, join_as
from tests.adapters.test_console import Script
from tests.harness import Harness


def opening_number(script: Script) -> str:
    found = re.search(r"\[posted in #discussions\] \(message (\d+)\)", script.text)
    assert found, script.text
    return found.group(1)


async def test_start_follow_reply_notify_and_close_in_the_terminal(
    harness: Harness, tmp_path: Path
) -> None:
    script, console = console_on(harness, tmp_path)
    await join_as(console, ("maria", "Maria Lopez"), ("lee", "Lee Park"))

    await console.handle("/as maria")
    await console.handle(
        '/coalition discussion start title="Advisory boards" question="How did you set yours up?"'
    )
    assert "Started discussion #1" in script.text
    number = opening_number(script)
    assert "How did you set yours up?" in script.text and "Follow" in script.text

    await console.handle("/as lee")
    await console.handle("/click 1")
    assert "You now follow Advisory boards" in script.text
    for reply in ("We used a survey.", "Pay members.", "Meet quarterly."):
        await console.handle(f"/reply {number} {reply}")
    assert f"[@lee replied in the thread of message {number}] Pay members." in script.text
    await console.handle("/reply 999 hello")
    assert "Type /reply, the number of a message" in script.text

    sent = await notify_followers(harness.dispatcher.services)
    assert sent == 2
    assert "[direct message to @lee]" in script.text
    assert "3 new replies in the discussion Advisory boards" in script.text

    await console.handle("/coalition discussion list")
    assert "3 replies" in script.text

    await console.handle("/as maria")
    await console.handle('/coalition discussion close id=1 summary="Start small."')
    assert "Closed Advisory boards" in script.text
    assert "This discussion is closed: Advisory boards" in script.text
    assert "Summary: Start small." in script.text
    await console.handle(f"/reply {number} One more thought")
    assert "(not counted: that message is not an open discussion" in script.text
    harness.clock.advance(timedelta(hours=2))
    assert await notify_followers(harness.dispatcher.services) == 0
