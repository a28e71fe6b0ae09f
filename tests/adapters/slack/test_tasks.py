"""Work after the ack: answered in time or followed up, nothing lost or leaked at shutdown."""

from __future__ import annotations

import asyncio

import pytest

from adapters.slack.tasks import TaskSet


async def test_at_most_limit_pieces_of_work_run_at_once() -> None:
    tasks = TaskSet(limit=2)
    running = 0
    most = 0

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1

    for n in range(6):
        tasks.spawn(work(), name=f"work {n}")
    await tasks.wait()
    assert most == 2 and len(tasks) == 0


async def test_shutdown_finishes_work_then_cancels_what_outlives_the_grace() -> None:
    tasks = TaskSet(limit=1)
    finished: list[str] = []

    async def quick() -> None:
        await asyncio.sleep(0)
        finished.append("quick")

    async def stuck() -> None:
        await asyncio.Event().wait()

    tasks.spawn(quick(), name="quick")
    tasks.spawn(stuck(), name="stuck")
    tasks.spawn(quick(), name="never started")  # waits for the one slot, then is cancelled
    await tasks.close(grace=0.05)
    assert finished == ["quick"]
    assert len(tasks) == 0


async def test_work_ready_in_time_is_answered_and_slower_work_is_followed_up() -> None:
    tasks = TaskSet(limit=1)
    release = asyncio.Event()
    followed: list[str] = []

    async def quick() -> str:
        return "quick"

    async def slow() -> str:
        await release.wait()
        return "slow"

    async def follow(result: str) -> None:
        followed.append(result)

    assert await tasks.within(tasks.spawn(quick(), name="quick"), 5.0) == "quick"
    waiting = tasks.spawn(slow(), name="slow")
    assert await tasks.within(waiting, 0.0) is None  # not done: it runs on
    # The follow-up takes no slot: with the one slot held by the work it waits for,
    # a follow-up that needed one would never run.
    tasks.then(waiting, follow, name="follow")
    release.set()
    await asyncio.wait_for(tasks.wait(), 5.0)
    assert followed == ["slow"]


async def test_work_that_fails_in_time_raises_to_the_listener_and_is_not_followed_up() -> None:
    tasks = TaskSet()
    followed: list[object] = []

    async def broken() -> str:
        raise RuntimeError("boom")

    async def follow(result: str) -> None:
        followed.append(result)

    failing = tasks.spawn(broken(), name="broken")
    with pytest.raises(RuntimeError, match="boom"):
        await tasks.within(failing, 5.0)
    tasks.then(failing, follow, name="follow")
    await asyncio.wait_for(tasks.wait(), 5.0)
    assert followed == []
