"""After the commit: posting a poll, keeping its posts current, announcing its close."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal
from weakref import WeakValueDictionary

from bot.delivery import Services
from bot.i18n import translator
from bot.messages import FollowUp, ToChannel
from bot.polls.cards import final_results, poll_card
from bot.polls.model import Poll

log = logging.getLogger(__name__)


async def _load(services: Services, poll_id: int) -> Poll:
    async with services.unit_of_work() as uow:
        poll = await uow.polls.get(poll_id)
    assert poll is not None
    return poll


async def post_poll(services: Services, poll_id: int) -> int:
    """Post the poll on every platform and remember each post; how many platforms failed."""
    poll = await _load(services, poll_id)
    coalition = services.config.coalition
    card = poll_card(translator(coalition.language), poll, coalition.timezone)
    failed = 0
    for platform in services.broadcaster.platforms:
        try:
            posted = await services.broadcaster.send(platform, ToChannel(poll.channel), card)
        except Exception:
            log.exception("could not post poll %s on %s", poll_id, platform)
            failed += 1
            continue
        async with services.unit_of_work() as uow:
            for where in posted:
                await uow.polls.add_post(poll_id, where)
            await uow.commit()
    return failed


async def refresh_posts(services: Services, poll_id: int) -> None:
    """Edit every platform's post with the counts as they are now (read after the commit)."""
    poll = await _load(services, poll_id)
    coalition = services.config.coalition
    card = poll_card(translator(coalition.language), poll, coalition.timezone)
    for posted in poll.posts:
        try:
            await services.broadcaster.edit(posted, card)
        except Exception:
            log.exception("could not update poll %s on %s", poll_id, posted.platform)


async def announce_close(services: Services, poll_id: int) -> None:
    """The posts lose their buttons and show the results; the results go to the channel."""
    await refresh_posts(services, poll_id)
    async with services.unit_of_work() as uow:
        poll = await uow.polls.get(poll_id)
        names = await uow.polls.voter_names(poll_id)
    assert poll is not None
    message = final_results(translator(services.config.coalition.language), poll, names)
    for platform in services.broadcaster.platforms:
        try:
            await services.broadcaster.send(platform, ToChannel(poll.channel), message)
        except Exception:
            log.exception("could not post the results of poll %s on %s", poll_id, platform)


class PollEdits:
    """One edit of a poll's posts at a time in this process, each reading the counts anew.

    Two votes' edits running at once could otherwise land in the wrong order and
    leave the older counts on the post; in turn, the last edit shows the last count.
    """

    def __init__(self, services: Services) -> None:
        self.services = services
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    def _lock(self, poll_id: int) -> asyncio.Lock:
        lock = self._locks.get(poll_id)
        if lock is None:
            lock = self._locks[poll_id] = asyncio.Lock()
        return lock

    async def refresh(self, poll_id: int) -> None:
        async with self._lock(poll_id):
            await refresh_posts(self.services, poll_id)

    async def close(self, poll_id: int) -> None:
        async with self._lock(poll_id):
            await announce_close(self.services, poll_id)


def after(services: Services, poll_id: int, work: Literal["post", "refresh", "close"]) -> FollowUp:
    async def follow_up() -> None:
        if work == "post":
            await post_poll(services, poll_id)
        elif work == "refresh":
            await services.get(PollEdits).refresh(poll_id)
        else:
            await services.get(PollEdits).close(poll_id)

    return follow_up


async def close_due(services: Services) -> int:
    """Close the polls whose time has come, each exactly once (a conditional UPDATE)."""
    now = services.clock.now()
    async with services.unit_of_work() as uow:
        due = await uow.polls.due(now)
    closed = 0
    for poll_id in due:
        async with services.unit_of_work() as uow:
            mine = await uow.polls.close(poll_id, None, now)
            await uow.commit()
        if mine:  # another instance, or a person, may have closed it first
            closed += 1
            await services.get(PollEdits).close(poll_id)
    return closed
