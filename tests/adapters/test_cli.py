"""The coalition-bot command: config check, db upgrade, and failing early on bad config."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.cli import main


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "COALITION_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


def test_config_check_names_what_is_missing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "check"]) == 0
    out = capsys.readouterr().out
    assert "built-in defaults" in out
    assert "No platform tokens" in out


def test_a_bad_value_stops_every_command_with_key_value_and_rule(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "config.toml").write_text('[coalition]\ntimezone = "Mars/Olympus"\n')
    for command in (["config", "check"], ["db", "upgrade"], ["run"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "coalition.timezone = 'Mars/Olympus'" in err
        assert "America/Chicago" in err


def test_db_upgrade_creates_the_schema(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "is up to date" in capsys.readouterr().out
    assert (workdir / "cli.db").exists()


def test_database_password_never_printed(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COALITION_DATABASE_URL", "postgresql://bot:hunter2secret@db.invalid/x")
    assert main(["config", "check"]) == 0
    assert "hunter2secret" not in capsys.readouterr().out
