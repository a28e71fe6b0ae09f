"""Join requests on the dashboard, when the coalition approves who joins.

Approve and Decline are the chat's buttons (`join.approve`, `join.decline`, in
bot/membership/approval.py) sent through the dispatcher: the same role check,
welcome or notice to the applicant, and "someone decided first" answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from adapters.web.dashboard import PLACE
from adapters.web.dashboard_access import outside, signed_in
from adapters.web.dashboard_actions import (
    actor_of,
    checked_form,
    number_in,
    said,
    shown_once,
    take_outcome,
)
from adapters.web.pages import render, site
from adapters.web.unlisted import scrubbed, unlisted_label
from bot.invocation import Click
from bot.members import Member
from bot.options import ID_MAX

SHOWN = 50
ACTIONS = {"approve": "join.approve", "decline": "join.decline"}


@dataclass(frozen=True)
class Applicant:
    """A request as the page shows it; `member` is None for one not listed in the
    directory, whose name never appears on the web (they are decided in chat)."""

    request_id: int
    requested_at: datetime
    member: Member | None


async def joins_page(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    config = site(request).app.config
    applicants: list[Applicant] = []
    async with site(request).app.storage.reading() as uow:
        if config.coalition.approval_required:
            for waiting in (await uow.join_requests.pending())[:SHOWN]:
                member = await uow.members.get(waiting.member_id)
                shown = member if member is not None and member.profile.listed else None
                applicants.append(Applicant(waiting.id, waiting.requested_at, shown))
    outcome = await take_outcome(request, coordinator)
    return render(
        request,
        "dashboard_joins.html",
        approval=config.coalition.approval_required,
        applicants=applicants,
        zone=config.coalition.timezone,
        outcome=outcome,
        csrf=coordinator.csrf,
        me=coordinator.member.name,
        section="joins",
    )


async def decide(request: web.Request) -> web.StreamResponse:
    checked = await checked_form(request)
    if isinstance(checked, web.Response):
        return checked
    coordinator, _ = checked
    number = number_in(request)
    action = ACTIONS[request.match_info["decision"]]
    reply = await site(request).app.dispatcher.click(
        Click(actor_of(coordinator), PLACE, action, str(number))
    )
    async with site(request).app.storage.reading() as uow:
        # The chat's sentence names the applicant and whoever decided first.
        decided = await uow.join_requests.get(number) if number <= ID_MAX else None
        about = [] if decided is None else [decided.member_id, decided.decided_by]
        outcome = await scrubbed(uow, said(reply), about, unlisted_label(request))
    await shown_once(
        request, coordinator, outcome, str(request.app.router["dashboard_joins"].url_for())
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard/joins", joins_page, name="dashboard_joins")
    router.add_post(
        "/dashboard/joins/{id}/{decision:approve|decline}", decide, name="dashboard_join_decide"
    )
