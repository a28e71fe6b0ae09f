"""Meetings in Slack end to end: the real Bolt app against the fake Slack.

Schedule, the announcement with RSVP buttons in #announcements, a Going click,
the counts edited on the announcement, the reminder in the channel and the DM.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

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


async def test_schedule_announce_rsvp_remind_and_dm_in_slack(scene: SlackScene) -> None:
    fake, app = scene.fake, scene.app
    assert app.scheduler is not None
    reminders = app.dispatcher.services.get(
        ReminderService
    )  # driven by hand: the clock is a ManualClock
    await join(scene, "UDANA", "U1")
    await scene.settled()
    sent = await scene.command(
        'meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles link=https://zoom.us/j/1",
        user="UDANA",
    )
    assert "Scheduled." in (await scene.answer(sent)).params["text"]
    await reminders.run_due()
    (announcement,) = fake.messages_in(ANNOUNCEMENTS)
    assert "Office hours" in announcement["text"]

    going = await scene.click(ANNOUNCEMENTS, announcement, "Going", user="U1")
    assert "You're going to" in (await scene.answer(going)).params["text"]
    await scene.settled()
    await reminders.run_due()
    edited = [m for m in fake.messages_in(ANNOUNCEMENTS) if m["ts"] == announcement["ts"]][-1]
    assert "Going: 1" in str(edited["blocks"])

    assert isinstance(app.clock, ManualClock)
    app.clock.set(FIRST - timedelta(minutes=15))
    await reminders.run_due()
    reminder = fake.messages_in(ANNOUNCEMENTS)[-1]
    assert "Reminder: Office hours" in str(reminder["blocks"]) + reminder["text"]
    dm = fake.messages_in("U1")[-1]
    assert "You said you're going" in str(dm["blocks"]) + dm["text"]


async def test_schedule_form_uses_date_and_time_pickers(scene: SlackScene) -> None:
    await join(scene, "UDANA")
    view = await scene.opened_view(await scene.command("meeting schedule", user="UDANA"))
    elements = {
        block["block_id"]: block["element"]["type"]
        for block in view["blocks"]
        if block.get("type") == "input"
    }
    assert elements["date"] == "datepicker"
    assert elements["time"] == "timepicker"
    assert elements["title"] == "plain_text_input"


async def test_the_occurrence_discussion_from_the_card_in_slack(scene: SlackScene) -> None:
    fake, app = scene.fake, scene.app
    assert app.scheduler is not None
    await join(scene, "UDANA", "U1")
    await scene.settled()
    await scene.command(
        'meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles",
        user="UDANA",
    )
    await scene.settled()
    await app.dispatcher.services.get(ReminderService).run_due()
    (card,) = fake.messages_in(ANNOUNCEMENTS)

    started = await scene.click(ANNOUNCEMENTS, card, "Agenda and notes", user="U1")
    assert "Started discussion #1" in (await scene.answer(started)).params["text"]
    await scene.settled()
    opening = fake.messages_in(ANNOUNCEMENTS)[-1]
    assert "Office hours — Mar 5, 2026" in opening["text"] + str(opening["blocks"])

    again = await scene.click(ANNOUNCEMENTS, card, "Agenda and notes", user="UDANA")
    answer = (await scene.answer(again)).params
    permalink = (
        f"https://coalition.slack.com/archives/{ANNOUNCEMENTS}/p{opening['ts'].replace('.', '')}"
    )
    assert "already has its discussion" in answer["text"]
    assert f"<{permalink}|Office hours — Mar 5, 2026>" in answer["text"] + str(answer["blocks"])
    async with app.storage.unit_of_work() as uow:
        assert await uow.discussions.get(2) is None
