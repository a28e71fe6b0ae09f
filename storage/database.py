"""The engine for SQLite or PostgreSQL, and the Storage the bootstrap hands the core."""

from __future__ import annotations

import logging
import time
from typing import Any

from pydantic import SecretStr
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)

from storage.interactions import InteractionClaims
from storage.meetings import MEETING_CHANGES
from storage.unit_of_work import SqlUnitOfWork
from storage.write_turn import WriteTurn

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 5000
# An execution option of the units of work's connections on SQLite: how to BEGIN
# ("IMMEDIATE" for work that may write, "DEFERRED" for reading only). Connections
# without it (migrations, leader election, health checks) keep the driver's own BEGIN.
SQLITE_BEGIN = "coalition_sqlite_begin"
# A PostgreSQL connection idle this long (seconds) is checked before it is used again.
IDLE_BEFORE_PING = 10.0
_IDLE_SINCE = "coalition_idle_since"


def database_url(url: str, password: SecretStr | None = None) -> URL:
    """The configured URL, with the password from the environment if it has none."""
    parsed = make_url(url)
    if password is not None and parsed.password is None and parsed.get_backend_name() != "sqlite":
        parsed = parsed.set(password=password.get_secret_value())
    # Plain "postgresql://" or "sqlite://" URLs get the async drivers the bot uses.
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed


def create_engine(url: URL, **options: Any) -> AsyncEngine:
    # A failed statement's message would otherwise carry its parameters (names, emails,
    # what people wrote) into the log.
    options.setdefault("hide_parameters", True)
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    engine = create_async_engine(url, **options)
    _ping_after_idle(engine, IDLE_BEFORE_PING)
    return engine


def _ping_after_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Check a pooled connection before use only if it sat idle for a while.

    A connection that has been idle may have been closed by a database restart or
    a network device; one used moments ago almost never has. SQLAlchemy's
    `pool_pre_ping` would check every checkout, a round trip that costs as much as
    a small query on every command. A connection that fails the check is replaced
    (DisconnectionError tells the pool to take another).
    """
    dialect = engine.dialect

    def checked_in(_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checked_out(connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop(_IDLE_SINCE, None)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            dialect.do_ping(connection)
        except Exception as error:
            log.info("replacing a database connection that was closed while idle")
            raise sa_exc.DisconnectionError() from error

    event.listen(engine.sync_engine, "checkin", checked_in)
    event.listen(engine.sync_engine, "checkout", checked_out)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL lets readers work while one writer commits; the busy timeout makes a
    # second writer wait instead of failing; SQLite leaves foreign keys off unless asked.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE for a unit of work that may write: it can't be refused midway.

    The driver on its own begins a transaction only at the first write, so the reads
    before it each see their own moment. Begun at the first statement instead, a
    transaction that has read and then finds another writer holding the lock cannot
    wait for it: SQLite answers SQLITE_BUSY at once, whatever the busy timeout, since
    its snapshot would be stale (https://sqlite.org/rescode.html#busy_snapshot). Taking
    the write lock at BEGIN, the busy timeout does apply (and in this process the
    writers queue before it, storage/write_turn.py). Read-only units begin DEFERRED:
    under WAL they read beside a writer without waiting, from one snapshot.
    """
    begin = connection.get_execution_options().get(SQLITE_BEGIN)
    if begin is not None:
        connection.exec_driver_sql(f"BEGIN {begin}")


class Storage:
    """Owns the engine; hands out units of work; upgrades the schema."""

    def __init__(self, url: URL, **engine_options: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_options)
        sqlite = url.get_backend_name() == "sqlite"
        writes = self.engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"}) if sqlite else None
        reads = self.engine.execution_options(
            **({SQLITE_BEGIN: "DEFERRED"} if sqlite else {"postgresql_readonly": True})
        )
        self.sessions = async_sessionmaker(writes or self.engine, expire_on_commit=False)
        # For pages that only read: on SQLite they don't queue behind writers for the
        # write lock; on PostgreSQL the transaction is READ ONLY, so a write is refused.
        self.read_sessions = async_sessionmaker(reads, expire_on_commit=False)
        # Units of work that may write take turns on SQLite (storage/write_turn.py).
        self.turn = WriteTurn() if sqlite else None
        self.interactions = InteractionClaims(self.sessions, self.turn)
        # Told after a commit that changes when scheduled work is due, per capability:
        # the scheduler sweeps at once (adapters/scheduling.py).
        self.changes = (MEETING_CHANGES,)

    @classmethod
    def from_config(cls, url: str, password: SecretStr | None = None) -> Storage:
        return cls(database_url(url, password))

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    def describe(self) -> str:
        """The URL for logs and messages, with any password hidden."""
        return self.url.render_as_string(hide_password=True)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self.turn)

    def reading(self) -> SqlUnitOfWork:
        """A unit of work that only reads (a web page): it must not write or commit."""
        return SqlUnitOfWork(self.read_sessions)

    async def upgrade(self) -> None:
        from storage.migrate import upgrade_to_head

        await upgrade_to_head(self.engine)

    async def dispose(self) -> None:
        await self.engine.dispose()
