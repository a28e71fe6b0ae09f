"""Listing upcoming meetings, viewing one, and who is coming."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.meetings.cards import ANSWER_LABELS, local_time, meeting_card
from bot.meetings.lookup import chosen_occurrence, meeting_or_error
from bot.meetings.model import LIST_HORIZON, LIST_LIMIT, Answer
from bot.meetings.recurrence import next_occurrences
from bot.messages import (
    Block,
    Code,
    Heading,
    Message,
    Reply,
    Section,
    Strong,
    say,
)
from bot.messages import (
    Context as Small,
)


async def upcoming(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    now = ctx.clock.now()
    meetings = await ctx.uow.meetings.active(now, now + LIST_HORIZON)
    changes = await ctx.uow.meetings.changes([m.id for m in meetings]) if meetings else {}
    every = next_occurrences(
        ((m, changes.get(m.id, {})) for m in meetings), now, now + LIST_HORIZON
    )
    # Each meeting once, at its next occurrence: a weekly series is one line, not thirteen.
    found = list({meeting.id: (meeting, o) for meeting, o in reversed(every)}.values())
    found.sort(key=lambda pair: (pair[1].start, pair[0].id))
    if not found:
        return Reply(
            message=say(
                ctx.tr(
                    "No meetings are scheduled in the next 90 days. Coordinators schedule one with {command}.",
                    command=Code("/coalition meeting schedule"),
                )
            )
        )
    blocks: list[Block] = [Heading(ctx.tr.plain("Upcoming meetings"))]
    for meeting, occurrence in found[:LIST_LIMIT]:
        blocks.append(
            Section(
                ctx.tr(
                    "{when} — {title} ({local}), meeting {id}",
                    when=ctx.moment(occurrence.start),
                    title=Strong(meeting.title),
                    local=local_time(ctx.tr, meeting, occurrence),
                    id=str(meeting.id),
                )
            )
        )
    blocks.append(
        Small(ctx.tr("See one with {command}.", command=Code("/coalition meeting view 1")))
    )
    return Reply(message=Message(tuple(blocks)))


async def view(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    meeting = await meeting_or_error(ctx, args["id"])
    if meeting.cancelled:
        return Reply(message=meeting_card(ctx.tr, meeting, None))
    occurrence = await chosen_occurrence(ctx, meeting, args.get("occurrence"))
    counts = await ctx.uow.rsvps.counts(meeting.id, occurrence.key)
    key = (meeting.id, occurrence.key)
    discussion = (await ctx.uow.discussions.occurrence_discussions([key])).get(key)
    card = meeting_card(
        ctx.tr, meeting, occurrence, counts, discussion=discussion, platform=ctx.actor.platform
    )
    return Reply(message=card)


async def attendees(ctx: Context, args: Args) -> Reply:
    meeting = await meeting_or_error(ctx, args["id"])
    occurrence = await chosen_occurrence(ctx, meeting, args.get("occurrence"))
    people = await ctx.uow.rsvps.attendees(meeting.id, occurrence.key)
    blocks: list[Block] = [
        Heading(meeting.title),
        Section(ctx.tr("Answers for {when}:", when=ctx.moment(occurrence.start))),
    ]
    for answer in Answer:
        names = [p.name for p in people if p.answer is answer]
        label = ctx.tr.plain(ANSWER_LABELS[answer])
        blocks.append(
            Section(
                ctx.tr(
                    "{answer} ({count}): {names}",
                    answer=Strong(label),
                    count=str(len(names)),
                    names=", ".join(names) or "—",
                )
            )
        )
    return Reply(message=Message(tuple(blocks)))
