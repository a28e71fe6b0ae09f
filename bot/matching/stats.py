"""`match stats`: per round, how many were matched and how the check-ins went."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.messages import Heading, Message, Moment, Plain, Reply, Section
from bot.timezones import to_local

ROUNDS_SHOWN = 10


def _percent(part: int, whole: int) -> str:
    return "–" if whole == 0 else f"{round(100 * part / whole)}%"


async def stats(ctx: Context, args: Args) -> Reply:
    rounds = await ctx.uow.matching.stats(ROUNDS_SHOWN)
    opted = await ctx.uow.matching.opted_in()
    blocks: list[Heading | Section] = [Heading(ctx.tr.plain("Peer matching"))]
    blocks.append(
        Section(
            (
                Plain(
                    ctx.tr.plural(
                        "{count} member is in peer matching.",
                        "{count} members are in peer matching.",
                        len(opted),
                    )
                ),
            )
        )
    )
    if not rounds:
        blocks.append(Section(ctx.tr("No round has been held yet.")))
    zone = ctx.config.coalition.timezone
    for r in rounds:
        day = to_local(r.due_at, zone).date().isoformat()
        line = ctx.tr(
            "Round {number} ({date}): {groups}, {members}; check-ins answered {answered} of {asked} ({rate}); met {met} ({met_rate}).",
            number=str(r.round_id),
            date=Moment(r.due_at, day, "date"),
            groups=ctx.tr.plural("{count} group", "{count} groups", r.groups),
            members=ctx.tr.plural("{count} member", "{count} members", r.members),
            answered=str(r.answered),
            asked=str(r.asked),
            rate=_percent(r.answered, r.asked),
            met=str(r.met),
            met_rate=_percent(r.met, r.answered),
        )
        blocks.append(Section(line))
    return Reply(message=Message(tuple(blocks)))
