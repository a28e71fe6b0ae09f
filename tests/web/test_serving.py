"""`coalition-bot run` in the terminal serves the pages when [web] enabled, and says where."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from adapters.bootstrap import build_app
from adapters.operations import operations
from adapters.web.serve import web_pages
from bot.clock import ManualClock
from bot.config import Config, Secrets, WebSettings
from storage import Storage
from tests.adapters.terminal_process import PATIENCE, Piped
from tests.harness import START


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_terminal_run_serves_the_library_and_prints_its_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("COALITION_HTTP_PORT", str(port))  # the [http] port, as a host sets it
    config = tmp_path / "config.toml"
    config.write_text(f'[web]\nenabled = true\npublic_url = "http://127.0.0.1:{port}"\n')
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


async def test_the_bots_http_port_serves_the_pages_beside_its_probes(
    sqlite: Storage, capsys: pytest.CaptureFixture[str]
) -> None:
    config = Config(web=WebSettings(enabled=True))
    app = build_app(config, Secrets(), clock=ManualClock(START), storage=sqlite)
    async with (
        operations(app, [], "127.0.0.1", 0) as server,
        web_pages(app) as port,
        aiohttp.ClientSession() as session,
    ):
        assert port == server.port  # no second server: the pages are on the bot's port
        for path, expected in (("/library", 200), ("/healthz", 200), ("/nothing", 404)):
            async with session.get(f"http://127.0.0.1:{port}{path}") as response:
                assert response.status == expected, path
                # The pages' headers on every answer of the port, the probes' included.
                assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert f"serving on port {port}" in capsys.readouterr().out
