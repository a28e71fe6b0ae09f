"""Listing upcoming meetings, viewing one, and who is coming."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import FieldError
from bot.meetings.cards import ANSWER_LABELS, local_time, meeting_card
from bot.meetings.lookup import chosen_occurrence, meeting_or_error
from bot.meetings.model import FOREVER, LIST_LIMIT, Answer
from bot.meetings.recurrence import next_occurrence
from bot.messages import (
    Block,
    Code,
    Heading,
    Message,
    Reply,
    Section,
    Strong,
    say,
    usage,
)
from bot.messages import (
    Context as Small,
)


async def upcoming(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    now = ctx.clock.now()
    meetings = await ctx.uow.meetings.active(now, now + FOREVER)
    changes = await ctx.uow.meetings.changes([m.id for m in meetings]) if meetings else {}
    # Each meeting once, at its next occurrence however far ahead (a weekly series is one
    # line, and a meeting in six months is listed too), paged rather than cut off.
    found = [
        (meeting, occurrence)
        for meeting in meetings
        if (occurrence := next_occurrence(meeting, changes.get(meeting.id, {}), now)) is not None
    ]
    found.sort(key=lambda pair: (pair[1].start, pair[0].id))
    if not found:
        return Reply(
            message=say(
                ctx.tr(
                    "No meetings are scheduled. Coordinators schedule one with {command}.",
                    command=Code("/coalition meeting schedule"),
                )
            )
        )
    pages = -(-len(found) // LIST_LIMIT)
    page: int = args.get("page", 1)
    if page > pages:
        raise FieldError(
            "page",
            "The list of meetings has {pages} pages. Give one of them, for example {example}.",
            pages=str(pages),
            example=usage("meeting list", ("page", str(pages))),
        )
    blocks: list[Block] = [Heading(ctx.tr.plain("Upcoming meetings"))]
    for meeting, occurrence in found[(page - 1) * LIST_LIMIT : page * LIST_LIMIT]:
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
    if page < pages:
        blocks.append(
            Small(
                ctx.tr(
                    "Page {page} of {pages}, {count} meetings in all. See the next page with {command}.",
                    page=str(page),
                    pages=str(pages),
                    count=str(len(found)),
                    command=usage("meeting list", ("page", str(page + 1))),
                )
            )
        )
    elif pages > 1:
        blocks.append(
            Small(
                ctx.tr(
                    "Page {page} of {pages}, the last.",
                    page=str(page),
                    pages=str(pages),
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
