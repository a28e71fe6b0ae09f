"""Meetings in Slack: what is checked before a meeting is saved, and what each person is sent."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.meetings.reminders import ReminderService
from tests.adapters.slack.harness import SlackScene
from tests.adapters.slack.opening import join
from tests.adapters.test_slack_meetings import (  # noqa: F401 - the fixture
    ANNOUNCEMENTS,
    FIRST,
    scene,
)


async def test_a_meeting_channel_the_bot_cannot_see_is_refused_before_saving(
    scene: SlackScene,  # noqa: F811 - the fixture imported above
) -> None:
    await join(scene, "UDANA")
    await scene.settled()
    sent = await scene.command(
        'meeting schedule title="Office hours" date=2026-03-05 time=9am channel=#does-not-exist',
        user="UDANA",
    )
    answer = (await scene.answer(sent)).params["text"]
    assert "There is no channel" in answer and "does-not-exist" in answer
    assert "invite me" in answer
    async with scene.app.storage.unit_of_work() as uow:
        assert await uow.meetings.get(1) is None
    ok = await scene.command(
        'meeting schedule title="Office hours" date=2026-03-05 time=9am', user="UDANA"
    )
    assert "Scheduled." in (await scene.answer(ok)).params["text"]
    moved = await scene.command("meeting edit 1 channel=nowhere", user="UDANA")
    assert "There is no channel" in (await scene.answer(moved)).params["text"]
    async with scene.app.storage.unit_of_work() as uow:
        meeting = await uow.meetings.get(1)
        assert meeting is not None and meeting.channel == "announcements"
    assert scene.fake.messages_in(ANNOUNCEMENTS) == []


async def test_cancel_asks_and_a_double_click_cancels_once_in_slack(
    scene: SlackScene,  # noqa: F811 - the fixture imported above
) -> None:
    await join(scene, "UDANA")
    await scene.settled()
    await scene.command(
        'meeting schedule title="Office hours" date=2026-03-05 time=9am repeat=weekly',
        user="UDANA",
    )
    await scene.settled()
    asked = await scene.answer(await scene.command("meeting cancel 1", user="UDANA"))
    assert "Cancel *Office hours* completely" in str(asked.params["blocks"])
    question = {"blocks": asked.params["blocks"], "ts": "1700000000.000100"}
    answers = []
    for _ in range(2):  # a double click
        click = await scene.click("C1", question, "Yes, cancel the meeting", user="UDANA")
        await scene.settled()
        answers.append(str((await scene.answer(click)).params))
    assert "Cancelled *Office hours*" in answers[0]
    assert "is already cancelled" in answers[1] and "went wrong" not in answers[1]
    async with scene.app.storage.unit_of_work() as uow:
        meeting = await uow.meetings.get(1)
        assert meeting is not None and meeting.cancelled


async def test_a_reminder_dm_in_slack_says_both_zones_and_keeps_the_local_date(
    scene: SlackScene,  # noqa: F811 - the fixture imported above
) -> None:
    fake, app = scene.fake, scene.app
    assert app.scheduler is not None and isinstance(app.clock, ManualClock)
    await join(scene, "UDANA")
    await scene.command(
        'join name="Maria Lopez" organization="County PH" discipline=Policy region=West '
        "timezone=America/New_York",
        user="U1",
    )
    await scene.settled()
    await scene.command(
        'meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles",
        user="UDANA",
    )
    await scene.settled()
    await app.dispatcher.services.get(ReminderService).run_due()
    (announcement,) = fake.messages_in(ANNOUNCEMENTS)
    await scene.click(ANNOUNCEMENTS, announcement, "Going", user="U1")
    await scene.settled()
    app.clock.set(FIRST - timedelta(minutes=15))
    await app.dispatcher.services.get(ReminderService).run_due()
    (dm,) = [m for m in fake.messages_in("U1") if "Reminder" in str(m["blocks"])]
    shown = str(dm["blocks"]).replace("\\u202f", " ").replace("\u202f", " ")
    assert "9:00 AM America/Los_Angeles (12:00 PM your time)" in shown
    assert "<!date^" in shown  # the When field: Slack shows it in the reader's own zone


async def test_a_form_refused_after_it_closed_keeps_every_answer_in_a_command(
    scene: SlackScene,  # noqa: F811 - the fixture imported above
) -> None:
    await join(scene, "UDANA")
    await scene.settled()
    sent = await scene.command("meeting schedule", user="UDANA")
    view = await scene.opened_view(sent)
    # Looking the channel up must wait 3 seconds (Slack answers 429), so the modal closes
    # before the channel is found missing: the error can no longer be shown in the form.
    scene.fake.fail_with_429_once("conversations.list", retry_after=3)
    answers = {
        "title": "Office hours",
        "date": "2026-03-05",
        "time": "09:00",
        "channel": "does-not-exist",
    }
    submitted = await scene.submit(view, answers, user="UDANA")
    assert submitted.ack == {}
    said = (await scene.answer(sent)).params["text"]
    assert "There is no channel" in said
    assert "Your answers are kept here" in said
    assert 'title="Office hours"' in said and "channel=does-not-exist" in said
    assert "date=2026-03-05" in said and "time=09:00" in said
