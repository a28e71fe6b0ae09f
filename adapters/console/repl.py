"""The read-eval-print loop: a prompt on a terminal, line by line from a pipe.

When stdin is not a terminal (a script, a test, a demo), each line read is
echoed after the prompt so the transcript reads like a session.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from adapters.bootstrap import App
from adapters.console.session import PLATFORM, WORKSPACE, ConsoleSession
from bot.identity import Identity, Place
from bot.messages import Message
from bot.ports import PostedMessage


class ConsolePoster:
    """What the bot posts to channels and direct messages, shown in the terminal.

    Posts are numbered, so the core can edit one later (live RSVP counts): the
    terminal then prints the new version and retires the old one's buttons.
    """

    platform = PLATFORM

    def __init__(self, session: ConsoleSession) -> None:
        self.session = session

    async def post_to_channel(self, channel: str, message: Message) -> PostedMessage:
        place = Place(PLATFORM, WORKSPACE, channel)
        # Numbered, so a terminal user can answer in its "thread": /reply N TEXT.
        screen = self.session.screen
        header = f"[posted in #{channel}] (message {screen.next_number})"
        return PostedMessage(
            PLATFORM, channel, screen.posted_id(screen.show(header, message, place))
        )

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        place = Place(PLATFORM, WORKSPACE, identity.user_id, is_direct=True)
        screen = self.session.screen
        shown = screen.show(f"[direct message to @{identity.user_id}]", message, place)
        return PostedMessage(PLATFORM, f"@{identity.user_id}", screen.posted_id(shown))

    async def edit(self, posted: PostedMessage, message: Message) -> None:
        user = posted.channel.removeprefix("@")
        direct = user != posted.channel
        place = Place(PLATFORM, WORKSPACE, user if direct else posted.channel, is_direct=direct)
        self.session.screen.edit(posted.message_id, message, place)


async def run_console(app: App, *, user: str = "admin", stdin: TextIO = sys.stdin) -> None:
    interactive = stdin.isatty()
    loop = asyncio.get_running_loop()

    def out(line: str) -> None:
        print(line, flush=True)

    async def read(prompt: str) -> str | None:
        if interactive:
            try:
                return await loop.run_in_executor(None, input, prompt)
            except EOFError:
                return None
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            return None
        print(prompt + line.rstrip("\n"), flush=True)
        return line

    session = ConsoleSession(app.dispatcher, out, read, user=user, files=Path.cwd())
    app.broadcaster.connect(ConsolePoster(session))
    out(
        f"{app.config.coalition.name} — terminal. You are @{session.user} in #{session.channel}. "
        "Type /coalition help, or /help for terminal commands."
    )
    while True:
        line = await read(session.prompt)
        if line is None or not await session.handle(line):
            break
    app.broadcaster.disconnect(PLATFORM)
