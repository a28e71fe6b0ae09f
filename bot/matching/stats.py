"""`match stats`: per round, how many were matched and how the check-ins went.

`figures` is the one read of these numbers: the chat command and the dashboard's
matching page (adapters/web/dashboard_matching.py) both show what it returns, with
the rates from `percent`, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.catalogue import Args
from bot.config import Config
from bot.context import Context
from bot.matching.model import RoundStats
from bot.messages import Heading, Message, Moment, Plain, Reply, Section
from bot.ports import UnitOfWork
from bot.timezones import to_local

ROUNDS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class Figures:
    """Counts only, no names: the latest rounds (newest first), and the opt-ins."""

    rounds: tuple[RoundStats, ...]
    opted_in: int  # snoozed ones included: they are still in
    snoozed: int  # of those, the ones a round held today would leave out


async def figures(uow: UnitOfWork, config: Config, now: datetime) -> Figures:
    rounds = await uow.matching.stats(ROUNDS_SHOWN)
    opted = await uow.matching.opted_in()
    # The day a round held now would be on: a snooze ends on its date (OptIn.active_on).
    today = to_local(now, config.coalition.timezone).date()
    snoozed = sum(1 for o in opted if not o.active_on(today))
    return Figures(tuple(rounds), len(opted), snoozed)


def percent(part: int, whole: int) -> str:
    """A rate as people read it; a dash when there is nothing to divide by."""
    return "–" if whole == 0 else f"{round(100 * part / whole)}%"


async def stats(ctx: Context, args: Args) -> Reply:
    found = await figures(ctx.uow, ctx.config, ctx.clock.now())
    counts = [
        Plain(
            ctx.tr.plural(
                "{count} member is in peer matching.",
                "{count} members are in peer matching.",
                found.opted_in,
            )
        )
    ]
    if found.snoozed:
        counts.append(
            Plain(
                " "
                + ctx.tr.plural(
                    "{count} of them is snoozed for now.",
                    "{count} of them are snoozed for now.",
                    found.snoozed,
                )
            )
        )
    blocks: list[Heading | Section] = [
        Heading(ctx.tr.plain("Peer matching")),
        Section(tuple(counts)),
    ]
    if not found.rounds:
        blocks.append(Section(ctx.tr("No round has been held yet.")))
    zone = ctx.config.coalition.timezone
    for r in found.rounds:
        day = to_local(r.due_at, zone).date().isoformat()
        line = ctx.tr(
            "Round {number} ({date}): {groups}, {members}; check-ins answered {answered} of {asked} ({rate}); met {met} ({met_rate}).",
            number=str(r.round_id),
            date=Moment(r.due_at, day, "date"),
            groups=ctx.tr.plural("{count} group", "{count} groups", r.groups),
            members=ctx.tr.plural("{count} member", "{count} members", r.members),
            answered=str(r.answered),
            asked=str(r.asked),
            rate=percent(r.answered, r.asked),
            met=str(r.met),
            met_rate=percent(r.met, r.answered),
        )
        blocks.append(Section(line))
    return Reply(message=Message(tuple(blocks)))
