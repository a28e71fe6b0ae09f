"""Work that continues after Slack was answered, kept track of so shutdown can finish it.

Slack wants an acknowledgement within 3 seconds; the answer itself may come
later, through the response URL or a message (it stays valid for 30 minutes).
Bolt runs with process_before_response=True: it sends the ack when the listener
returns. So a listener starts the work here, waits for it a little (an answer
ready in time goes in the ack), then acknowledges and returns, and the work goes
on in this set. Bolt's own lazy listeners would fire and forget their tasks,
which a clean shutdown cannot wait for.

At most `limit` pieces of work run at once, which also bounds the database
connections they hold.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class TaskSet:
    def __init__(self, limit: int | None = None) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(limit) if limit else None

    def spawn(self, work: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
        return self._track(self._run(work), work, name)

    def then(
        self, task: asyncio.Task[T], work: Callable[[T], Coroutine[Any, Any, None]], name: str
    ) -> None:
        """`work(result)` once `task` is done, without a slot of its own: the task held
        one, and a follow-up waiting for a slot behind its own task could wait forever."""

        async def follow() -> None:
            try:
                result = await task
            except Exception:
                return
            await work(result)

        coroutine = follow()
        self._track(coroutine, coroutine, name)

    def _track(
        self, running: Coroutine[Any, Any, T], work: Coroutine[Any, Any, Any], name: str
    ) -> asyncio.Task[T]:
        task = asyncio.get_running_loop().create_task(running, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        # Work cancelled before it started (at shutdown) is closed: no "never awaited".
        task.add_done_callback(lambda _: work.close())
        return task

    async def _run(self, work: Coroutine[Any, Any, T]) -> T:
        if self._slots is None:
            return await work
        async with self._slots:
            return await work

    async def within(self, task: asyncio.Task[T], seconds: float) -> T | None:
        """The task's result if it finishes within `seconds`, else None (it runs on).

        A task that failed in time raises here, so Bolt's error handler sees it.
        """
        done, _ = await asyncio.wait({task}, timeout=seconds)
        return task.result() if done else None

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("%s failed", task.get_name(), exc_info=error)

    def __len__(self) -> int:
        return len(self._tasks)

    async def wait(self) -> None:
        """Until every task, including those started meanwhile, has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self, grace: float = 10.0) -> None:
        """Let running work finish for up to `grace` seconds, then cancel what is left."""
        try:
            async with asyncio.timeout(grace):
                await self.wait()
        except TimeoutError:
            log.warning("cancelling %d unfinished Slack tasks at shutdown", len(self._tasks))
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
