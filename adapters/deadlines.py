"""Deadlines of many pieces of work in flight, watched by one timer.

Both platforms give an interaction 3 seconds: work not done well within that is
acknowledged first (Slack's empty ack, Discord's deferral) and answered after. A
timer per interaction (call_later, then cancel) cost about as much as the rest of
the adapter's bookkeeping on a command answered from memory: asyncio keeps the
cancelled ones in its heap, and every push compares timers in Python. Here an
interaction adds and withdraws a dict entry; the one timer is set for the earliest
deadline and, when it fires, tells those that passed and is set again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Protocol


class Due(Hashable, Protocol):
    def passed(self) -> None:
        """The deadline passed before it was withdrawn: act now (without blocking)."""


class Deadlines:
    def __init__(self) -> None:
        self._due: dict[Due, float] = {}
        self._timer: asyncio.TimerHandle | None = None

    def add(self, due: Due, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        at = loop.time() + seconds
        self._due[due] = at
        if self._timer is None or at < self._timer.when():
            self._set(loop, at)

    def withdraw(self, due: Due) -> None:
        self._due.pop(due, None)  # the timer, if set for it, finds nothing and moves on

    def __len__(self) -> int:
        return len(self._due)

    def _set(self, loop: asyncio.AbstractEventLoop, at: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_at(at, self._fire, loop)

    def _fire(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        now = loop.time()
        for due in [d for d, at in self._due.items() if at <= now]:
            del self._due[due]
            due.passed()
        if self._due:
            self._set(loop, min(self._due.values()))
