"""The core stays platform-neutral: no chat, SQL or scheduler library, no wall clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).parents[2] / "bot"
FORBIDDEN = {
    "slack_bolt",
    "slack_sdk",
    "discord",
    "sqlalchemy",
    "apscheduler",
    "aiohttp",
    "asyncpg",
    "aiosqlite",
}
CORE_FILES = sorted(CORE.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_imports_no_platform_sql_or_scheduler(path: Path) -> None:
    assert imported_modules(path) & FORBIDDEN == set()


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_never_reads_the_wall_clock(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for call in ("datetime.now(", "datetime.utcnow(", "time.time(", "date.today("):
        assert call not in source, (
            f"{path.name} reads the clock with {call}; use the injected Clock"
        )


def test_the_check_itself_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from slack_bolt import App\nimport sqlalchemy.orm\n")
    assert imported_modules(bad) == {"slack_bolt", "sqlalchemy"}
