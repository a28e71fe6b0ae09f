"""After the commit: posting a poll, keeping its posts current, announcing its close."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.delivery import Services
from bot.i18n import translator
from bot.messages import Message, ToChannel
from bot.polls.cards import final_results, poll_card
from bot.polls.model import Poll

log = logging.getLogger(__name__)

RESULTS_TRIES = 5


def results_hold(services: Services) -> timedelta:
    """A results post taken by an instance that died is taken again after this long:
    the claim timeout reminders and evaluations use."""
    return timedelta(seconds=services.config.meetings.claim_timeout_seconds)


async def _load(services: Services, poll_id: int) -> Poll:
    async with services.unit_of_work() as uow:
        poll = await uow.polls.get(poll_id)
    assert poll is not None
    return poll


async def post_poll(services: Services, poll_id: int) -> int:
    """Post the poll on every platform and remember each post; how many platforms failed."""
    poll = await _load(services, poll_id)
    card = _card(services, poll)
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


def _card(services: Services, poll: Poll) -> Message:
    coalition = services.config.coalition
    return poll_card(translator(coalition.language), poll, coalition.timezone)


async def current_card(services: Services, poll_id: int) -> Message:
    """The poll's card as the database has it now."""
    return _card(services, await _load(services, poll_id))


async def refresh_posts(services: Services, poll_id: int) -> Message | None:
    """Edit every platform's post with the counts as they are now (read after the commit);
    the card sent, None when the poll has no post yet. Paced by bot/polls/edits.py."""
    poll = await _load(services, poll_id)
    if not poll.posts:
        return None
    card = _card(services, poll)
    for posted in poll.posts:
        try:
            await services.broadcaster.edit(posted, card)
        except Exception:
            log.exception("could not update poll %s on %s", poll_id, posted.platform)
    return card


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
        claim = await uow.polls.claim_results(poll_id, services.clock.now(), results_hold(services))
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
            # Keyed, and looked for first: a claim retaken from an instance that died
            # after the platform took the post (but before it was marked) finds it.
            await services.broadcaster.send(
                platform,
                ToChannel(poll.channel),
                message,
                key=f"poll/{poll_id}/results",
                recheck=True,
            )
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
