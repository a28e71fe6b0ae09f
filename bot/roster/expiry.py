"""Privacy: invitation data of people who never joined is deleted after a while."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.delivery import Services

PURGE_EVERY = timedelta(hours=6)
log = logging.getLogger(__name__)


async def forget_unused_invitations(services: Services) -> int:
    """Delete invitations unused for `[roster] keep_unused_days`; how many went."""
    keep = timedelta(days=services.config.roster.keep_unused_days)
    async with services.unit_of_work() as uow:
        gone = await uow.invitations.forget_unused(services.clock.now() - keep)
        await uow.commit()
    if gone:
        log.info("deleted %d unused roster invitations", gone)
    return gone
