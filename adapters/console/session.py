"""One terminal session: who you are, where you are, and the buttons on screen.

Everything is written through `out`, so the same session drives the real
terminal and the tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from adapters.console.forms import INTERRUPTED, FormWalk
from adapters.console.screen import Screen, ShownButton, where
from bot.dispatcher import Dispatcher
from bot.i18n import translator
from bot.identity import Identity, Place
from bot.invocation import Click, CommandCall, ThreadMessage
from bot.messages import Form, Message, Reply

PLATFORM = "console"
WORKSPACE = "local"
Ask = Callable[[str], Awaitable[str | None]]  # None: no more input
Out = Callable[[str], None]


class ConsoleSession:
    def __init__(
        self,
        dispatcher: Dispatcher,
        out: Out,
        ask: Ask,
        *,
        user: str = "admin",
        channel: str = "general",
        files: Path = Path("."),
        tag: str | None = None,
        language: str = "en",
    ) -> None:
        self.dispatcher = dispatcher
        self.out = out
        self.ask = ask
        self.user = user
        self.channel = channel
        self.files = files
        # The terminal's own words, in the coalition's language (a form's follow the form).
        self.tr = translator(language)
        self.screen = Screen(out, files, self.tr, tag)
        self.forms = FormWalk(
            ask, out, self._submit, self._show_error, self._show_reply, lambda: self.user
        )

    @property
    def identity(self) -> Identity:
        return Identity(PLATFORM, WORKSPACE, self.user)

    @property
    def place(self) -> Place:
        return Place(PLATFORM, WORKSPACE, self.channel)

    @property
    def prompt(self) -> str:
        return f"{self.user}@#{self.channel}> "

    async def handle(self, line: str) -> bool:
        """Act on one line; False when the person asked to quit."""
        going_on = await self._handle(line)
        # A command typed in place of a form's answer runs once the form is set aside.
        while going_on and (instead := self.forms.typed_instead) is not None:
            self.forms.typed_instead = None
            going_on = await self._handle(instead)
        return going_on

    async def _handle(self, line: str) -> bool:
        line = line.strip()
        if not line or line == INTERRUPTED:  # Ctrl-C drops the line being typed
            return True
        word, _, rest = line.partition(" ")
        match word.lower():
            case "/quit" | "/exit":
                return False
            case "/as":
                self._switch_user(rest)
            case "/in":
                self._switch_channel(rest)
            case "/click":
                await self._click(rest)
            case "/reply":
                await self._reply(rest)
            case "/coalition":
                await self._command(rest)
            case "/resume":
                if not await self.forms.resume():
                    self.out(
                        self.tr.plain(
                            "There is no form to go on with. Type the command again to start one."
                        )
                    )
            case "/cancel":
                self.out(self.tr.plain("There is nothing to cancel: no form is open."))
            case "/help":
                self._console_help()
            case _:
                self.out(
                    self.tr.plain(
                        "Commands start with /coalition (try /coalition help). Terminal commands: "
                        "/as NAME, /in #CHANNEL, /click N, /reply N TEXT, /resume, /quit."
                    )
                )
        return True

    def _switch_user(self, rest: str) -> None:
        name = rest.strip().removeprefix("@")
        if not name or not name.replace("_", "").replace("-", "").isalnum():
            self.out(
                self.tr.plain(
                    "Type /as and a user name of letters and digits, for example: /as maria"
                )
            )
            return
        self.user = name.lower()
        self.out(self.tr.plain("You are now @{user}.", user=self.user))

    def _switch_channel(self, rest: str) -> None:
        name = rest.strip().removeprefix("#")
        if not name or " " in name:
            self.out(self.tr.plain("Type /in and a channel, for example: /in #general"))
            return
        self.channel = name.lower()
        self.out(self.tr.plain("You are now in #{channel}.", channel=self.channel))

    def _console_help(self) -> None:
        tr = self.tr
        for typed, meaning in (
            ("/coalition ...", tr.plain("a bot command, as in chat (try /coalition help)")),
            ("/as NAME", tr.plain("act as another person, e.g. /as maria")),
            ("/in #CHANNEL", tr.plain("move to a channel, e.g. /in #coordinators")),
            ("/click N", tr.plain("press the button numbered N")),
            ("/reply N TEXT", tr.plain("reply in the thread of the bot's message N")),
            ("/resume", tr.plain("go on with a form you stopped (Ctrl-C, /cancel)")),
            ("/quit", tr.plain("leave (or press Ctrl-D)")),
        ):
            self.out(f"{typed:<17}{meaning}")

    async def _command(self, text: str) -> None:
        reply = await self.dispatcher.run_text(self.identity, self.place, text)
        await self._show_reply(reply)

    async def _click(self, rest: str) -> None:
        number = int(rest) if rest.strip().isdigit() else -1
        shown = self.screen.button(number)
        if shown is None:
            self.out(
                self.tr.plain(
                    "There is no button with that number. Buttons show as [N]; type /click N."
                )
            )
            return
        if shown.stale:
            self.out(
                self.tr.plain(
                    "That message has changed since; here it is now. Type /click with a new number."
                )
            )
            self.screen.show_current(shown.message_id)
            return
        click = Click(self.identity, shown.place, shown.button.action, shown.button.target)
        reply = await self.dispatcher.click(click)
        await self._show_reply(reply, clicked=shown)

    async def _reply(self, rest: str) -> None:
        """A reply in a thread, as a member would write one under the bot's post on Slack.

        The terminal has no threads: the reply is printed, and counted (never
        stored) the way platform message events are, if the post opened a discussion.
        """
        number, _, text = rest.strip().partition(" ")
        place = self.screen.place_of(int(number)) if number.isdigit() else None
        if place is None or place.is_direct or not text.strip():
            self.out(
                self.tr.plain(
                    "Type /reply, the number of a message the bot posted in a channel, and your "
                    "reply, for example: /reply 4 We started with a survey."
                )
            )
            return
        self.out(
            self.tr.plain(
                "[@{user} replied in the thread of message {number}] {text}",
                user=self.user,
                number=number,
                text=text.strip(),
            )
        )
        thread = self.screen.posted_id(int(number))
        now = self.dispatcher.clock.now()
        counted = await self.dispatcher.event(
            ThreadMessage(PLATFORM, place.channel, thread, now, at_once=True)
        )
        if not counted:
            self.out(
                self.tr.plain(
                    "(not counted: that message is not an open discussion the bot started)"
                )
            )

    async def _show_reply(self, reply: Reply, clicked: ShownButton | None = None) -> None:
        if reply.update_original is not None and clicked is not None:
            self.screen.show(
                self.tr.plain(
                    "bot updated a message in {place}:", place=where(clicked.place, self.tr)
                ),
                reply.update_original,
                clicked.place,
                clicked.message_id,
            )
        if reply.message is not None:
            self.show(self._reply_header(reply.private), reply.message, self.place)
        if reply.form is not None:
            await self.forms.start(reply.form)

    def show(self, header: str, message: Message, place: Place) -> int:
        """Print a message, numbering its buttons; returns its number."""
        return self.screen.show(header, message, place)

    async def _submit(self, form: Form, values: dict[str, str]) -> Reply:
        call = CommandCall(
            self.identity, self.place, form.command, form.submitted(values), from_form=True
        )
        return await self.dispatcher.run(call)

    def _show_error(self, reply: Reply) -> None:
        if reply.message is not None:
            self.show(self._reply_header(True), reply.message, self.place)

    def _reply_header(self, private: bool) -> str:
        if private:
            return self.tr.plain("bot (only you see this):")
        return self.tr.plain("bot in #{channel}:", channel=self.channel)
