"""Session evaluations end to end in the terminal: the DM's button walks through the form."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from adapters.console.repl import ConsolePoster
from adapters.console.session import ConsoleSession
from bot.evaluations.sending import EvaluationSending
from bot.meetings.reminders import ReminderService
from tests.adapters.opening import join_as
from tests.adapters.test_console import Script
from tests.core.test_reminders import FIRST, SCHEDULE
from tests.evaluation_answers import answers_read_back
from tests.harness import Harness


def last_button(text: str, label: str) -> str:
    found: list[str] = re.findall(rf"\[(\d+)\] {label}", text)
    return found[-1]


async def test_an_evaluation_answered_in_the_terminal_and_reminded_once(
    harness: Harness, tmp_path: Path
) -> None:
    # Lee's answers to the form: 4, a text, nothing (the session is carried, not asked).
    script = Script(["4", "The case definitions", ""])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(ConsolePoster(console))
    services = harness.dispatcher.services
    await join_as(console, ("admin", "Dana Reyes"), ("lee", "Lee Park"), ("sam", "Sam Roy"))
    await console.handle("/as admin")
    await console.handle(f"/coalition {SCHEDULE}")
    await services.get(ReminderService).run_due()
    going = last_button(script.text, "Going")
    for user in ("lee", "sam"):
        await console.handle(f"/as {user}")
        await console.handle(f"/click {going}")
    await console.handle("/as admin")
    await console.handle("/coalition evaluation add 1")
    assert "now has an evaluation" in script.text

    harness.clock.set(FIRST + timedelta(hours=1))
    await services.get(EvaluationSending).run_due()
    assert "How was Office hours?" in script.text
    await console.handle("/as lee")
    await console.handle(f"/click {last_button(script.text, 'Share your feedback')}")
    assert "How useful was this session?" in script.text
    assert "Session" not in script.text and "1@2026" not in script.text
    assert "your answers are saved, without your name" in script.text
    async with harness.storage.unit_of_work() as uow:
        (report,) = await answers_read_back(uow.session)
    assert report.usefulness == (4,)
    assert report.texts == (("What will you use in your work?", "The case definitions", None),)

    harness.clock.set(FIRST + timedelta(hours=1, days=2))
    await services.get(EvaluationSending).run_due()
    await services.get(EvaluationSending).run_due()
    assert script.text.count("Reminder: how was Office hours?") == 1
