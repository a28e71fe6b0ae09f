"""Reading the person's lines: on the main thread, while the bot runs in another.

Line editing (arrows, history) comes from readline, and Ctrl-C interrupts a
line at once, only in `input()` on the main thread: Python delivers signals
there. The bot's loop must keep running meanwhile (reminders post while the
prompt waits), so the loop runs in a thread of its own and asks the main
thread for each line.

Ctrl-C drops the line being typed (or stops a form, which keeps its answers);
Ctrl-D, or the end of piped input, quits. Piped lines are echoed after the
prompt, so a scripted session's transcript reads like a conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from adapters.console.forms import INTERRUPTED


@dataclass
class _Request:
    prompt: str
    loop: asyncio.AbstractEventLoop
    answer: asyncio.Future[str | None]


_DONE = None  # put on the queue when the bot has finished


class LineReader:
    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty()
        self._requests: queue.Queue[_Request | None] = queue.Queue()
        self.busy_interrupt: Callable[[], object] = lambda: None
        if self.interactive:
            with contextlib.suppress(ImportError):  # not on every platform (Windows)
                import readline  # noqa: F401  (importing it gives input() line editing)

    async def read(self, prompt: str) -> str | None:
        """The next line (without its newline), INTERRUPTED for Ctrl-C, None at the end."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str | None] = loop.create_future()
        self._requests.put(_Request(prompt, loop, answer))
        return await answer

    def serve(self, bot: Callable[[], int]) -> int:
        """Runs `bot` (which starts its own event loop) in a thread; reads lines for it here."""
        result: list[int] = []

        def run() -> None:
            # The kernel hands Ctrl-C's signal to any thread that does not block it; one
            # that reached the bot's threads (this one and those it starts) would leave
            # readline on the main thread waiting for Enter.
            if hasattr(signal, "pthread_sigmask"):
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                result.append(bot())
            finally:
                self._requests.put(_DONE)

        thread = threading.Thread(target=run, name="coalition-bot", daemon=True)
        thread.start()
        while (request := self._next_request()) is not _DONE:
            line = self._read_line(request.prompt)
            request.loop.call_soon_threadsafe(_answer, request.answer, line)
        thread.join()
        return result[0] if result else 1

    def _next_request(self) -> _Request | None:
        while True:
            try:
                return self._requests.get()
            except KeyboardInterrupt:
                # Ctrl-C while a command runs: stop the bot, as Ctrl-C stops any program.
                self.busy_interrupt()

    def _read_line(self, prompt: str) -> str | None:
        try:
            if self.interactive:
                return input(prompt)
            line = self.stdin.readline()
        except KeyboardInterrupt:
            self.stdout.write("\n")
            self.stdout.flush()
            return INTERRUPTED
        except EOFError:  # Ctrl-D
            self.stdout.write("\n")
            self.stdout.flush()
            return None
        if not line:
            return None
        self.stdout.write(prompt + line.rstrip("\n") + "\n")
        self.stdout.flush()
        return line.rstrip("\n")


def _answer(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():
        future.set_result(line)
