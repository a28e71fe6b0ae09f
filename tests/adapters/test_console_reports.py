"""The sessions report end to end in the terminal: a coordinator types the command and reads
the known figures; a member is told it is for coordinators."""

from __future__ import annotations

from pathlib import Path

from adapters.console.session import ConsoleSession
from tests.adapters.test_console import Script
from tests.harness import Harness
from tests.reports_data import AFTER, known_sessions


async def test_a_coordinator_reads_the_report_in_the_terminal(
    harness: Harness, tmp_path: Path
) -> None:
    await known_sessions(harness)
    script = Script([])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    await console.handle("/as maria")
    await console.handle("/coalition report sessions from=2026-03-01 to=2026-03-31")
    assert "coordinator" in script.text.lower() and "Office hours" not in script.text
    await console.handle("/as cora")
    await console.handle("/coalition report sessions from=2026-03-01 to=2026-03-31")
    shown = script.text
    assert "Sessions, 2026-03-01 to 2026-03-31" in shown
    assert "Sessions: 3. Participants: 4 (1 at two or more). Organizations: 3." in shown
    assert "2026-03-12 Office hours: going 2, maybe 0, not going 0; attended 2" in shown
    assert "Evaluations: 3 answered of 6 sent (50%); average usefulness 4.0 of 5." in shown
    for name in ("María", "Lee Park", "Sam Hidden", "Ana Torres"):
        assert name not in shown.split("report sessions")[-1]
    # After March, every session has ended, the moved one on the day it took place.
    harness.clock.set(AFTER)
    before = len(script.text)
    await console.handle("/coalition report sessions from=2026-03-01 to=2026-03-31")
    later = script.text[before:]
    assert "2026-03-27 (moved from 2026-03-26) Office hours: going 0" in later, later
