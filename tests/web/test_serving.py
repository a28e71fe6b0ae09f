"""`coalition-bot run` in the terminal serves the pages when [web] enabled, and says where."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

from tests.adapters.terminal_process import PATIENCE, Piped


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_terminal_run_serves_the_library_and_prints_its_address(tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[web]\nenabled = true\nport = {port}\npublic_url = "http://127.0.0.1:{port}"\n'
    )
    bot = Piped(tmp_path, config)
    try:
        shown = bot.until(f"Web pages: http://127.0.0.1:{port}/library (serving on port {port}).")
        assert "Web pages" in shown
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/library", timeout=PATIENCE) as page:
            body = page.read().decode()
            assert page.status == 200 and "Resource library" in body
    finally:
        assert bot.process.stdin is not None
        bot.process.stdin.close()  # end of input: the terminal run stops
        assert bot.process.wait(timeout=PATIENCE) == 0


def test_with_the_web_off_nothing_is_served(tmp_path: Path) -> None:
    bot = Piped(tmp_path)
    try:
        bot.send("/coalition help")
        assert "Web pages" not in bot.until("What I can do")
    finally:
        assert bot.process.stdin is not None
        bot.process.stdin.close()
        assert bot.process.wait(timeout=PATIENCE) == 0
