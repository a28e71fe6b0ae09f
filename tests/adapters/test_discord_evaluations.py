"""Session evaluations in Discord end to end: the real discord.py against the fake Discord.

At the end of a session the evaluation comes by DM; its button opens a modal; the
answers are saved; a second click says it was answered; the one reminder goes to the
member who did not answer.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.evaluations.sending import EvaluationSending
from bot.meetings.reminders import ReminderService
from storage import Storage
from tests.adapters.discord.conftest import (  # noqa: F401 - fixtures
    WAIT,
    buttons_of,
    discord_env,
    fake,
    running_bot,
    text_of,
)
from tests.adapters.discord.opening import admin_bot
from tests.core.test_reminders import FIRST
from tests.evaluation_answers import answers_read_back
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_payloads import MODAL, modal_inputs

END = FIRST + timedelta(hours=1)


async def test_an_evaluation_sent_answered_in_a_modal_and_reminded_once(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    async with admin_bot(fake, sqlite, ("carol", "Carol Diaz"), ("bob", "Bob Li")) as bot:
        services = bot.app.dispatcher.services
        meeting = {
            "title": "Office hours",
            "date": "2026-03-05",
            "time": "9am",
            "timezone": "America/Los_Angeles",
        }
        await bot.command("meeting schedule", meeting, user="alice")
        await services.get(ReminderService).run_due()
        post = await fake.wait_for_message("announcements", timeout=WAIT)
        going = next(b for b in buttons_of(post) if b["label"] == "Going")
        for user in ("carol", "bob"):
            await bot.click(going["custom_id"], post, user=user)
        added = await bot.command("evaluation add", {"meeting": 1}, user="alice")
        assert "now has an evaluation" in text_of(added.data)

        assert isinstance(bot.app.clock, ManualClock)
        bot.app.clock.set(END)
        await services.get(EvaluationSending).run_due()
        dm = await fake.wait_for_message(fake.dm_channel("carol"), timeout=WAIT)
        assert "How was Office hours?" in text_of(dm)
        share = next(b for b in buttons_of(dm) if b["label"] == "Share your feedback")
        assert len(share["custom_id"]) <= 100
        await fake.wait_for_message(
            "announcements", lambda m: "Share your feedback" in text_of(m), timeout=WAIT
        )

        opened = await bot.click(share["custom_id"], dm, user="carol")
        assert opened.type == MODAL and opened.data is not None
        inputs = modal_inputs(opened.data)
        # The session travels with the form (kept with its state), never shown.
        assert "session" not in inputs and "answer1" in inputs
        done = await bot.submit(
            opened.data,
            {"answer1": ["5"], "answer2": "Line lists", "answer3": ""},
            user="carol",
        )
        assert "your answers are saved" in text_of(done.data)
        again = await bot.click(share["custom_id"], dm, user="carol")
        assert "already answered" in text_of(again.data)
        async with bot.app.storage.unit_of_work() as uow:
            (report,) = await answers_read_back(uow.session)
        assert report.usefulness == (5,) and report.responses == 1

        bot.app.clock.set(END + timedelta(days=2))
        await services.get(EvaluationSending).run_due()
        await services.get(EvaluationSending).run_due()
        reminder = await fake.wait_for_message(
            fake.dm_channel("bob"), lambda m: "Reminder" in text_of(m), timeout=WAIT
        )
        assert "Office hours" in text_of(reminder)
        bobs = [m for m in fake.messages_in(fake.dm_channel("bob")) if "Reminder" in text_of(m)]
        carols = [m for m in fake.messages_in(fake.dm_channel("carol")) if "Reminder" in text_of(m)]
        assert len(bobs) == 1 and carols == []
