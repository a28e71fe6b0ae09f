"""Meetings in Slack: what is checked before a meeting is saved, and what each person is sent."""

from __future__ import annotations

from tests.adapters.slack.harness import SlackScene
from tests.adapters.test_slack_meetings import ANNOUNCEMENTS, scene  # noqa: F401 - the fixture


async def test_a_meeting_channel_the_bot_cannot_see_is_refused_before_saving(
    scene: SlackScene,  # noqa: F811 - the fixture imported above
) -> None:
    await scene.command(
        'join name="Dana Reyes" organization="County PH" discipline=Policy region=West',
        user="UDANA",
    )
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
