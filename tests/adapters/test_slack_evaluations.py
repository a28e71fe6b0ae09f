"""Session evaluations in Slack end to end: the real Bolt app against the fake Slack.

A meeting with an evaluation; a member going; at the end the evaluation comes by DM,
its button opens a modal, the modal's answers are saved; the reminder goes to the
member who did not answer, once; the public feedback button is in the channel.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.evaluations.sending import EvaluationSending
from bot.meetings.reminders import ReminderService
from storage import Storage
from tests.adapters.slack.harness import SlackScene
from tests.adapters.slack.opening import admin_scene, join
from tests.core.test_reminders import FIRST
from tests.evaluation_answers import answers_read_back

ANNOUNCEMENTS = "C5"
END = FIRST + timedelta(hours=1)


@pytest.fixture
async def scene(sqlite: Storage) -> AsyncIterator[SlackScene]:
    async with admin_scene(sqlite, "announcements", ANNOUNCEMENTS) as scene:
        yield scene


def said(message: dict[str, object]) -> str:
    return str(message.get("text", "")) + str(message.get("blocks", ""))


async def test_an_evaluation_sent_answered_in_a_modal_and_reminded_once(
    scene: SlackScene,
) -> None:
    fake, app = scene.fake, scene.app
    services = app.dispatcher.services
    await join(scene, "UDANA", "U1", "USAM")
    await scene.settled()
    await scene.command(
        'meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles link=https://zoom.us/j/1",
        user="UDANA",
    )
    await services.get(ReminderService).run_due()
    (announcement,) = fake.messages_in(ANNOUNCEMENTS)
    for user in ("U1", "USAM"):
        await scene.click(ANNOUNCEMENTS, announcement, "Going", user=user)
    added = await scene.command("evaluation add 1", user="UDANA")
    assert "now has an evaluation" in (await scene.answer(added)).params["text"]
    await scene.settled()

    assert isinstance(app.clock, ManualClock)
    app.clock.set(END)
    await services.get(EvaluationSending).run_due()
    dm = fake.messages_in("U1")[-1]
    assert "How was Office hours?" in said(dm) and "anonymous" in said(dm)
    assert "Share your feedback" in said(fake.messages_in(ANNOUNCEMENTS)[-1])

    clicked = await scene.click("U1", dm, "Share your feedback", user="U1")
    view = await scene.opened_view(clicked)
    assert "How useful was this session?" in str(view["blocks"])
    # The session travels in the modal's private_metadata, never as a field.
    assert [b["block_id"] for b in view["blocks"]] == ["answer1", "answer2", "answer3"]
    submitted = await scene.submit(view, {"answer1": "4", "answer2": "The dashboards"}, user="U1")
    await scene.settled()
    assert submitted.ack == {} or "errors" not in submitted.ack, submitted.ack
    async with app.storage.unit_of_work() as uow:
        (report,) = await answers_read_back(uow.session)
    assert report.responses == 1 and report.usefulness == (4,)
    assert report.texts == (("What will you use in your work?", "The dashboards", None),)

    again = await scene.click("U1", dm, "Share your feedback", user="U1")
    assert "already answered" in (await scene.answer(again)).params["text"]

    app.clock.set(END + timedelta(days=2))
    await services.get(EvaluationSending).run_due()
    await services.get(EvaluationSending).run_due()
    reminders = [m for m in fake.messages_in("USAM") if "Reminder: how was" in said(m)]
    assert len(reminders) == 1
    assert not [m for m in fake.messages_in("U1") if "Reminder: how was" in said(m)]
