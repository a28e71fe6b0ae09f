"""SQLite's write turn: first come first served, claims first, and no waiter lost."""

from __future__ import annotations

import asyncio

import pytest

from storage.write_turn import WriteTurn


async def test_writers_take_turns_in_order_and_urgent_ones_first() -> None:
    turn = WriteTurn()
    order: list[str] = []
    first_in = asyncio.Event()
    let_go = asyncio.Event()

    async def first() -> None:
        async with turn.held():
            first_in.set()
            await let_go.wait()
            order.append("first")

    async def writer(name: str, *, urgent: bool = False) -> None:
        async with turn.held(urgent=urgent):
            order.append(name)

    holder = asyncio.create_task(first())
    await first_in.wait()
    waiting = [
        asyncio.create_task(writer("a")),
        asyncio.create_task(writer("b")),
        asyncio.create_task(writer("claim", urgent=True)),
    ]
    await asyncio.sleep(0)  # each has queued (one step: nothing else runs meanwhile)
    let_go.set()
    await asyncio.gather(holder, *waiting)
    assert order == ["first", "claim", "a", "b"]


async def test_a_waiter_cancelled_does_not_keep_the_turn_from_the_next() -> None:
    turn = WriteTurn()
    held, let_go = asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with turn.held():
            held.set()
            await let_go.wait()

    async def later() -> None:
        async with turn.held():
            pass

    first = asyncio.create_task(holder())
    await held.wait()
    gone = asyncio.create_task(later())
    next_one = asyncio.create_task(later())
    await asyncio.sleep(0)  # both have queued
    gone.cancel()
    let_go.set()
    await asyncio.wait_for(asyncio.gather(first, next_one), 5)
    assert gone.cancelled()
    assert await turn.acquire()  # free again
    turn.release()


async def test_a_unit_of_work_inside_another_does_not_wait_for_its_caller() -> None:
    turn = WriteTurn()
    async with turn.held():
        # Inside: the same task holds the turn, so nothing to wait for nor release.
        async with turn.held():
            pass
        assert not await turn.acquire()
    assert await turn.acquire()  # released once, by the outer one
    turn.release()


async def test_a_turn_that_never_comes_is_refused_not_waited_for_forever() -> None:
    turn = WriteTurn(timeout=0.05)
    held, let_go = asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with turn.held():
            held.set()
            await let_go.wait()

    first = asyncio.create_task(holder())
    await held.wait()
    with pytest.raises(TimeoutError):
        await asyncio.create_task(turn.acquire())
    let_go.set()
    await first
    assert await turn.acquire()  # the one that gave up is not handed the turn
    turn.release()
