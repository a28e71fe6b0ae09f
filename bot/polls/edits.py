"""Keeping a poll's posts current without editing them on every vote.

2,000 members voting within seconds would otherwise send 2,000 edits of each post,
far past what Slack (chat.update) and Discord allow for one message. So a poll's
posts are edited at most once per `interval` (one second), and always once more
after the last vote:

- the first vote after a quiet second edits at once (the voter sees it move);
- votes during the following second only mark the poll as changed; when the second
  is over, one edit shows all of them, read anew from the database;
- once a second passes with no vote, the poll is quiet again.

N votes spread over D seconds thus make at most ceil(D) + 1 edits of each post, the
last one reading the counts after the last vote was committed.

This holds per process. With several replicas, each keeps to its own pace (so a
post gets at most one edit per second per replica) and the final state is still
current: after each edit the poll is read again, and if its card differs from the
one just sent (another replica's vote, or an edit of an older read that landed
later), it is edited once more after the interval.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from bot.delivery import Services
from bot.messages import FollowUp
from bot.polls.posting import current_card, post_poll, post_results, refresh_posts

log = logging.getLogger(__name__)

# Seconds between two edits of the same post: Slack's and Discord's pace for one message.
EDIT_INTERVAL = 1.0

Pause = Callable[[float], Awaitable[None]]


@dataclass
class _Pending:
    """A poll edited less than `interval` ago: whether a vote came since its last read."""

    changed: bool = False
    hurry: asyncio.Event = field(default_factory=asyncio.Event)  # set when the bot stops
    done: asyncio.Event = field(default_factory=asyncio.Event)  # quiet again


class PollEdits:
    """The edits of each poll's posts in this process, coalesced as the module says.

    `interval` 0 edits on every vote, in turn (for tests that read the post right after
    each click). `pause` waits a number of seconds: tests give one that waits for their
    say-so instead of the time (tests/pauses.py).
    """

    def __init__(
        self, services: Services, *, interval: float = EDIT_INTERVAL, pause: Pause = asyncio.sleep
    ) -> None:
        self.services = services
        self.interval = interval
        self._pause = pause
        self._pending: dict[int, _Pending] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_turn = asyncio.Lock()  # interval 0: one edit at a time, the last read last

    async def refresh(self, poll_id: int) -> None:
        """A vote was committed: edit now if the poll is quiet, else in the trailing edit.

        Returns without waiting for the trailing edit, so a click's answer never waits
        for the pace of the posts.
        """
        if self.interval <= 0:
            async with self._in_turn:
                await refresh_posts(self.services, poll_id)
            return
        pending = self._pending.get(poll_id)
        if pending is not None:
            pending.changed = True
            return
        pending = self._pending[poll_id] = _Pending()
        try:
            await self._edit(poll_id, pending)
        finally:
            task = asyncio.get_running_loop().create_task(
                self._trail(poll_id, pending), name=f"poll {poll_id} edits"
            )
            self._tasks.add(task)  # held, so that the loop does not drop it half-way
            task.add_done_callback(self._tasks.discard)

    async def close(self, poll_id: int) -> None:
        """The posts lose their buttons (paced like a vote), the results go out at once."""
        await self.refresh(poll_id)
        await post_results(self.services, poll_id)

    async def _edit(self, poll_id: int, pending: _Pending) -> None:
        pending.changed = False  # before the read: a vote committed after it marks again
        try:
            sent = await refresh_posts(self.services, poll_id)
            if sent is not None and await current_card(self.services, poll_id) != sent:
                pending.changed = True  # changed meanwhile, maybe on another replica
        except Exception:
            log.exception("could not update the posts of poll %s", poll_id)

    async def _trail(self, poll_id: int, pending: _Pending) -> None:
        try:
            while True:
                await self._wait(pending)
                if not pending.changed:
                    return
                await self._edit(poll_id, pending)
        finally:
            del self._pending[poll_id]
            pending.done.set()

    async def _wait(self, pending: _Pending) -> None:
        """`interval` seconds, or less if the bot is stopping."""
        if pending.hurry.is_set():
            return
        waits = [
            asyncio.ensure_future(self._pause(self.interval)),
            asyncio.ensure_future(pending.hurry.wait()),
        ]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    async def settled(self) -> None:
        """Until every poll's trailing edit is done (tests, the benchmark)."""
        while self._pending:
            await next(iter(self._pending.values())).done.wait()

    async def flush(self) -> int:
        """At stop: make the trailing edits now rather than after the interval."""
        count = len(self._pending)
        for pending in self._pending.values():
            pending.hurry.set()
        await self.settled()
        return count


def after(services: Services, poll_id: int, work: Literal["post", "refresh", "close"]) -> FollowUp:
    async def follow_up() -> None:
        if work == "post":
            await post_poll(services, poll_id)
        elif work == "refresh":
            await services.get(PollEdits).refresh(poll_id)
        else:
            await services.get(PollEdits).close(poll_id)

    return follow_up


async def flush_edits(services: Services) -> int:
    return await services.get(PollEdits).flush()
