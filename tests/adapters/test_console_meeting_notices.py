"""Meetings in the terminal for issue 16: confirmations, notices, the list's pages, DM times."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from adapters.console.session import ConsoleSession
from tests.adapters.opening import console_on
from tests.adapters.test_console import Script
from tests.adapters.test_console_meetings import FIRST
from tests.harness import Harness
from tests.scheduling.support import reminder_service


async def terminal(harness: Harness, tmp_path: Path) -> tuple[Script, ConsoleSession]:
    script, console = console_on(harness, tmp_path)
    await console.handle(
        '/coalition join name="Dana Reyes" organization=HQ discipline=Policy region=West'
    )
    await console.handle("/as maria")
    await console.handle(
        '/coalition join name="Maria Lopez" organization="Alameda PH" discipline=Nursing '
        "region=West timezone=America/New_York"
    )
    await console.handle("/as admin")
    await console.handle(
        '/coalition meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles link=zoom.us/j/1 repeat=weekly"
    )
    await reminder_service(harness).run_due()
    return script, console


async def test_cancel_one_date_then_the_whole_series_with_a_confirmation(
    harness: Harness, tmp_path: Path
) -> None:
    script, console = await terminal(harness, tmp_path)
    assert "https://zoom.us/j/1" in script.text
    await console.handle("/coalition meeting cancel 1 occurrence=2026-03-05")
    assert "[posted in #announcements]" in script.text.split("Cancelled Office hours on")[0]
    assert "The other meetings of the series stay as planned." in script.text
    await reminder_service(harness).run_due()
    assert "The meeting on Mar 5, 2026" in script.text  # the card, edited
    mark = len(script.text)
    await console.handle("/coalition meeting cancel 1")
    asked = script.text[mark:]
    assert "Cancel Office hours completely" in asked
    found = re.search(r"\[(\d+)\] Yes, cancel the meeting  \[\d+\] No, keep the meeting", asked)
    assert found is not None
    await console.handle(f"/click {found.group(1)}")
    assert "Cancelled Office hours. No more reminders" in script.text[mark:]
    mark = len(script.text)
    await console.handle(f"/click {found.group(1)}")  # the question was replaced
    assert "That message has changed since" in script.text[mark:]
    assert "it has no buttons now" in script.text[mark:]
    assert "went wrong" not in script.text


async def test_a_reminder_dm_in_the_terminal_says_the_readers_time(
    harness: Harness, tmp_path: Path
) -> None:
    script, console = await terminal(harness, tmp_path)
    await console.handle("/as maria")
    await console.handle("/click 1")
    harness.clock.set(FIRST - timedelta(minutes=15))
    await reminder_service(harness).run_due()
    dm = script.text.split("[direct message to @maria]")[1]
    assert "9:00 AM America/Los_Angeles (12:00 PM your time)" in dm.replace("\u202f", " ")
