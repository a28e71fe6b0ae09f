"""Office-hours questions end to end in the terminal: asked anonymously, upvoted by
button from two linked accounts (counted once), answered, the asker told."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.opening import console_on, join_as
from tests.harness import Harness


def upvote_button(text: str) -> str:
    """The number the terminal gave the last Upvote button it showed."""
    return text.rsplit("] Upvote", 1)[0].rsplit("[", 1)[1]


async def test_ask_upvote_and_answer_a_question_in_the_terminal(
    harness: Harness, tmp_path: Path
) -> None:
    script, console = console_on(harness, tmp_path)
    await join_as(console, ("admin", "Ada Admin"), ("maria", "Maria Lopez"), ("lee", "Lee Park"))
    await console.handle("/as maria")
    await console.handle('/coalition question ask question="Who signs the form?" anonymous=yes')
    assert "Asked question #1, anonymously" in script.text
    posted = script.text.split("Who signs the form?")[1]
    assert "Anonymous" in posted and "Maria" not in posted
    await console.handle("/as lee")
    await console.handle("/coalition link")
    code = script.text.split("code=")[-1].split()[0]
    await console.handle("/as lee2")
    await console.handle(f"/coalition link code={code}")
    await console.handle("/as lee")
    await console.handle(f"/click {upvote_button(script.text)}")
    assert "You upvoted question #1" in script.text
    assert "[bot updated a message in #office-hours]" in script.text
    assert "1 upvote" in script.text
    await console.handle("/as lee2")
    await console.handle(f"/click {upvote_button(script.text)}")
    assert "already upvoted this question" in script.text
    await console.handle("/as admin")
    before = len(script.text)
    await console.handle('/coalition question answer 1 answer="The county clerk"')
    after = script.text[before:]
    assert "Answered question #1" in after and "Your question #1 was answered" in after
    assert "Maria" not in after.split("Your question #1")[0]
