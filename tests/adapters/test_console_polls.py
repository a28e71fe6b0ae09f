"""Polls end to end in the terminal: create, a vote by button number, the edited counts, close."""

from __future__ import annotations

from pathlib import Path

from adapters.console.repl import ConsolePoster
from adapters.console.session import ConsoleSession
from tests.adapters.test_console import Script
from tests.harness import Harness


async def test_create_vote_and_close_a_poll_in_the_terminal(
    harness: Harness, tmp_path: Path
) -> None:
    script = Script([])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(ConsolePoster(console))
    for user, name in (("maria", "Maria Lopez"), ("lee", "Lee Park")):
        await console.handle(f"/as {user}")
        await console.handle(
            f'/coalition join name="{name}" organization=PH discipline=Nursing region=West'
        )
    await console.handle("/as maria")
    await console.handle('/coalition poll create question="Which day?" options="Tue, Wed"')
    assert "Created poll #1" in script.text and "Which day?" in script.text
    await console.handle("/as lee")
    await console.handle("/click 2")
    assert "You voted for Wed" in script.text
    assert "[bot updated a message in #announcements]" in script.text
    assert "██████████ 1 vote (100%)" in script.text
    await console.handle("/as maria")
    await console.handle("/coalition poll close 1")
    assert "Poll closed: Which day?" in script.text
    assert "1 vote (100%)" in script.text.split("Poll closed: Which day?")[1]
