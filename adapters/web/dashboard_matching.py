"""The dashboard's peer matching page: the figures of `/coalition match stats`.

It shows what the chat command shows, read by the same core function
(`bot.matching.stats.figures`, rates by its `percent`): per round the groups,
members, check-in answer rate and met rate, and how many are in and snoozed.
Counts only: no member is named here. Nothing on the page changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from adapters.web.dashboard_access import outside, signed_in
from adapters.web.dashboard_actions import take_outcome
from adapters.web.pages import render, site
from bot.matching.model import RoundStats
from bot.matching.stats import figures, percent
from bot.timezones import to_local


@dataclass(frozen=True, slots=True)
class Round:
    """One round as the table shows it."""

    figures: RoundStats
    day: datetime  # its instant in the coalition's zone

    @property
    def answer_rate(self) -> str:
        return percent(self.figures.answered, self.figures.asked)

    @property
    def met_rate(self) -> str:
        return percent(self.figures.met, self.figures.answered)


async def matching_page(request: web.Request) -> web.Response:
    coordinator = await signed_in(request)
    if coordinator is None:
        return outside(request)
    app = site(request).app
    async with app.storage.reading() as uow:
        found = await figures(uow, app.config, app.clock.now())
    zone = app.config.coalition.timezone
    return render(
        request,
        "dashboard_matching.html",
        section="matching",
        found=found,
        rounds=[Round(r, to_local(r.due_at, zone)) for r in found.rounds],
        zone=zone,
        csrf=coordinator.csrf,
        me=coordinator.member.name,
        outcome=await take_outcome(request, coordinator),
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/dashboard/matching", matching_page, name="dashboard_matching")
