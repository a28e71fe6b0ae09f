"""Replies in the threads the bot opened: counted from platform events, told to followers in batches.

Adapters call `record_reply` for every message event in a thread; only threads
the bot opened count, and only the count and the time are kept, never the text.
Events are buffered and written in batches (bot/discussions/ingest.py).
`notify_followers` runs from the scheduler (adapters/bootstrap.py): a discussion
with new replies is told to its followers at most once per `notify_minutes`,
claimed with a conditional update so two instances never both send a batch. The
claim is marked done only after the posts: a batch claimed by an instance that
died before posting is claimed again after the claim timeout, and sent rather
than lost (as reminders are).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.delivery import Services
from bot.discussions.cards import replies_notice
from bot.discussions.ingest import ReplyIngest
from bot.i18n import translator
from bot.membership.model import MemberStatus
from bot.messages import Notice, ToMember


async def record_reply(
    services: Services, platform: str, channel: str, thread: str, at: datetime
) -> bool:
    """Count one reply (written with the next batch); False when the thread is not an open
    discussion the bot opened (nothing stored)."""
    return await services.get(ReplyIngest).record(platform, channel, thread, at)


async def record_reply_now(
    services: Services, platform: str, channel: str, thread: str, at: datetime
) -> bool:
    """Count one reply and write it at once: for the terminal, one typed reply at a time."""
    if not await services.get(ReplyIngest).record(platform, channel, thread, at):
        return False
    return await services.get(ReplyIngest).flush() > 0


async def notify_followers(services: Services) -> int:
    """Tell followers of new replies, one message per discussion per interval; how many sent."""
    now = services.clock.now()
    interval = timedelta(minutes=services.config.discussions.notify_minutes)
    # A claim older than this was made by an instance that died before posting it.
    stale_before = now - timedelta(seconds=services.config.meetings.claim_timeout_seconds)
    notices: list[Notice] = []
    claimed: list[tuple[int, int]] = []
    async with services.unit_of_work() as uow:
        for discussion in await uow.discussions.unnotified(now - interval, stale_before):
            new = discussion.replies - discussion.notified_replies
            if not await uow.discussions.claim_notice(
                discussion.id, discussion.notified_replies, now, stale_before
            ):
                continue  # another instance is telling this batch
            claimed.append((discussion.id, discussion.replies))
            for member_id in await uow.discussions.followers(discussion.id):
                member = await uow.members.get(member_id)
                if member is None or member.status is not MemberStatus.ACTIVE:
                    continue
                tr = translator(member.profile.language)
                notices.append(
                    Notice(ToMember(member.identities), replies_notice(tr, discussion, new))
                )
        # Claimed before posting, so no other instance sends the same batch meanwhile.
        await uow.commit()
    failures = await services.broadcaster.deliver(notices)
    # Done only now: a crash before this leaves the claim to be taken over and resent.
    async with services.unit_of_work() as uow:
        for discussion_id, replies in claimed:
            await uow.discussions.notice_sent(discussion_id, replies, claimed_at=now, at=now)
        await uow.commit()
    return len(notices) - failures
