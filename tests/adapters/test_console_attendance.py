"""Checking in end to end in the terminal: the starting-now reminder's "I'm here" by number."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.adapters.opening import console_on, join_as
from tests.harness import Harness
from tests.scheduling.support import reminder_service

FIRST = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)  # 9:00 in Los Angeles


async def test_check_in_from_the_reminder_and_see_it_as_a_coordinator(
    harness: Harness, tmp_path: Path
) -> None:
    script, console = console_on(harness, tmp_path)
    await join_as(console, ("admin", "Dana Reyes"), ("maria", "Maria Lopez"))
    await console.handle("/as admin")
    await console.handle(
        '/coalition meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles reminders=none"
    )
    harness.clock.set(FIRST)
    await reminder_service(harness).run_due()
    assert "Office hours is starting now." in script.text
    await console.handle("/as maria")
    await console.handle("/click 1")
    assert "You're checked in to Office hours." in script.text
    await console.handle("/click 1")
    assert "You are already checked in to Office hours." in script.text
    await console.handle("/as admin")
    await console.handle("/coalition meeting attendance 1 occurrence=2026-03-05")
    shown = script.text.split("meeting attendance")[-1]
    assert "1 member present" in shown and "Maria Lopez (checked in)" in shown
