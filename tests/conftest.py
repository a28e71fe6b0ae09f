from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from storage import Storage
from tests.databases import BACKENDS, open_storage, sqlite_storage
from tests.harness import Harness

# No timing thresholds in tests: hypothesis's default 200 ms deadline per example fails
# property tests at random on a loaded machine (two workers, PostgreSQL, a browser).
settings.register_profile("coalition", deadline=None)
settings.load_profile("coalition")


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """`coalition-bot` (adapters.cli.main) configures the root logger; undo it after a test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _any_free_port(monkeypatch: pytest.MonkeyPatch) -> None:
    """`coalition-bot run` in a test (or a process it starts) listens on a free port, not
    on 8080, which two tests at once (or another program) would share."""
    monkeypatch.setenv("COALITION_HTTP_PORT", "0")


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
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    """The harness's database: SQLite, or each backend in turn for `both_databases` tests."""
    async with open_storage(getattr(request, "param", "sqlite"), tmp_path) as opened:
        yield opened


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Claims and races depend on each database's locking: those core tests run on both.
    marked = metafunc.definition.get_closest_marker("both_databases") is not None
    if marked and "database" in metafunc.fixturenames:
        metafunc.parametrize("database", BACKENDS, indirect=True)


@pytest.fixture
def harness(database: Storage) -> Harness:
    return Harness(database)
