"""Work that continues after Slack was answered, kept track of so shutdown can finish it.

Slack wants an acknowledgement within 3 seconds; the answer itself may come
later, through the response URL or a message (it stays valid for 30 minutes).
Bolt's own "after the ack" mode fires and forgets its tasks, which a clean
shutdown cannot wait for, so the adapter acknowledges first and hands the rest
to a TaskSet it can drain.

Under a burst the acknowledgements come first (AckGate), and at most `limit`
pieces of work run at once, which also bounds the database connections they hold.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from adapters.deadlines import Deadlines

log = logging.getLogger(__name__)


class AckGate:
    """Holds back new work while a request from Slack waits for its acknowledgement.

    The transports (runner.py) hold `acknowledging()` from a request's arrival to its
    acknowledgement. Work starts when none is waiting, or at the latest `patience`
    seconds after it was handed over: a steady stream of requests delays answers a
    little, never starves them.
    """

    def __init__(self, *, patience: float = 0.5) -> None:
        self._patience = patience
        self._pending = 0
        self._clear = asyncio.Event()
        self._clear.set()

    def acknowledging(self) -> _Acknowledging:
        """Held until the ack is on its way: at the end of the `with` block, or when the
        function it gives is called (an early ack, see EarlyAck)."""
        self._pending += 1
        self._clear.clear()
        return _Acknowledging(self)

    def _release(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self._clear.set()

    async def wait_clear(self) -> None:
        if not self._pending:
            return
        try:
            async with asyncio.timeout(self._patience):
                await self._clear.wait()
        except TimeoutError:
            pass


class _Acknowledging:
    """One request's hold on an AckGate, released once (a class: this is on every request)."""

    __slots__ = ("_gate",)

    def __init__(self, gate: AckGate) -> None:
        self._gate: AckGate | None = gate

    def release(self) -> None:
        if self._gate is not None:
            self._gate._release()
            self._gate = None

    def __enter__(self) -> Callable[[], None]:
        return self.release

    def __exit__(self, *_: object) -> None:
        self.release()


class TaskSet:
    def __init__(self, limit: int | None = None, gate: AckGate | None = None) -> None:
        self.deadlines = Deadlines()  # of listeners that may have to hand over to this set
        self._tasks: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(limit) if limit else None
        self._gate = gate

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(self._run(work), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        # Work cancelled before it started (at shutdown) is closed: no "never awaited".
        task.add_done_callback(lambda _: work.close())
        return task

    async def _run(self, work: Coroutine[Any, Any, None]) -> None:
        # The gate first, then a slot: work held at the gate must not hold a slot.
        if self._gate is not None:
            await self._gate.wait_clear()
        if self._slots is None:
            await work
            return
        async with self._slots:
            await work

    def adopt(self, task: asyncio.Task[Any]) -> None:
        """Work already running in a task of its own, for shutdown to wait for too."""
        self._tasks.add(task)
        task.add_done_callback(self._finished)

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


# The key under which each transport (runner.py) puts an EarlyAck in Bolt's request context.
EARLY_ACK = "coalition_early_ack"


class EarlyAck:
    """Lets a listener still at work have its transport acknowledge Slack now, empty.

    Bolt (with process_before_response) sends the ack when the listener returns, so a
    listener that awaits the core directly, in the request's own task, answers in the
    ack whatever is ready in time, with no task or loop turn of its own (bench/slack.py).
    Should the core take longer, `after()` has the empty ack sent when the deadline
    passes, and the listener goes on in the same task to answer through the response URL.
    """

    def __init__(
        self, send: Callable[[], Coroutine[Any, Any, None]], on_sent: Callable[[], None]
    ) -> None:
        self._send = send
        self._on_sent = on_sent
        self._sending: asyncio.Task[None] | None = None
        self._tasks: TaskSet | None = None
        self._listener: asyncio.Task[Any] | None = None

    @property
    def sent(self) -> bool:
        return self._sending is not None

    def after(self, seconds: float, tasks: TaskSet) -> None:
        """Acknowledge in `seconds` unless `cancel()` comes first; the listener's task is
        then handed to `tasks`, so that shutdown waits for its answer."""
        self._tasks = tasks
        self._listener = asyncio.current_task()
        tasks.deadlines.add(self, seconds)

    def cancel(self) -> None:
        """The listener is done in time: no early ack."""
        if self._tasks is not None:
            self._tasks.deadlines.withdraw(self)

    def passed(self) -> None:
        """Called by Deadlines: send the empty ack now."""
        assert self._tasks is not None
        self._sending = asyncio.get_running_loop().create_task(self._send(), name="slack early ack")
        self._on_sent()
        if self._listener is not None:
            self._tasks.adopt(self._listener)

    async def settled(self) -> bool:
        """Whether the ack went early: then it has been sent by the time this returns."""
        if self._sending is None:
            return False
        await self._sending
        return True
