"""Polls end to end in the terminal: create, a vote by button number, the edited counts, close."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.opening import console_on, join_as
from tests.harness import Harness


async def test_create_vote_and_close_a_poll_in_the_terminal(
    harness: Harness, tmp_path: Path
) -> None:
    script, console = console_on(harness, tmp_path)
    await join_as(console, ("maria", "Maria Lopez"), ("lee", "Lee Park"))
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
