"""One timer for the deadlines of every interaction in flight (adapters/deadlines.py)."""

from __future__ import annotations

import asyncio

from adapters.deadlines import Deadlines


class Work:
    def __init__(self, name: str, passed: list[str]) -> None:
        self.name = name
        self._passed = passed

    def passed(self) -> None:
        self._passed.append(self.name)


async def test_only_work_still_in_flight_at_its_deadline_is_told_in_order() -> None:
    deadlines = Deadlines()
    passed: list[str] = []
    late, later, done, earliest = (Work(n, passed) for n in ("late", "later", "done", "earliest"))
    deadlines.add(late, 0.3)
    deadlines.add(later, 0.4)
    deadlines.add(done, 0.3)
    deadlines.add(earliest, 0.02)  # earlier than the timer was set for: it is set again
    deadlines.withdraw(done)  # finished in time
    await asyncio.sleep(0.1)
    assert passed == ["earliest"]
    await asyncio.sleep(0.5)
    assert passed == ["earliest", "late", "later"]
    assert len(deadlines) == 0
