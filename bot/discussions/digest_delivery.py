"""Posting the weekly digest exactly once per week, with the reminders' claims.

Run every minute from the scheduler (adapters/bootstrap.py). When a digest time
has come (and is at most `digest_grace_hours` old: a restart posts a missed
digest, a long downtime skips it), one claim per platform is inserted under a
unique key (the week, the platform) and committed before anything is posted, as
bot/meetings/reminders.py does: a second replica, or the same process after a
restart, finds the claim and posts nothing. An empty week is claimed as skipped.
A failed post is recorded and logged, not retried (a late digest is worth little).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.delivery import Services
from bot.discussions.digest import PERIOD, build_digest, latest_due
from bot.i18n import translator
from bot.messages import ToChannel

log = logging.getLogger(__name__)


async def post_digest(services: Services, *, owner: str) -> int:
    """Post this week's digest where it was not yet claimed; how many posts went out."""
    platforms = services.broadcaster.platforms
    if not platforms:
        return 0  # nowhere to post: claim nothing, so nothing is lost
    now = services.clock.now()
    due = latest_due(now, services.config)
    if now - due > timedelta(hours=services.config.discussions.digest_grace_hours):
        return 0
    tr = translator(services.config.coalition.language)
    claims: list[tuple[str, int]] = []
    async with services.unit_of_work() as uow:
        digest = await build_digest(uow, services.config, tr, due - PERIOD, due)
        for platform in platforms:
            claim = await uow.digest_deliveries.claim(
                due, f"{platform}:#", owner=owner, at=now, skipped=digest is None
            )
            if claim is not None and digest is not None:
                claims.append((platform, claim))
        # The claims are committed before anything is posted: that is the guarantee.
        await uow.commit()
    if digest is None:
        return 0
    sent = 0
    channel = ToChannel(services.config.channels.announcements)
    for platform, claim in claims:
        try:
            await services.broadcaster.send(platform, channel, digest)
        except Exception as error:
            log.exception("could not post the weekly digest on %s", platform)
            async with services.unit_of_work() as uow:
                await uow.digest_deliveries.failed(
                    claim, f"{type(error).__name__}: {error}", at=services.clock.now()
                )
                await uow.commit()
            continue
        sent += 1
        async with services.unit_of_work() as uow:
            await uow.digest_deliveries.sent(claim, at=services.clock.now())
            await uow.commit()
    return sent
