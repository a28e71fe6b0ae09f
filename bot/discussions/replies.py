"""Replies in the threads the bot opened: counted from platform events, told to followers in batches.

Adapters call `record_reply` for every message event in a thread; only threads
the bot opened count, and only the count and the time are kept, never the text.
`notify_followers` runs from the scheduler (adapters/bootstrap.py): a discussion
with new replies is told to its followers at most once per `notify_minutes`,
claimed with a conditional update so two instances never both send a batch.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.delivery import Services
from bot.discussions.cards import replies_notice
from bot.i18n import translator
from bot.membership.model import MemberStatus
from bot.messages import Notice, ToMember


async def record_reply(
    services: Services, platform: str, channel: str, thread: str, at: datetime
) -> bool:
    """Count one reply; False when the thread is not one the bot opened (nothing stored)."""
    async with services.unit_of_work() as uow:
        counted = await uow.discussions.record_reply(platform, channel, thread, at)
        await uow.commit()
    return counted


async def notify_followers(services: Services) -> int:
    """Tell followers of new replies, one message per discussion per interval; how many sent."""
    now = services.clock.now()
    interval = timedelta(minutes=services.config.discussions.notify_minutes)
    notices: list[Notice] = []
    async with services.unit_of_work() as uow:
        for discussion in await uow.discussions.unnotified(now - interval):
            new = discussion.replies - discussion.notified_replies
            claimed = await uow.discussions.claim_notice(
                discussion.id, discussion.notified_replies, discussion.replies, now
            )
            if not claimed:
                continue  # another instance told this batch
            for member_id in await uow.discussions.followers(discussion.id):
                member = await uow.members.get(member_id)
                if member is None or member.status is not MemberStatus.ACTIVE:
                    continue
                tr = translator(member.profile.language)
                notices.append(
                    Notice(ToMember(member.identities), replies_notice(tr, discussion, new))
                )
        # Claimed before posting: a crash between the two loses a batch rather than repeat it.
        await uow.commit()
    failures = await services.broadcaster.deliver(notices)
    return len(notices) - failures
