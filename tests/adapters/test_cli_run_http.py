"""`coalition-bot run` and its HTTP port: a taken port and a bad [http] section are sentences."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.cli import main


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "COALITION_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    # A Discord runner is made (it connects only once the HTTP port is open).
    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    monkeypatch.setenv("DISCORD_GUILD_IDS", "123456789012345678")
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    return tmp_path


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        yield int(listening.getsockname()[1])


def test_a_taken_port_stops_run_with_a_sentence(
    workdir: Path, taken_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "config.toml").write_text('[http]\nhost = "127.0.0.1"\n')
    assert main(["run", "--port", str(taken_port)]) == 1
    err = capsys.readouterr().err
    assert f"Cannot listen on port {taken_port}" in err
    assert "--port N or [http] port in config.toml" in err
    assert "Traceback" not in err


def test_a_bad_http_port_names_the_key(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COALITION_HTTP_PORT")
    (workdir / "config.toml").write_text("[http]\nport = 70000\n")
    assert main(["run"]) == 2
    assert "http.port = 70000" in capsys.readouterr().err


def test_the_port_from_the_environment_wins_and_is_checked(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "config.toml").write_text("[http]\nport = 9000\n")
    monkeypatch.setenv("COALITION_HTTP_PORT", "eighty")
    assert main(["run"]) == 2
    assert "http.port = 'eighty'" in capsys.readouterr().err
