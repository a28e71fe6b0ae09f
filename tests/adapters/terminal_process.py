"""`coalition-bot console` as a subprocess, on a pseudo-terminal or over a pipe, driven
as a person would: type a line, read what comes back."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).parents[2]
# A safety net for a hung process, not a timing assertion: each wait ends as soon as
# the awaited text appears.
PATIENCE = 90.0


def bot_environment(folder: Path, config: Path | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "COALITION_CONFIG"}
    }
    env["COALITION_DATABASE_URL"] = f"sqlite+aiosqlite:///{folder / 'bot.db'}"
    env["TERM"] = "xterm"
    if config is not None:
        env["COALITION_CONFIG"] = str(config)
    return env


def _controlling_terminal() -> None:  # in the child, before exec: Ctrl-C sends SIGINT
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """The bot on a pseudo-terminal: readline, Ctrl-C and Ctrl-D as typed at a keyboard."""

    def __init__(self, folder: Path, *args: str, config: Path | None = None) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", *args, "console"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=folder,
            env=bot_environment(folder, config),
            preexec_fn=_controlling_terminal,
        )
        os.close(slave)
        self.transcript = ""
        self._unread = ""

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def interrupt(self, until: str) -> str:
        """Ctrl-C, as a person presses it: again if nothing happened within a second.

        A Ctrl-C that arrives while Python's readline is starting to read a line (a gap no
        hand is quick enough for, but a test is) is held until the next key; a person who
        saw nothing happen would press it again, and so does this.
        """
        for _ in range(3):
            self.type("\x03")
            try:
                return self.until(until, patience=1.0)
            except AssertionError:
                continue
        return self.until(until)

    def until(self, text: str, patience: float = PATIENCE) -> str:
        """Everything shown up to and including `text`, once it appears."""
        deadline = time.monotonic() + patience
        while text not in self._unread:
            ready, _, _ = select.select(
                [self.master], [], [], max(0.0, deadline - time.monotonic())
            )
            if not ready:
                raise AssertionError(f"{text!r} never appeared; the screen so far:\n{self._unread}")
            try:
                chunk = os.read(self.master, 65536).decode(errors="replace")
            except OSError:  # the process ended
                raise AssertionError(f"{text!r} never appeared:\n{self._unread}") from None
            self._unread += chunk
            self.transcript += chunk
        shown, _, self._unread = self._unread.partition(text)
        return shown + text

    def wait(self) -> int:
        code = self.process.wait(timeout=PATIENCE)
        os.close(self.master)
        return code


class Piped:
    """The bot reading a pipe, as in `printf '/coalition help\\n' | coalition-bot console`,
    fed one line at a time so that what comes back can decide the next line."""

    def __init__(self, folder: Path, config: Path | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "console"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=folder,
            env=bot_environment(folder, config),
        )
        self.transcript = ""
        self._unread = ""

    @property
    def _stdout(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def until(self, text: str) -> str:
        """Everything printed up to and including `text`, once it appears."""
        deadline = time.monotonic() + PATIENCE
        fd = self._stdout.fileno()
        while text not in self._unread:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(fd, 65536).decode(errors="replace") if ready else ""
            if not chunk:
                raise AssertionError(f"{text!r} never appeared; printed so far:\n{self._unread}")
            self._unread += chunk
            self.transcript += chunk
        shown, _, self._unread = self._unread.partition(text)
        return shown + text

    def close(self) -> tuple[int, str]:
        """Ends the input (as a script's end does); the exit code and what went to stderr."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        rest = self._stdout.read().decode(errors="replace")
        self.transcript += rest
        assert self.process.stderr is not None
        errors = self.process.stderr.read().decode(errors="replace")
        return self.process.wait(timeout=PATIENCE), errors
