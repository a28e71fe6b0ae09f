"""The read-eval-print loop: a prompt on a terminal, line by line from a pipe.

Lines are read by `LineReader` (adapters/console/terminal.py) on the main
thread; this loop runs the bot with them.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

from adapters.bootstrap import App
from adapters.console.session import PLATFORM, WORKSPACE, ConsoleSession
from adapters.console.terminal import LineReader
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
        header = self.session.tr.plain(
            "[posted in #{channel}] (message {number})", channel=channel, number=screen.next_number
        )
        return PostedMessage(
            PLATFORM, channel, screen.posted_id(screen.show(header, message, place))
        )

    async def post_to_user(self, identity: Identity, message: Message) -> PostedMessage:
        place = Place(PLATFORM, WORKSPACE, identity.user_id, is_direct=True)
        screen = self.session.screen
        header = self.session.tr.plain("[direct message to @{user}]", user=identity.user_id)
        shown = screen.show(header, message, place)
        return PostedMessage(PLATFORM, f"@{identity.user_id}", screen.posted_id(shown))

    async def edit(self, posted: PostedMessage, message: Message) -> None:
        user = posted.channel.removeprefix("@")
        direct = user != posted.channel
        place = Place(PLATFORM, WORKSPACE, user if direct else posted.channel, is_direct=direct)
        self.session.screen.edit(posted.message_id, message, place)


async def run_console(
    app: App, reader: LineReader, *, user: str = "admin", log: str | None = None
) -> None:
    loop = asyncio.get_running_loop()

    def out(line: str) -> None:
        print(line, flush=True)

    session = ConsoleSession(
        app.dispatcher,
        out,
        reader.read,
        user=user,
        files=Path.cwd(),
        language=app.config.coalition.language,
    )
    tr = session.tr
    app.broadcaster.connect(ConsolePoster(session))
    out(
        tr.plain(
            "{coalition} — terminal. You are @{user} in #{channel}. "
            "Type /coalition help, or /help for terminal commands.",
            coalition=app.config.coalition.name,
            user=session.user,
            channel=session.channel,
        )
    )
    if log is None:
        out(tr.plain("(The bot's log goes to the standard error stream.)"))
    else:
        out(tr.plain("(The bot's log goes to {place}.)", place=log))
    try:
        while (line := await reader.read(session.prompt)) is not None:
            handling = asyncio.ensure_future(session.handle(line))
            # Ctrl-C while a command runs stops that command, as in any REPL.
            reader.busy_interrupt = partial(loop.call_soon_threadsafe, handling.cancel)
            try:
                if not await handling:
                    break
            except asyncio.CancelledError:
                if not handling.cancelled():
                    raise
                out(tr.plain("(interrupted)"))
            finally:
                reader.busy_interrupt = lambda: None
    finally:
        app.broadcaster.disconnect(PLATFORM)
