"""Work after the ack: acknowledgements go first, nothing is lost or leaked at shutdown."""

from __future__ import annotations

import asyncio

from adapters.slack.tasks import AckGate, TaskSet


async def test_work_waits_while_a_request_is_being_acknowledged() -> None:
    gate = AckGate(patience=5.0)
    tasks = TaskSet(gate=gate)
    done: list[str] = []

    async def answer() -> None:
        done.append("answer")

    with gate.acknowledging():
        tasks.spawn(answer(), name="answer")
        for _ in range(5):
            await asyncio.sleep(0)
        done.append("ack")
    await tasks.wait()
    assert done == ["ack", "answer"]


async def test_a_steady_stream_of_requests_delays_work_but_never_starves_it() -> None:
    gate = AckGate(patience=0.05)
    tasks = TaskSet(gate=gate)
    done = asyncio.Event()

    async def answer() -> None:
        done.set()

    with gate.acknowledging():  # never released while the work waits
        tasks.spawn(answer(), name="answer")
        await asyncio.wait_for(done.wait(), 5.0)


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
