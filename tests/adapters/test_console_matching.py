"""Peer matching in the terminal: the introductions shown as direct messages, and the
check-in answered by button number."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.matching.rounds import MatchingRounds
from bot.matching.schedule import instants_between
from tests.adapters.opening import console_on
from tests.harness import Harness


async def test_the_terminal_shows_the_introduction_and_the_checkin(
    harness: Harness, tmp_path: Path
) -> None:
    script, console = console_on(harness, tmp_path)
    for user, name in (("maria", "Maria Lopez"), ("lee", "Lee Park")):
        await console.handle(f"/as {user}")
        await console.handle(
            f'/coalition join name="{name}" organization="{name} PH" discipline=Nursing '
            "region=West interests=Housing"
        )
        await console.handle("/coalition match join region=any")
    assert "You are in peer matching" in script.text
    config, now = harness.config, harness.clock.now()
    (due, *_) = instants_between(
        config.matching, config.coalition.timezone, now, now + timedelta(weeks=3)
    )
    harness.clock.set(due)
    rounds = harness.dispatcher.services.get(MatchingRounds)
    await rounds.run_due()
    assert "Meet your peer match" in script.text
    assert "Lee Park" in script.text and "Maria Lopez PH" in script.text
    harness.clock.advance(timedelta(days=7))
    await rounds.run_due()
    assert "Did you meet" in script.text
    await console.handle("/as lee")
    # Maria's check-in holds buttons 1-3, Lee's 4-6.
    assert "Did you meet Maria Lopez" in script.text.split("[direct message to @lee]")[-1]
    assert "[4] Yes" in script.text
    await console.handle("/click 4")
    assert "bot updated a message in DM with @lee" in script.text
    assert "noted that you met" in script.text
