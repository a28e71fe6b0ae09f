"""Killing the database connection under the Nth statement or commit, as an outage does.

Real faults through SQLAlchemy's own events, not a stand-in for our storage: on
PostgreSQL the session's backend is terminated (`pg_terminate_backend`), on SQLite
the driver's connection is closed under SQLAlchemy (and a commit raises, as the
driver does). The statement or commit then runs
on a dead connection and fails the way it would in production, and SQLAlchemy
discards the connection from its pool.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only


class ConnectionKiller:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.sync_engine
        self._at: int | None = None
        self._outage = False
        self._count = 1
        self._matching: str | None = None
        self.calls = 0  # statements and commits seen since armed
        self.fired = 0  # connections killed since armed
        event.listen(self._engine, "before_cursor_execute", self._statement)
        event.listen(self._engine, "commit", self._commit)

    def arm(
        self, at: int, *, outage: bool = False, count: int = 1, matching: str | None = None
    ) -> None:
        """Kill under call `at` (1 is the first) and the `count - 1` after it, or under
        every later one if `outage`; only statements holding `matching`, if given."""
        self._at, self._outage, self._count, self.calls, self.fired = at, outage, count, 0, 0
        self._matching = matching

    def disarm(self) -> None:
        self._at = None

    def remove(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._statement)
        event.remove(self._engine, "commit", self._commit)

    def _due(self) -> bool:
        if self._at is None:
            return False
        self.calls += 1
        if self.calls < self._at:
            return False
        return self._outage or self.calls < self._at + self._count

    def _kill(self, connection: Connection) -> None:
        self.fired += 1
        driver: Any = connection.connection.driver_connection
        if self._engine.dialect.name == "postgresql":
            # The backend ends this session; the call itself fails as the socket closes.
            with suppress(Exception):
                await_only(driver.execute("SELECT pg_terminate_backend(pg_backend_pid())"))
        else:
            await_only(driver.close())

    def _statement(self, connection: Connection, _cursor: object, sql: str, *_: object) -> None:
        if self._matching is not None and self._matching not in sql:
            return
        if self._due():
            self._kill(connection)

    def _commit(self, connection: Connection) -> None:
        if self._matching is not None or not self._due():
            return
        if self._engine.dialect.name == "sqlite":
            # SQLAlchemy's aiosqlite adapter skips COMMIT on a closed connection without
            # a word: the connection is dropped from the pool and the driver's error raised.
            self.fired += 1
            connection.invalidate()
            raise sqlite3.OperationalError("Connection closed")
        self._kill(connection)
