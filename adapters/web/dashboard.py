"""The coordinators' dashboard: the review queue (see docs/web.md).

Every decision goes through the dispatcher as the chat's button or command does
(`resource.approve`, `resource reject`): the same permission check, audit record,
chat review post update and "someone decided first" answer. The web adds no rule.
"""

from __future__ import annotations

from typing import NoReturn

from aiohttp import web

from adapters.web.dashboard_access import Coordinator, login, login_page, logout, outside, signed_in
from adapters.web.dashboard_actions import (
    actor_of,
    checked_form,
    number_in,
    said,
    shown_once,
    take_outcome,
)
from adapters.web.pages import render, site
from adapters.web.unlisted import scrubbed, unlisted_among, unlisted_label
from bot.identity import Place
from bot.invocation import Click, CommandCall
from bot.messages import Reply
from bot.options import ID_MAX

# The "platform" decisions made here are said to come from (logs, metrics, the review
# posts to refresh: none is on the web, so every chat post is updated).
PLATFORM = "web"
PLACE = Place(PLATFORM, "dashboard", "review")
SHOWN = 50
REASON_MAX = 500


async def home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(request.app.router["dashboard_review"].url_for())


async def review_page(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    async with site(request).app.storage.reading() as uow:
        waiting = await uow.resources.pending(limit=SHOWN)
        hidden = await unlisted_among(uow, (r.suggested_by for r in waiting))
    outcome = await take_outcome(request, coordinator)
    label = unlisted_label(request)
    return render(
        request,
        "dashboard_review.html",
        section="review",
        waiting=waiting,
        suggesters={
            r.id: label if r.suggested_by in hidden else r.suggested_by_name for r in waiting
        },
        csrf=coordinator.csrf,
        me=coordinator.member.name,
        outcome=outcome,
        reason_max=REASON_MAX,
    )


async def decide(request: web.Request) -> web.StreamResponse:
    checked = await checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    coordinator, form = checked
    number = number_in(request)
    actor = actor_of(coordinator)
    dispatcher = site(request).app.dispatcher
    if request.match_info["decision"] == "approve":
        reply = await dispatcher.click(Click(actor, PLACE, "resource.approve", str(number)))
    else:
        reason = form.get("reason", "")[:REASON_MAX]
        call = CommandCall(
            actor,
            PLACE,
            ("resource", "reject"),
            {"id": str(number), "reason": reason},
            from_form=True,
        )
        reply = await dispatcher.run(call)
    await back_to_queue(request, coordinator, reply, number)


async def back_to_queue(
    request: web.Request, coordinator: Coordinator, reply: Reply, number: int
) -> NoReturn:
    """The queue, saying once what became of resource `number` (shown_once): the chat's
    sentence, which names the suggester and whoever decided first (if listed)."""
    async with site(request).app.storage.reading() as uow:
        decided = await uow.resources.get(number) if number <= ID_MAX else None
        about = [] if decided is None else [decided.suggested_by, decided.decided_by]
        outcome = await scrubbed(uow, said(reply), about, unlisted_label(request))
    to = str(request.app.router["dashboard_review"].url_for())
    await shown_once(request, coordinator, outcome, to)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard", home, name="dashboard")
    router.add_get("/dashboard/login/{token}", login_page, name="dashboard_login")
    router.add_post("/dashboard/login/{token}", login)
    router.add_post("/dashboard/logout", logout, name="dashboard_logout")
    router.add_get("/dashboard/review", review_page, name="dashboard_review")
    router.add_post(
        "/dashboard/review/{id}/{decision:approve|reject}", decide, name="dashboard_decide"
    )
