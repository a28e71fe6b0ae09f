"""`poll list`: the open polls and those closed lately, each with its number to vote or close."""

from __future__ import annotations

from datetime import timedelta

from bot.catalogue import Args
from bot.context import Context
from bot.messages import Code, Message, Plain, Reply, Section, Strong, say
from bot.polls.model import PollSummary

# Closed polls stay listed this long: long enough to find last week's results again.
RECENTLY_CLOSED = timedelta(days=7)
LIST_MAX = 20  # of each kind, open and closed


def _line(ctx: Context, poll: PollSummary) -> Section:
    voters = ctx.tr.plural("{count} member has voted", "{count} members have voted", poll.voters)
    if poll.closed_at is not None:
        when = ctx.tr("closed {when}", when=ctx.moment(poll.closed_at))
    elif poll.closes_at is not None:
        when = ctx.tr("closes {when}", when=ctx.moment(poll.closes_at))
    else:
        when = ctx.tr(
            "open until closed with {command}", command=Code(f"/coalition poll close {poll.id}")
        )
    return Section((Strong(f"#{poll.id}"), Plain(f" {poll.question}\n{voters} · "), *when))


async def list_polls(ctx: Context, args: Args) -> Reply:
    polls = await ctx.uow.polls.listing(ctx.clock.now() - RECENTLY_CLOSED, LIST_MAX)
    if not polls:
        return Reply(
            message=say(
                ctx.tr(
                    "There are no open polls, and none closed in the last 7 days. "
                    "Start one with {command}.",
                    command=Code("/coalition poll create"),
                )
            )
        )
    open_now = [p for p in polls if p.closed_at is None]
    closed = [p for p in polls if p.closed_at is not None]
    blocks: list[Section] = []
    if open_now:
        blocks += [Section(ctx.tr("Open polls:")), *(_line(ctx, p) for p in open_now)]
    else:
        blocks.append(Section(ctx.tr("No poll is open.")))
    if closed:
        blocks += [Section(ctx.tr("Closed in the last 7 days:")), *(_line(ctx, p) for p in closed)]
    return Reply(message=Message(tuple(blocks)))
