"""Meetings end to end in the terminal: schedule, announcement, RSVP click, reminder, DM."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.console.session import ConsoleSession
from tests.adapters.opening import console_on
from tests.adapters.test_console import Script
from tests.harness import Harness
from tests.scheduling.support import reminder_service

FIRST = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)  # 9:00 in Los Angeles


async def test_schedule_announce_rsvp_remind_and_dm_in_the_terminal(
    harness: Harness, tmp_path: Path
) -> None:
    script, console = console_on(harness, tmp_path)
    reminders = reminder_service(harness)

    await console.handle(
        '/coalition join name="Dana Reyes" organization=HQ discipline=Policy region=West'
    )
    await console.handle("/as maria")
    await console.handle(
        '/coalition join name="Maria Lopez" organization="Alameda PH" discipline=Nursing region=West'
    )
    await console.handle("/as admin")
    await console.handle(
        '/coalition meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles link=https://zoom.us/j/1"
    )
    assert "Scheduled." in script.text
    await reminders.run_due()
    assert "[posted in #announcements]" in script.text
    assert "[1] Going  [2] Maybe  [3] Can't go" in script.text

    await console.handle("/as maria")
    await console.handle("/click 1")
    assert "You're going to" in script.text
    await reminders.run_due()  # the announcement's counts are edited
    assert "[bot updated a message in #announcements]" in script.text
    assert "Going: 1 · Maybe: 0 · Can't go: 0" in script.text

    harness.clock.set(FIRST - timedelta(minutes=15))
    await reminders.run_due()
    assert "Reminder: Office hours starts at" in script.text
    assert "[direct message to @maria]" in script.text
    assert "You said you're going" in script.text

    await console.handle("/coalition meeting ics 1")
    assert (tmp_path / "meeting-1-2026-03-05.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


async def test_schedule_as_a_walk_through_form(harness: Harness, tmp_path: Path) -> None:
    answers = ["Peer learning", "2026-02-30", *[""] * 10]  # up to reminders
    script = Script([*answers, "2026-03-12", "2:30 pm"])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    await harness.join("admin", "Dana Reyes")
    await console.handle("/coalition meeting schedule")
    assert "Schedule a meeting." in script.text
    assert "Date (required)" in script.text
    assert "not a real date" in script.text  # asked again, with an example
    assert "Scheduled." in script.text
    assert "2:30 PM America/Chicago" in script.text.replace("\u202f", " ")


async def test_the_occurrence_discussion_from_the_meeting_card_in_the_terminal(
    harness: Harness, tmp_path: Path
) -> None:
    script, console = console_on(harness, tmp_path)
    await console.handle(
        '/coalition join name="Dana Reyes" organization=HQ discipline=Policy region=West'
    )
    await console.handle("/as maria")
    await console.handle(
        '/coalition join name="Maria Lopez" organization="Alameda PH" discipline=Nursing region=West'
    )
    await console.handle("/as admin")
    await console.handle(
        '/coalition meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles"
    )
    await reminder_service(harness).run_due()
    assert "[1] Going  [2] Maybe  [3] Can't go  [4] Agenda and notes" in script.text

    await console.handle("/as maria")
    await console.handle("/click 4")
    assert "Started discussion #1, Office hours — Mar 5, 2026" in script.text
    assert "Agenda and notes for Office hours on Mar 5, 2026" in script.text
    assert "Started by Maria Lopez" in script.text

    await console.handle("/as admin")
    await console.handle("/click 4")
    assert (
        "This meeting already has its discussion: #1 Office hours — Mar 5, 2026 in #announcements"
        in script.text
    )
    await console.handle("/coalition discussion list")
    assert "#1 Office hours — Mar 5, 2026 in #announcements, started by Maria Lopez" in script.text
