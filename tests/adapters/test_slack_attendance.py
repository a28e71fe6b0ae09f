"""Checking in from Slack end to end: the real Bolt app against the fake Slack.

The starting-now reminder in #announcements carries "I'm here"; a click checks the
member in once, a second click says so, a non-member is told to join.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from bot.meetings.reminders import ReminderService
from storage import Storage
from tests.adapters.slack.harness import SlackScene
from tests.adapters.slack.opening import admin_scene, join

ANNOUNCEMENTS = "C5"
FIRST = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)  # 9:00 in Los Angeles


@pytest.fixture
async def scene(sqlite: Storage) -> AsyncIterator[SlackScene]:
    async with admin_scene(sqlite, "announcements", ANNOUNCEMENTS) as scene:
        yield scene


async def test_check_in_from_the_starting_now_reminder_in_slack(scene: SlackScene) -> None:
    fake, app = scene.fake, scene.app
    reminders = app.dispatcher.services.get(ReminderService)  # by hand: a ManualClock
    await join(scene, "UDANA", "U1")
    await scene.command(
        'meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles reminders=none",
        user="UDANA",
    )
    await scene.settled()
    assert isinstance(app.clock, ManualClock)
    app.clock.set(FIRST)
    await reminders.run_due()
    starting = fake.messages_in(ANNOUNCEMENTS)[-1]
    assert "is starting now" in starting["text"] + str(starting["blocks"])

    here = await scene.click(ANNOUNCEMENTS, starting, "I'm here", user="U1")
    assert "You're checked in to" in (await scene.answer(here)).params["text"]
    again = await scene.click(ANNOUNCEMENTS, starting, "I'm here", user="U1")
    assert "already checked in" in (await scene.answer(again)).params["text"]
    stranger = await scene.click(ANNOUNCEMENTS, starting, "I'm here", user="USAM")
    assert "join the coalition first" in (await scene.answer(stranger)).params["text"]
    await scene.settled()

    shown = await scene.command("meeting attendance 1 occurrence=2026-03-05", user="UDANA")
    text = (await scene.answer(shown)).params["text"]
    assert "1 member present" in text and "Maria Lopez" in text
