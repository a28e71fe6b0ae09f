"""The coordinators' dashboard: the review queue (see docs/web.md).

Every decision goes through the dispatcher as the chat's button or command does
(`resource.approve`, `resource reject`): the same permission check, audit record,
chat review post update and "someone decided first" answer. The web adds no rule.
"""

from __future__ import annotations

from aiohttp import web

from adapters.web.dashboard_access import (
    Coordinator,
    csrf_ok,
    login,
    login_page,
    logout,
    outside,
    signed_in,
)
from adapters.web.dashboard_actions import take_outcome
from adapters.web.pages import render, site
from adapters.web.unlisted import scrubbed, unlisted_among, unlisted_label
from bot.identity import Identity, Place
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
    coordinator = await signed_in(request)
    form = {k: str(v) for k, v in (await request.post()).items()}
    if coordinator is None:
        return outside(request)
    if not csrf_ok(coordinator, form):
        return render(request, "dashboard_signin.html", status=403, state="csrf")
    number = request.match_info["id"]
    if not (number.isascii() and number.isdigit() and len(number) < 12):
        raise web.HTTPNotFound()
    actor = _actor(coordinator)
    dispatcher = site(request).app.dispatcher
    if request.match_info["decision"] == "approve":
        reply = await dispatcher.click(Click(actor, PLACE, "resource.approve", number))
    else:
        reason = form.get("reason", "")[:REASON_MAX]
        call = CommandCall(
            actor, PLACE, ("resource", "reject"), {"id": number, "reason": reason}, from_form=True
        )
        reply = await dispatcher.run(call)
    # Post/Redirect/Get: the outcome is shown once on the queue, and reloading it
    # asks for the queue again instead of sending the decision twice.
    async with site(request).app.storage.unit_of_work() as uow:
        # The chat's sentence names the suggester and whoever decided first.
        decided = await uow.resources.get(int(number)) if int(number) <= ID_MAX else None
        about = [] if decided is None else [decided.suggested_by, decided.decided_by]
        outcome = await scrubbed(uow, _said(reply), about, unlisted_label(request))
        await uow.dashboard.set_flash(coordinator.session_hash, outcome)
        await uow.commit()
    raise web.HTTPSeeOther(request.app.router["dashboard_review"].url_for())


def _actor(coordinator: Coordinator) -> Identity:
    # The account the coordinator last used in chat: the core finds them by it.
    member = coordinator.member
    return member.last_used or member.identities[0]


def _said(reply: Reply) -> str:
    return reply.message.fallback_text() if reply.message is not None else ""


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard", home, name="dashboard")
    router.add_get("/dashboard/login/{token}", login_page, name="dashboard_login")
    router.add_post("/dashboard/login/{token}", login)
    router.add_post("/dashboard/logout", logout, name="dashboard_logout")
    router.add_get("/dashboard/review", review_page, name="dashboard_review")
    router.add_post(
        "/dashboard/review/{id}/{decision:approve|reject}", decide, name="dashboard_decide"
    )
