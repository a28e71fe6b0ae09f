"""Posting the weekly digest exactly once per week, with the reminders' claims.

Run every minute from the scheduler (adapters/bootstrap.py). When a digest time
has come (and is at most `digest_grace_hours` old: a restart posts a missed
digest, a long downtime skips it), one claim per platform is inserted under a
unique key (the week, the platform) and committed before anything is posted, as
bot/meetings/reminders.py does: a second replica, or the same process after a
restart, finds the claim and posts nothing. An empty week is claimed as skipped.
A failed post is retried on a later run on the same claim, after retry_seconds,
then twice as long each time, up to max_attempts (the reminders' settings), then
given up and logged; a post claimed and never finished (the instance died, or its
run failed after the claim; this instance's own too) is taken over after
claim_timeout_seconds. Retries stop with the grace period: a
digest hours late is worth little.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from datetime import timedelta

from bot.delivery import Services
from bot.discussions.digest import PERIOD, build_digest, latest_due
from bot.i18n import translator
from bot.meetings.model import DeliveryTarget
from bot.messages import ToChannel

log = logging.getLogger(__name__)


async def post_digest(services: Services, *, owner: str) -> int:
    """Post this week's digest where it was not yet claimed, or retry a failed post;
    how many posts went out."""
    platforms = services.broadcaster.platforms
    if not platforms:
        return 0  # nowhere to post: claim nothing, so nothing is lost
    now = services.clock.now()
    due = latest_due(now, services.config)
    if now - due > timedelta(hours=services.config.discussions.digest_grace_hours):
        return 0
    settings = services.config.meetings
    stale_before = now - timedelta(seconds=settings.claim_timeout_seconds)
    tr = translator(services.config.coalition.language)
    attempts: list[tuple[str, int, int]] = []  # platform, claim, attempt
    async with services.unit_of_work() as uow:
        digest = await build_digest(uow, services.config, tr, due - PERIOD, due)
        for platform in platforms:
            claim = await uow.digest_deliveries.claim(
                due, DeliveryTarget.channel(platform), owner=owner, at=now, skipped=digest is None
            )
            if claim is not None and digest is not None:
                attempts.append((platform, claim, 1))
        if digest is not None:
            # The same rows, taken over: a retry never makes a second claim for the week.
            for retry in await uow.digest_deliveries.retryable(due, now, owner, stale_before):
                attempts.append((retry.target.platform, retry.claim_id, retry.attempt))
        # The claims are committed before anything is posted: that is the guarantee.
        await uow.commit()
    if digest is None:
        return 0
    sent = 0
    channel = ToChannel(services.config.channels.announcements)
    key = f"digest/{due:%Y%m%dT%H%M%S}"
    for platform, claim, attempt in attempts:
        try:
            # A retry or takeover may follow a post that went out: recheck where possible.
            await services.broadcaster.send(
                platform, channel, digest, key=f"{key}/{platform}:#", recheck=attempt > 1
            )
        except Exception as error:
            await _recorded(_failed(services, platform, claim, attempt, error), platform)
            continue
        sent += 1
        await _recorded(_sent(services, claim), platform)
    return sent


async def _recorded(writing: Awaitable[None], platform: str) -> None:
    """Write how a post went; if the database fails, the other platforms' posts still
    go out, and this claim is taken again after claim_timeout_seconds."""
    try:
        await writing
    except Exception:
        log.exception("could not record the weekly digest post on %s", platform)


async def _sent(services: Services, claim: int) -> None:
    async with services.unit_of_work() as uow:
        await uow.digest_deliveries.sent(claim, at=services.clock.now())
        await uow.commit()


async def _failed(
    services: Services, platform: str, claim: int, attempt: int, error: Exception
) -> None:
    """Record the failure: retried after retry_seconds x 2^(attempt-1), or given up."""
    settings = services.config.meetings
    now = services.clock.now()
    retry_at = None
    if attempt < settings.max_attempts:
        retry_at = now + timedelta(seconds=settings.retry_seconds * 2 ** (attempt - 1))
        log.warning(
            "could not post the weekly digest on %s (attempt %d of %d); trying again at %s",
            platform,
            attempt,
            settings.max_attempts,
            retry_at.isoformat(),
            exc_info=error,
        )
    else:
        log.error(
            "gave up posting the weekly digest on %s after %d attempts",
            platform,
            attempt,
            exc_info=error,
        )
    async with services.unit_of_work() as uow:
        await uow.digest_deliveries.failed(
            claim, f"{type(error).__name__}: {error}", retry_at=retry_at, at=now
        )
        await uow.commit()
