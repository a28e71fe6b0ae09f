"""`/coalition dashboard`: a coordinator gets, privately, a link that signs them in once."""

from __future__ import annotations

from datetime import timedelta

from bot.catalogue import Args, Command
from bot.context import Context
from bot.delivery import Services
from bot.i18n import N_
from bot.messages import Link, Reply, say
from bot.private_links import new_secret, secret_hash, web_pages_off
from bot.roles import Role

LINK_LIFETIME = timedelta(minutes=10)
# A session not used for this long is over: the coordinator asks for a new link.
SESSION_IDLE = timedelta(hours=8)
# A session's last use is written only when the stored one is older than this, so a
# coordinator clicking through pages costs a read, not a write, per page. The idle
# expiry is thus exact to within this much: a session ends after 8 hours idle, or
# up to one minute sooner.
SEEN_STEP = timedelta(minutes=1)
LOGIN_PATH = "/dashboard/login/"


async def dashboard(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    web = ctx.config.web
    if (off := web_pages_off(ctx)) is not None:
        return off
    token = new_secret()
    await ctx.uow.dashboard.add_link(secret_hash(token), me.id, ctx.clock.now() + LINK_LIFETIME)
    url = f"{web.public_url}{LOGIN_PATH}{token}"
    return Reply(
        message=say(
            ctx.tr(
                "Open {link} to sign in to the dashboard. The link works once, "
                "for 10 minutes, and only for you: do not share it.",
                link=Link(url, url),
            )
        ),
        private=True,
    )


DASHBOARD = Command(
    ("dashboard",),
    N_("Get a private link that signs you in to the coordinators' web dashboard"),
    dashboard,
    role=Role.COORDINATOR,
)


async def forget_expired(services: Services) -> int:
    """Links past their 10 minutes and sessions idle for 8 hours are only clutter."""
    async with services.unit_of_work() as uow:
        gone = await uow.dashboard.forget_expired(services.clock.now(), SESSION_IDLE)
        await uow.commit()
    return gone
