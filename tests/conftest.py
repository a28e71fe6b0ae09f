from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Storage
from tests.databases import BACKENDS, open_storage, sqlite_storage
from tests.harness import Harness


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[Storage]:
    """Core tests: a real SQLite database, migrated to head."""
    async with sqlite_storage(tmp_path) as storage:
        yield storage


@pytest.fixture(params=BACKENDS)
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    """Storage tests: the same test on SQLite and on PostgreSQL."""
    async with open_storage(request.param, tmp_path) as opened:
        yield opened


@pytest.fixture
def harness(sqlite: Storage) -> Harness:
    return Harness(sqlite)
