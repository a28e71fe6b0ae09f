"""Operator commands that cannot do their work say why and what to do: no traceback, non-zero.

Each runs through the real `coalition-bot` entry point (main) against a bad URL, a
closed port on 127.0.0.1, or the fake Slack refusing a token.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.cli import main
from tests.databases import postgres_url, require_postgres
from tests.fakes.slack import FakeSlack

TOKENS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "COALITION_CONFIG")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    for name in (*TOKENS, "COALITION_DATABASE_URL", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    # main() sets up logging for a terminal; give the next tests theirs back.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield tmp_path
    root.handlers[:], root.level = handlers, level


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def said(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text and 'File "' not in text
    return text


def postgres_with(**parts: str | int) -> str:
    return postgres_url().set(**parts).render_as_string(hide_password=False)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", [["db", "upgrade"], ["config", "check", "--connect"]])
def test_a_database_that_does_not_exist_is_named_with_what_to_do(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    require_postgres()
    monkeypatch.setenv("COALITION_DATABASE_URL", postgres_with(database="no_such_db_e16"))
    assert main(command) == 1
    out = said(capsys)
    assert "has no database 'no_such_db_e16'" in out and "createdb no_such_db_e16" in out
    assert len(out.strip().splitlines()) <= 2


def test_a_user_that_does_not_exist_is_named_with_what_to_do(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    require_postgres()
    monkeypatch.setenv("COALITION_DATABASE_URL", postgres_with(username="no_such_user_e16"))
    assert main(["db", "upgrade"]) == 1
    out = said(capsys)
    assert "refused the user 'no_such_user_e16'" in out and "user name" in out


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://bot@127.0.0.1/coalition", "starts with mysql://"),
        ("oracle+cx_oracle://bot@127.0.0.1/coalition", "starts with oracle+cx_oracle://"),
        ("coalition.db", "is not a URL"),
    ],
)
@pytest.mark.parametrize(
    "command", [["db", "upgrade"], ["config", "check"], ["export", "resources"], ["run"]]
)
def test_a_database_the_bot_cannot_use_is_refused_before_any_driver_loads(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    expected: str,
    command: list[str],
) -> None:
    monkeypatch.setenv("COALITION_DATABASE_URL", url)
    assert main(command) in {1, 2}
    out = said(capsys)
    assert expected in out and "sqlite+aiosqlite:///coalition.db" in out
    assert "is valid" not in out
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize("command", [["db", "upgrade"], ["config", "check", "--connect"]])
def test_nothing_listening_says_so_and_where(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    port = closed_port()
    monkeypatch.setenv("COALITION_DATABASE_URL", f"postgresql://bot@127.0.0.1:{port}/coalition")
    assert main(command) == 1
    out = said(capsys)
    assert f"Cannot reach the database at postgresql+asyncpg://bot@127.0.0.1:{port}" in out
    assert "host and port" in out


def test_a_sqlite_folder_that_does_not_exist_is_named(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = workdir / "nowhere" / "coalition.db"
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite:///{missing}")
    for command in (["db", "upgrade"], ["config", "check", "--connect"]):
        assert main(command) == 1
        assert f"the folder '{missing.parent}' does not exist" in said(capsys)
    assert not missing.parent.exists()


def test_config_check_connects_when_asked(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COALITION_DATABASE_URL", "sqlite:///coalition.db")
    assert main(["config", "check"]) == 0
    assert "--connect" in said(capsys)
    assert main(["config", "check", "--connect"]) == 0  # created on the first start, not here
    assert "(checked)" in said(capsys)
    assert not (workdir / "coalition.db").exists()


# -- export ---------------------------------------------------------------------------


def test_export_where_there_is_no_database_says_so_and_creates_none(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for command in (["export", "resources"], ["export", "resources", "--output", "out.csv"]):
        assert main(command) == 1
        out = said(capsys)
        assert f"There is no database at '{workdir / 'coalition.db'}'" in out
        assert "id,title" not in out
    assert list(workdir.iterdir()) == []  # neither a database nor an empty export file


def test_the_csv_export_starts_with_a_byte_order_mark_for_excel(workdir: Path) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["export", "resources", "--output", "library.csv"]) == 0
    assert (workdir / "library.csv").read_bytes().startswith(b"\xef\xbb\xbfid,title,url,")
    assert main(["export", "resources", "--output", "plain.csv", "--no-bom"]) == 0
    assert (workdir / "plain.csv").read_bytes().startswith(b"id,title,url,")
    assert main(["export", "resources", "--format", "json", "--output", "library.json"]) == 0
    assert (workdir / "library.json").read_bytes().startswith(b"[")


# -- platforms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "token", "advice"),
    [
        ("auth.test", "SLACK_BOT_TOKEN", "OAuth & Permissions"),
        ("apps.connections.open", "SLACK_APP_TOKEN", "App-Level Tokens"),
    ],
)
async def test_refused_slack_tokens_stop_with_one_sentence(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    token: str,
    advice: str,
) -> None:
    async with FakeSlack() as fake:
        fake.fail_next(method, "invalid_auth")
        monkeypatch.setenv("SLACK_API_URL", fake.api_url)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-refused")
        monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-refused")
        # main() runs its own event loop, so it runs beside the fake's, in a thread.
        assert await asyncio.to_thread(main, ["run"]) == 1
        assert len(fake.calls_to("apps.connections.open")) <= 1  # asked once, not retried
    out = said(capsys)
    assert f"Slack did not accept {token} (invalid_auth)" in out and advice in out
    assert "No platform is left to serve" in out


async def test_slack_out_of_reach_says_so(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{closed_port()}/api/")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-anything")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-anything")
    assert await asyncio.to_thread(main, ["run"]) == 1
    out = said(capsys)
    assert "Cannot reach Slack at http://127.0.0.1:" in out
    assert "Could not open the database" not in out
