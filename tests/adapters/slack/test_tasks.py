"""Work after the ack: acknowledgements go first, nothing is lost or leaked at shutdown."""

from __future__ import annotations

import asyncio

from adapters.slack.tasks import AckGate, EarlyAck, TaskSet


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


async def test_only_listeners_past_their_deadline_are_acknowledged_early() -> None:
    tasks = TaskSet()
    sent: list[str] = []

    def early_ack(name: str) -> EarlyAck:
        async def send() -> None:
            sent.append(name)

        return EarlyAck(send, on_sent=lambda: None)

    async def listener(name: str, deadline: float, works: float) -> bool:
        early = early_ack(name)
        early.after(deadline, tasks)
        try:
            await asyncio.sleep(works)
        finally:
            early.cancel()
        return await early.settled()

    settled = await asyncio.gather(
        listener("slow", 0.05, 0.2),
        listener("quick", 0.05, 0.0),
        listener("in time", 0.3, 0.1),
        listener("slower", 0.1, 0.2),
    )
    assert list(settled) == [True, False, False, True]
    assert sent == ["slow", "slower"]  # in the order their deadlines passed
    assert len(tasks.deadlines) == 0  # nothing left for the one timer to watch
    await tasks.wait()  # the listeners handed over were adopted, and are done
