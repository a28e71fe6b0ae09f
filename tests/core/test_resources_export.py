"""`coalition-bot export resources`: the approved library as CSV or JSON."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from adapters.cli import main
from bot.resources.export import export_library
from storage import Storage
from tests.core.test_resources import button, review_post, setup, suggest
from tests.databases import sqlite_storage
from tests.harness import Harness


async def library(harness: Harness) -> None:
    """Two approved resources and one still pending."""
    await setup(harness)
    await harness.run(
        "maria",
        ("resource", "suggest"),
        url="https://www.example.org/housing-toolkit",
        title="Housing and Health Toolkit",
        type="toolkit",
        topics="housing, eviction prevention",
        description='Says "hello", with a comma',
    )
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))
    await suggest(harness, "https://example.org/salud", title="Guía de salud", type="research")
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))
    await suggest(harness, "https://example.org/pending", title="Still pending")


async def test_csv_and_json_hold_the_approved_library_only(harness: Harness) -> None:
    await library(harness)
    as_csv, as_json = io.StringIO(), io.StringIO()
    assert await export_library(harness.storage.unit_of_work, "csv", as_csv) == 2
    assert await export_library(harness.storage.unit_of_work, "json", as_json) == 2
    rows = list(csv.DictReader(io.StringIO(as_csv.getvalue())))
    assert [r["title"] for r in rows] == ["Housing and Health Toolkit", "Guía de salud"]
    assert rows[0]["description"] == 'Says "hello", with a comma'
    assert rows[0]["topics"] == "Housing; eviction prevention"
    assert rows[0]["approved_by"] == "Dana Reyes" and rows[0]["suggested_by"] == "Maria Lopez"
    records = json.loads(as_json.getvalue())
    assert [r["title"] for r in records] == ["Housing and Health Toolkit", "Guía de salud"]
    assert records[0]["topics"] == ["Housing", "eviction prevention"]
    assert records[1]["approved_at"].startswith("2026-03-02T15:00")


async def test_an_empty_library_is_valid_json(sqlite: Storage) -> None:
    out = io.StringIO()
    assert await export_library(sqlite.unit_of_work, "json", out) == 0
    assert json.loads(out.getvalue()) == []


def test_the_command_writes_a_file_or_the_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def seed() -> None:
        async with sqlite_storage(tmp_path) as storage:
            await library(Harness(storage))

    asyncio.run(seed())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COALITION_CONFIG", raising=False)
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'coalition.db'}")
    target = tmp_path / "library.json"
    assert main(["export", "resources", "--format", "json", "--output", str(target)]) == 0
    assert "Wrote 2 resources" in capsys.readouterr().err
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 2
    assert main(["export", "resources"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("\ufeffid,title,url,") and "Guía de salud" in printed
    with pytest.raises(SystemExit):
        main(["export", "resources", "--format", "xml"])
    assert "invalid choice: 'xml'" in capsys.readouterr().err
