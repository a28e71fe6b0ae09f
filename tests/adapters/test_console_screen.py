"""Terminal message numbers: edits show new button numbers, and posts of an earlier
session are never mistaken for this session's messages of the same number."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.console.repl import ConsolePoster
from adapters.console.session import ConsoleSession
from tests.adapters.test_console import Script
from tests.harness import Harness
from tests.scheduling.support import reminder_service


def terminal(harness: Harness, script: Script, tmp_path: Path, tag: str) -> ConsoleSession:
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path, tag=tag)
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(ConsolePoster(console))
    return console


def number_of(label: str, text: str) -> int:
    """The number of the last button shown with this label."""
    found = re.findall(rf"\[(\d+)\] {re.escape(label)}", text)
    assert found, text
    return int(found[-1])


async def set_up_meeting(harness: Harness, console: ConsoleSession) -> None:
    for user, name in (("admin", "Dana Reyes"), ("maria", "Maria Lopez"), ("lee", "Lee Park")):
        await console.handle(f"/as {user}")
        await console.handle(
            f'/coalition join name="{name}" organization=HQ discipline=Policy region=West'
        )
    await console.handle("/as admin")
    await console.handle(
        '/coalition meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles"
    )


async def test_a_click_on_a_changed_message_shows_it_with_new_numbers(
    harness: Harness, tmp_path: Path
) -> None:
    script = Script([])
    console = terminal(harness, script, tmp_path, "first")
    await set_up_meeting(harness, console)
    reminders = reminder_service(harness)
    await reminders.run_due()
    old_maybe = number_of("Maybe", script.text)
    await console.handle("/as maria")
    await console.handle(f"/click {number_of('Going', script.text)}")
    await reminders.run_due()  # the announcement's counts are edited: new buttons
    assert "Going: 1 · Maybe: 0" in script.text

    await console.handle("/as lee")
    shown = len(script.lines)
    await console.handle(f"/click {old_maybe}")
    now = "\n".join(script.lines[shown:])
    assert "That message has changed since; here it is now" in now
    assert "Going: 1 · Maybe: 0" in now
    new_maybe = number_of("Maybe", now)
    assert new_maybe > old_maybe
    await console.handle(f"/click {new_maybe}")
    await reminders.run_due()
    assert "Going: 1 · Maybe: 1" in script.text


async def test_an_edit_of_a_post_from_an_earlier_session_is_never_this_sessions_message(
    harness: Harness, tmp_path: Path
) -> None:
    earlier = Script([])
    console = terminal(harness, earlier, tmp_path, "earlier")
    await set_up_meeting(harness, console)
    reminders = reminder_service(harness)
    await reminders.run_due()
    posted = re.search(r"\[posted in #announcements\] \(message (\d+)\)", earlier.text)
    assert posted, earlier.text

    later = Script([])  # the terminal is opened again on the same database
    console = terminal(harness, later, tmp_path, "later")
    for _ in range(int(posted.group(1)) + 1):  # this session's numbers pass the old one
        await console.handle("/coalition profile view")
    await console.handle("/as maria")
    await console.handle("/coalition meeting view id=1")
    await console.handle(f"/click {number_of('Going', later.text)}")
    await reminders.run_due()
    assert "[bot updated a message it posted in #announcements before this session]" in later.text
    assert f"[bot updated a message in #announcements] (message {posted.group(1)})" not in (
        later.text
    )
    again = re.search(r"before this session\] \(message (\d+)\)", later.text)
    assert again, later.text

    await console.handle("/as lee")
    await console.handle(f"/click {number_of('Maybe', later.text)}")
    await reminders.run_due()  # the next edit of the same post lands on the same number
    assert f"[bot updated a message in #announcements] (message {again.group(1)})" in later.text
    assert "Going: 1 · Maybe: 1" in later.text
