"""`coalition-bot status`: what a coordinator reads about reminders and digests."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.status import delivery_status
from bot.config import Config
from storage import Storage
from storage.database import database_url
from tests.adapters.delivery_states import DISCUSSION, NOW, STUCK, TITLE, seed


async def test_every_state_is_said_and_stuck_ones_counted(storage: Storage) -> None:
    await seed(storage)
    status = await delivery_status(storage, Config(), NOW, days=7)
    said = "\n".join(status.lines)
    assert status.stuck == STUCK
    assert status.lines[0] == "Reminders and digests, as of Mon 2 Mar 2026 09:00 CST:"
    assert "STUCK: 2 posts claimed more than 2 minutes ago and never finished." in said
    # The meeting by its title and start, in the coalition's zone; who holds the claim.
    assert (
        f'the reminder 15 minutes before "{TITLE}" (starts Mon 2 Mar 2026 11:00 CST), in the '
        "Slack channel: claimed by host-a at Mon 2 Mar 2026 08:50 CST, attempt 1." in said
    )
    assert f'the notice to followers of the discussion "{DISCUSSION}"' in said
    assert "STUCK: 1 post failed and was due for a retry more than 2 minutes ago" in said
    assert "the platform said: Missing Access" in said
    assert "Being posted now: 3 posts." in said
    assert "Failed, and will be retried: 1 post." in said
    assert "next attempt Mon 2 Mar 2026 09:05 CST; the platform said: channel_not_found" in said
    assert "Given up in the last 7 days: 1 post, not tried again." in said
    assert "not_in_channel" in said
    assert "Sent late in the last 7 days: 1 post" in said
    assert "Skipped in the last 7 days: 1 post" in said
    assert "Maria" not in said  # people are members by number, never by name


async def test_all_is_well_on_a_quiet_database(storage: Storage) -> None:
    status = await delivery_status(storage, Config(), NOW, days=7)
    assert status.stuck == 0
    assert status.lines[1] == (
        "All is well: nothing is waiting, and nothing failed in the last 7 days."
    )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COALITION_CONFIG", raising=False)
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    return tmp_path


def test_the_command_exits_1_when_something_is_stuck(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["status"]) == 0
    assert "All is well" in capsys.readouterr().out

    async def stick() -> None:
        storage = Storage(database_url(f"sqlite+aiosqlite:///{workdir / 'bot.db'}"))
        try:
            await seed(storage)  # claims made in March 2026: long stuck by now
        finally:
            await storage.dispose()

    asyncio.run(stick())
    assert main(["status", "--days", "100000"]) == 1
    out = capsys.readouterr().out
    assert "STUCK: 5 posts claimed more than 2 minutes ago" in out  # every claim held
    assert "Traceback" not in out


def test_a_missing_database_is_one_sentence(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert not (workdir / "bot.db").exists()  # status never creates a database
