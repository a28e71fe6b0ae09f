"""Members by account, remembered between the commands of one process.

Every command and every click starts by loading the member who acts (their
role decides what they may do), and almost always nothing about them changed
since their last command. Answering that lookup from memory saves a database
round trip on every invocation; for read-only commands such as help or one's
own profile it is the only round trip there was.

The cache is kept true by:
- clearing it whenever a unit of work that changed a member commits (this process);
- on PostgreSQL, a NOTIFY sent in that same transaction, which every process
  hears on a connection kept for it (`MemberChangesListener`), and clears its own
  cache. While that connection is down the cache is not used at all;
- entries older than `max_age`: the backstop for a change the notification has
  not reached yet, or a second process on one SQLite file (which has no NOTIFY).

A lookup that started before a clear never stores what it read (the generation
check), so a slow read cannot put back a member that was just changed.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.identity import Identity
from bot.membership.model import Member

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "coalition_members"
MAX_AGE = 10.0  # seconds
CAPACITY = 20_000  # accounts; a coalition has a few thousand members at most
RECONNECT_DELAY = 5.0  # seconds between attempts to listen again
FIRST_CONNECTION_WAIT = 5.0  # seconds start() waits before going on without the cache


class MemberCache:
    def __init__(
        self,
        *,
        max_age: float = MAX_AGE,
        capacity: int = CAPACITY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_age = max_age
        self.capacity = capacity
        self._clock = clock
        self._entries: OrderedDict[Identity, tuple[float, Member | None]] = OrderedDict()
        self._generation = 0
        # Sent with this process's change notices, so its listener can skip its own echo.
        self.origin = secrets.token_hex(8)
        # Off on PostgreSQL until the listener hears other processes' changes.
        self.enabled = True

    def lookup(self, identity: Identity) -> tuple[bool, Member | None]:
        """(True, member or None for "not a member") if known and fresh, else (False, None)."""
        if not self.enabled:
            return False, None
        entry = self._entries.get(identity)
        if entry is None:
            return False, None
        stored_at, member = entry
        if self._clock() - stored_at > self.max_age:
            del self._entries[identity]
            return False, None
        return True, member

    def generation(self) -> int:
        """Taken before reading from the database; hand it back to `store`."""
        return self._generation

    def store(self, identity: Identity, member: Member | None, generation: int) -> None:
        if not self.enabled or generation != self._generation:
            return  # a change committed while this was being read: it may be stale
        self._entries[identity] = (self._clock(), member)
        self._entries.move_to_end(identity)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._generation += 1
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class MemberChangesListener:
    """PostgreSQL: clears the cache whenever any process commits a member change.

    The cache is enabled only while this listens: a notification missed while
    the connection was down would otherwise leave a stale role in memory.
    """

    def __init__(
        self, engine: AsyncEngine, cache: MemberCache, *, retry_delay: float = RECONNECT_DELAY
    ) -> None:
        self.retry_delay = retry_delay
        self._engine = engine
        self._cache = cache
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()
        self.server_pid: int | None = None  # the listening session, while there is one
        cache.enabled = False

    async def start(self) -> None:
        """Start listening; waits a little for the first connection, never fails."""
        self._task = asyncio.create_task(self._run(), name="member changes listener")
        with suppress(TimeoutError):
            async with asyncio.timeout(FIRST_CONNECTION_WAIT):
                await self._listening.wait()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            lost = asyncio.Event()
            try:
                connection = await self._engine.connect()
            except Exception:
                log.warning("cannot listen for member changes; retrying", exc_info=True)
                await asyncio.sleep(self.retry_delay)
                continue
            try:
                await self._listen(connection, lost)
                self._cache.clear()  # anything could have changed while not listening
                self._cache.enabled = True
                self._listening.set()
                await lost.wait()
                log.warning("stopped hearing member changes; looking members up each time")
            except Exception:
                log.warning("listening for member changes failed; retrying", exc_info=True)
            finally:
                self.server_pid = None
                self._cache.enabled = False
                self._cache.clear()
                self._listening.clear()
                with suppress(Exception):
                    await connection.invalidate()  # never back to the pool while listening
            await asyncio.sleep(self.retry_delay)

    async def _listen(self, connection: AsyncConnection, lost: asyncio.Event) -> None:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection

        def heard(_connection: object, _pid: int, _channel: str, origin: str) -> None:
            if origin != self._cache.origin:  # this process cleared it when it committed
                self._cache.clear()

        await driver.add_listener(NOTIFY_CHANNEL, heard)
        driver.add_termination_listener(lambda *_: lost.set())
        self.server_pid = driver.get_server_pid()
