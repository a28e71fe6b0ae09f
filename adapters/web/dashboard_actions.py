"""What the dashboard's pages share when a coordinator presses a button: who they act as
in the core, the form with its CSRF check, and the outcome shown once after a redirect."""

from __future__ import annotations

from typing import NoReturn

from aiohttp import web

from adapters.web.dashboard_access import Coordinator, csrf_ok, outside, signed_in
from adapters.web.pages import render, site
from bot.identity import Identity
from bot.messages import Reply


def actor_of(coordinator: Coordinator) -> Identity:
    """The account the coordinator last used in chat: the core finds them by it."""
    member = coordinator.member
    return member.last_used or member.identities[0]


def said(reply: Reply) -> str:
    return reply.message.fallback_text() if reply.message is not None else ""


async def checked_form(
    request: web.Request,
) -> tuple[Coordinator, dict[str, str]] | web.Response:
    """The signed-in coordinator and their form, or the page refusing it (nothing changes)."""
    coordinator = await signed_in(request)
    form = {k: str(v) for k, v in (await request.post()).items()}
    if coordinator is None:
        return outside(request)
    if not csrf_ok(coordinator, form):
        return render(request, "dashboard_signin.html", status=403, state="csrf")
    return coordinator, form


async def shown_once(
    request: web.Request, coordinator: Coordinator, outcome: str, to: str
) -> NoReturn:
    """Post/Redirect/Get: keep `outcome` for the next page, then send the browser to `to`,
    so reloading that page asks for it again instead of sending the form twice."""
    async with site(request).app.storage.unit_of_work() as uow:
        await uow.dashboard.set_flash(coordinator.session_hash, outcome)
        await uow.commit()
    raise web.HTTPSeeOther(to)


async def take_outcome(request: web.Request, coordinator: Coordinator) -> str:
    """The outcome kept for this page, cleared as it is shown. Mostly there is none
    (the session's read said so), and then nothing is written."""
    if not coordinator.flash:
        return ""
    async with site(request).app.storage.unit_of_work() as uow:
        outcome = await uow.dashboard.take_flash(coordinator.session_hash)
        await uow.commit()
    return outcome or ""


def number_in(request: web.Request, name: str = "id") -> int:
    """A number in the path; anything else is the ordinary "Page not found"."""
    value = request.match_info[name]
    if not (value.isascii() and value.isdigit() and len(value) < 12):
        raise web.HTTPNotFound()
    return int(value)
