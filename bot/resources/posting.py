"""Getting suggestions in front of the coordinators, without ever losing one.

A suggestion is saved with its review post queued. After the commit, the post
is claimed (so two workers never post it twice), sent to every connected
platform, and marked posted with where it went (to edit it later). If a
platform fails, or none is connected yet, the post stays queued:
`post_queued_reviews` tries again, every RETRY_EVERY from the scheduler (see
adapters/bootstrap.py), until every platform has it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.delivery import Services
from bot.i18n import translator
from bot.messages import FollowUp, ToChannel
from bot.posted import PostedMessage
from bot.resources.cards import review_card
from bot.resources.model import ResourceStatus

log = logging.getLogger(__name__)

# Long enough for any platform to answer; a claim left by a crashed process lapses after it.
CLAIM_LEASE = timedelta(minutes=5)
RETRY_EVERY = timedelta(seconds=30)


async def post_review(services: Services, resource_id: int) -> bool:
    """Post one queued suggestion to the review channel; True once every platform has it."""
    platforms = services.broadcaster.platforms
    if not platforms:
        return False  # nowhere to post yet: it stays queued
    now = services.clock.now()
    async with services.unit_of_work() as uow:
        if not await uow.resources.claim_review_post(resource_id, now, now + CLAIM_LEASE):
            return False  # posted already, or someone else is posting it right now
        resource = await uow.resources.get(resource_id)
        await uow.commit()
    assert resource is not None
    posts = list(resource.review_posts)
    done = {p.platform for p in posts}
    tr = translator(services.config.coalition.language)
    failed = False
    # Decided before it was ever posted (by a typed command): nothing left to ask.
    if resource.status is ResourceStatus.PENDING:
        card = review_card(tr, services.config, resource)
        channel = ToChannel(services.config.channels.reviews)
        for platform in platforms:
            if platform in done:
                continue
            try:
                sent = await services.broadcaster.send(platform, channel, card)
            except Exception:
                log.exception("could not post suggestion %s on %s", resource_id, platform)
                failed = True
                continue
            # A platform that cannot say where it posted still counts as posted.
            posts.extend(sent or [PostedMessage(platform, channel.channel, "")])
    async with services.unit_of_work() as uow:
        await uow.resources.review_posted(resource_id, tuple(posts), complete=not failed)
        await uow.commit()
    return not failed


async def post_queued_reviews(services: Services) -> int:
    """Post every queued suggestion; how many are still waiting afterwards."""
    async with services.unit_of_work() as uow:
        queued = await uow.resources.queued_reviews(services.clock.now())
    waiting = 0
    for resource_id in queued:
        if not await post_review(services, resource_id):
            waiting += 1
    return waiting


def after_suggestion(services: Services, resource_id: int) -> FollowUp:
    """The follow-up the suggest command leaves for after its commit."""

    async def follow_up() -> None:
        await post_review(services, resource_id)

    return follow_up
