"""After the commit: posting a poll, keeping its posts current, announcing its close."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Literal

from bot.delivery import Services
from bot.i18n import translator
from bot.keyed_locks import KeyedLocks
from bot.messages import FollowUp, ToChannel
from bot.polls.cards import final_results, poll_card
from bot.polls.model import Poll

log = logging.getLogger(__name__)

# A results post taken by an instance that died is taken again after this long.
RESULTS_HOLD = timedelta(minutes=5)
RESULTS_TRIES = 5


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
    await post_results(services, poll_id)


def results_backoff(tries: int) -> timedelta:
    """The wait after the `tries`-th failed results post: 1, 2, 4, 8 minutes."""
    return timedelta(minutes=2 ** (tries - 1))


async def post_results(services: Services, poll_id: int) -> bool:
    """Post the final results on every platform not yet posted on; once each, retried.

    Taken first by a conditional UPDATE, so of the closing command, the closing job
    and another instance, one posts. A failed platform is tried again after a backoff
    (the scheduler plans a job then), up to RESULTS_TRIES tries. True if it was taken.
    """
    async with services.unit_of_work() as uow:
        claim = await uow.polls.claim_results(poll_id, services.clock.now(), RESULTS_HOLD)
        await uow.commit()
    if claim is None:
        return False
    tries, posted_on = claim
    async with services.unit_of_work() as uow:
        poll = await uow.polls.get(poll_id)
        names = await uow.polls.voter_names(poll_id)
    assert poll is not None
    message = final_results(translator(services.config.coalition.language), poll, names)
    done, failed = set(posted_on), False
    for platform in services.broadcaster.platforms:
        if platform in done:
            continue
        try:
            await services.broadcaster.send(platform, ToChannel(poll.channel), message)
            done.add(platform)
        except Exception:
            log.exception("could not post the results of poll %s on %s", poll_id, platform)
            failed = True
    tries += 1
    next_at = services.clock.now() + results_backoff(tries) if failed else None
    if failed and tries >= RESULTS_TRIES:
        log.error("gave up posting the results of poll %s after %s tries", poll_id, tries)
        next_at = None
    async with services.unit_of_work() as uow:
        await uow.polls.results_tried(poll_id, frozenset(done), tries, next_at)
        await uow.commit()
    return True


async def retry_results(services: Services) -> int:
    """Post the results whose retry is due; how many polls this call took."""
    async with services.unit_of_work() as uow:
        due = await uow.polls.results_due(services.clock.now())
    return sum([await post_results(services, poll_id) for poll_id in due])


class PollEdits:
    """One edit of a poll's posts at a time in this process, each reading the counts anew.

    Two votes' edits running at once could otherwise land in the wrong order and
    leave the older counts on the post; in turn, the last edit shows the last count.
    """

    def __init__(self, services: Services) -> None:
        self.services = services
        self._lock: KeyedLocks[int] = KeyedLocks()

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
