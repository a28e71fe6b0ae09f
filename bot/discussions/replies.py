"""Replies in the threads the bot opened: counted from platform events, told to followers in batches.

Every message event in a thread reaches `count_reply`, the capability's listener
(adapters hand it to `Dispatcher.event` as a `ThreadMessage`); only threads the bot
opened count, and only the count and the time are kept, never the text. Events are
buffered and written in batches (bot/discussions/ingest.py).
`notify_followers` runs from the scheduler (adapters/bootstrap.py): a discussion
with new replies is told to its followers at most once per `notify_minutes`,
claimed with a conditional update so two instances never both send a batch, and
then each follower's notice is kept on their own row until it is posted (see
`notify_followers`).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.delivery import Services
from bot.discussions.cards import replies_notice
from bot.discussions.ingest import ReplyIngest
from bot.discussions.ports import OwedNotice
from bot.i18n import translator
from bot.identity import Identity
from bot.invocation import ThreadMessage
from bot.meetings.direct import dm_account
from bot.members import MemberStatus
from bot.messages import Message, ToMember
from bot.ports import Undeliverable, UnitOfWork

log = logging.getLogger(__name__)

# Tries to write how the notices went, the first wait between them (then doubled).
WRITE_TRIES = 3
WRITE_BACKOFF_SECONDS = 0.2


async def count_reply(services: Services, message: ThreadMessage) -> bool:
    """The listener (capability.py): a message in a thread, counted if the thread is an
    open discussion's; batched unless the platform needs it written at once."""
    record = record_reply_now if message.at_once else record_reply
    return await record(services, message.platform, message.channel, message.thread, message.at)


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
    """Tell followers of new replies, one message per discussion per interval; how many sent.

    A batch is claimed on the discussion and marked told at once; from then on each
    follower is owed it on their own row (storage/followers.py), taken with a lease,
    posted, and marked told, or failed and tried again later (retry_seconds, doubled
    each time, up to max_attempts), or given up when the platform cannot deliver to
    them (`Undeliverable`: DMs closed). A follower whose post failed is told of the
    replies of every batch they missed in one message when it is tried again.
    """
    now = services.clock.now()
    interval = timedelta(minutes=services.config.discussions.notify_minutes)
    claim_timeout = timedelta(seconds=services.config.meetings.claim_timeout_seconds)
    posts: list[tuple[OwedNotice, Identity, Message]] = []
    async with services.unit_of_work() as uow:
        # A batch claim older than the timeout was made by an instance that died.
        for discussion in await uow.discussions.unnotified(now - interval, now - claim_timeout):
            if await uow.discussions.claim_notice(
                discussion.id, discussion.notified_replies, now, now - claim_timeout
            ):
                await uow.discussions.notice_sent(
                    discussion.id, discussion.replies, claimed_at=now, at=now
                )
        # Held until the claim timeout: a crash before the outcome is written leaves
        # the notice to be taken again then, and sent rather than lost.
        for owed in await uow.discussions.take_owed_notices(now, now + claim_timeout):
            found = await _addressed(uow, services.broadcaster.platforms, owed)
            if found is None:  # they left, or the discussion is gone: nothing owed
                await uow.discussions.notice_told(
                    owed.discussion_id, owed.member_id, owed.replies, at=now
                )
            else:
                posts.append((owed, *found))
        await uow.commit()
    outcomes = [(owed, await _post(services, owed, to, msg)) for owed, to, msg in posts]
    await _write(services, outcomes)
    return [error for _, error in outcomes].count(None)


async def _write(services: Services, outcomes: list[tuple[OwedNotice, Exception | None]]) -> None:
    """Write how each notice went, trying again with growing waits: a posted notice
    whose mark is never written is taken again when its hold ends, and sent twice."""
    for attempt in range(1, WRITE_TRIES + 1):
        try:
            async with services.unit_of_work() as uow:
                for owed, error in outcomes:
                    await _record(services, uow, owed, error)
                await uow.commit()
            return
        except Exception:
            if attempt == WRITE_TRIES:
                raise  # the periodic job logs it
            log.warning("could not write how %d notices went; trying again", len(outcomes))
            await asyncio.sleep(WRITE_BACKOFF_SECONDS * 2 ** (attempt - 1))


async def _addressed(
    uow: UnitOfWork, platforms: list[str], owed: OwedNotice
) -> tuple[Identity, Message] | None:
    """Where the notice goes (one account, as reminder DMs) and what it says."""
    member = await uow.members.get(owed.member_id)
    discussion = await uow.discussions.get(owed.discussion_id)
    if member is None or member.status is not MemberStatus.ACTIVE or discussion is None:
        return None
    account = dm_account(
        member.identities, platforms, chosen=member.profile.dm_platform, last_used=member.last_used
    )
    if account is None:
        return None  # no connected platform: nothing can be posted to them now
    tr = translator(member.profile.language)
    return account, replies_notice(tr, discussion, owed.replies - owed.told)


async def _post(
    services: Services, owed: OwedNotice, to: Identity, message: Message
) -> Exception | None:
    try:
        await services.broadcaster.send(to.platform, ToMember((to,)), message)
    except Exception as error:  # any platform failure: recorded on their row
        return error
    return None


async def _record(
    services: Services, uow: UnitOfWork, owed: OwedNotice, error: Exception | None
) -> None:
    now = services.clock.now()
    discussions = uow.discussions
    if error is None:
        await discussions.notice_told(owed.discussion_id, owed.member_id, owed.replies, at=now)
        return
    settings = services.config.meetings
    retry_at: datetime | None = None
    if not isinstance(error, Undeliverable) and owed.attempt < settings.max_attempts:
        retry_at = now + timedelta(seconds=settings.retry_seconds * 2 ** (owed.attempt - 1))
    log.warning(
        "could not tell member %s of replies in discussion %s (attempt %d): %s; %s",
        owed.member_id,
        owed.discussion_id,
        owed.attempt,
        error,
        f"trying again at {retry_at.isoformat()}" if retry_at else "giving up",
    )
    reason = f"{type(error).__name__}: {error}"
    await discussions.notice_failed(
        owed.discussion_id, owed.member_id, reason, retry_at=retry_at, at=now
    )
