"""The opening most terminal tests share: a console session that shows what the bot posts,
and members joined one after the other with `/as` and `/coalition join`."""

from __future__ import annotations

from pathlib import Path

from adapters.console.repl import ConsolePoster
from adapters.console.session import ConsoleSession
from tests.adapters.test_console import Script
from tests.harness import Harness


def console_on(harness: Harness, files: Path) -> tuple[Script, ConsoleSession]:
    """A scripted session whose poster replaces the harness's, so posts and DMs show in it."""
    script = Script([])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=files)
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(ConsolePoster(console))
    return script, console


async def join_as(console: ConsoleSession, *members: tuple[str, str]) -> None:
    """Each (user, name) switches to that user and joins; the session stays as the last one."""
    for user, name in members:
        await console.handle(f"/as {user}")
        await console.handle(
            f'/coalition join name="{name}" organization=PH discipline=Nursing region=West'
        )
