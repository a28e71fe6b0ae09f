"""The terminal as people use it: line editing, Ctrl-C, Ctrl-D, and the log kept out of the chat."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from adapters.console.logfile import keep_log_out_of_chat, log_file_for
from tests.adapters.terminal_process import Terminal

PROMPT = "admin@#general> "


def test_arrows_history_ctrl_c_and_ctrl_d_work_as_in_any_shell(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path, "-v")  # -v: debugging detail, to see where the log goes
    banner = terminal.until(PROMPT)
    assert f"(The bot's log goes to {tmp_path / 'bot.log'}.)" in banner

    terminal.type("/coalition hel")
    terminal.until("/coalition hel")
    assert "What I can do" not in terminal.interrupt(PROMPT)  # Ctrl-C drops the line

    terminal.type("/coalition help\r")
    assert "What I can do in Our Coalition" in terminal.until(PROMPT)
    terminal.type("\x1b[A\r")  # Up: the last line again
    again = terminal.until(PROMPT)
    assert "/coalition help" in again and "What I can do in Our Coalition" in again
    assert "^[[A" not in terminal.transcript and "\x1b[A" not in terminal.transcript

    terminal.type("/coalition join\r")
    terminal.until("Display name (required)")
    terminal.type("Maria Lopez\r")
    terminal.until("Organization (required)")
    terminal.type("Alam")
    terminal.until("Alam")
    stopped = terminal.interrupt(PROMPT)  # Ctrl-C in a form: stopped, answers kept
    assert "your answers are kept" in stopped and 'name="Maria Lopez"' in stopped
    terminal.type("/resume\r")
    terminal.until("Organization (required)")
    terminal.type("\x04")  # Ctrl-D in a form stops it too
    terminal.until(PROMPT)
    terminal.type("\x04")  # Ctrl-D at the prompt quits
    assert terminal.wait() == 0

    # The log (debugging detail here) went to its file, none of it into the conversation.
    assert "DEBUG" in (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert "DEBUG" not in terminal.transcript and " INFO " not in terminal.transcript


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite+aiosqlite:///data/coalition.db", "data/coalition.log"),
        ("sqlite+aiosqlite:///:memory:", "here/coalition-bot.log"),
        ("postgresql+asyncpg://bot@db/coalition", "here/coalition-bot.log"),
    ],
)
def test_the_log_file_is_next_to_the_database(url: str, expected: str) -> None:
    assert log_file_for(url, Path("here")) == Path(expected)


class _Screen(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_log_lines_go_to_the_file_not_the_screen(tmp_path: Path) -> None:
    screen = _Screen()
    root = logging.getLogger()
    root.handlers[:] = [logging.StreamHandler(screen)]
    where = keep_log_out_of_chat(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", tmp_path, screen)
    logging.getLogger("bot.meetings.reminders").warning("skipped a late announcement")
    for handler in root.handlers:
        handler.close()
    assert where == str(tmp_path / "bot.log")
    assert "skipped a late announcement" in (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert screen.getvalue() == ""


def test_a_redirected_stderr_keeps_the_log() -> None:
    assert keep_log_out_of_chat("sqlite+aiosqlite:///x.db", Path("."), io.StringIO()) is None
