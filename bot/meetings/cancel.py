"""Cancelling one occurrence of a series, or (after a confirmation) the whole meeting.

One occurrence is cancelled at once: the channel is told, the announcement shows the
next one, and the people who said Going get a direct message. Cancelling the whole
meeting ends every reminder and tells everyone who answered, so it asks first, with a
button, as `leave` does; the confirmation is settled in storage, so a double click
cancels once.
"""

from __future__ import annotations

from datetime import date

from bot.catalogue import Args
from bot.context import Context
from bot.errors import UserError
from bot.i18n import N_, translator
from bot.meetings.edit import tell_going
from bot.meetings.lookup import chosen_occurrence, meeting_or_error, next_occurrence
from bot.meetings.model import Meeting, OccurrenceChange
from bot.messages import (
    Actions,
    Button,
    ButtonStyle,
    Code,
    Message,
    Notice,
    Reply,
    Section,
    Strong,
    ToChannel,
    say,
    usage,
)
from bot.timefmt import moment

CONFIRM_ACTION = "meeting.cancel_confirm"
KEEP_ACTION = "meeting.cancel_keep"


def _already(ctx: Context, meeting: Meeting) -> Reply:
    done = say(ctx.tr("{title} is already cancelled.", title=Strong(meeting.title)))
    return Reply(message=done, update_original=done)


async def cancel(ctx: Context, args: Args) -> Reply:
    meeting = await meeting_or_error(ctx, args["id"])
    if meeting.cancelled:
        return _already(ctx, meeting)
    day: date | None = args.get("occurrence")
    if day is not None and meeting.recurring:
        return await _cancel_one(ctx, meeting, day)
    return await _ask(ctx, meeting)


async def _cancel_one(ctx: Context, meeting: Meeting, day: date) -> Reply:
    now = ctx.clock.now()
    occurrence = await chosen_occurrence(ctx, meeting, day)
    await ctx.uow.meetings.change_occurrence(
        meeting.id, OccurrenceChange(occurrence.key, True), at=now
    )
    # The announcement then shows the next occurrence, saying this one is cancelled.
    await ctx.uow.meetings.request_refresh(meeting.id, at=now)
    told = await tell_going(
        ctx,
        meeting,
        occurrence,
        N_("{title} on {when} is cancelled. The other meetings stay as planned."),
        None,
    )
    tr = translator(ctx.config.coalition.language)
    in_channel = say(
        tr(
            "{title} on {when} is cancelled. The other meetings of the series stay as planned.",
            title=Strong(meeting.title),
            when=moment(occurrence.start, meeting.timezone, tr.language),
        )
    )
    sentence = ctx.tr(
        "Cancelled {title} on {when}. The rest of the series stays; I told {channel} and the people who said Going.",
        title=Strong(meeting.title),
        when=ctx.moment(occurrence.start),
        channel=Strong(f"#{meeting.channel}"),
    )
    return Reply(
        message=say(sentence), notices=(Notice(ToChannel(meeting.channel), in_channel), *told)
    )


async def _ask(ctx: Context, meeting: Meeting) -> Reply:
    upcoming = await next_occurrence(ctx, meeting)
    blocks: list[Section | Actions] = []
    if upcoming is None:
        question = ctx.tr(
            "Cancel {title}? It has no meetings left, so nobody will be told.",
            title=Strong(meeting.title),
        )
    elif meeting.recurring:
        question = ctx.tr(
            "Cancel {title} completely, from the meeting on {when} on? Every reminder stops and the people who said Going are told. To cancel only one date, use {example}.",
            title=Strong(meeting.title),
            when=ctx.moment(upcoming.start),
            example=usage(
                "meeting cancel",
                ("id", str(meeting.id)),
                ("occurrence", upcoming.key.isoformat()),
            ),
        )
    else:
        question = ctx.tr(
            "Cancel {title} on {when}? Its reminders stop and the people who said Going are told.",
            title=Strong(meeting.title),
            when=ctx.moment(upcoming.start),
        )
    blocks.append(Section(question))
    target = str(meeting.id)
    blocks.append(
        Actions(
            (
                Button(
                    ctx.tr.plain("Yes, cancel the meeting"),
                    CONFIRM_ACTION,
                    target,
                    ButtonStyle.DANGER,
                ),
                Button(ctx.tr.plain("No, keep the meeting"), KEEP_ACTION, target),
            )
        )
    )
    return Reply(message=Message(tuple(blocks)))


async def _meeting_of(ctx: Context, target: str) -> Meeting:
    if not target.isdigit():
        raise UserError(
            "That button no longer works. Type {command} to start again.",
            command=Code("/coalition meeting list"),
        )
    return await meeting_or_error(ctx, int(target))


async def confirm(ctx: Context, target: str) -> Reply:
    meeting = await _meeting_of(ctx, target)
    if meeting.cancelled:
        return _already(ctx, meeting)
    now = ctx.clock.now()
    upcoming = await next_occurrence(ctx, meeting)
    # Settled in storage: of two clicks (or two coordinators) at once, one cancels.
    if not await ctx.uow.meetings.cancel(meeting.id, at=now):
        return _already(ctx, meeting)
    await ctx.uow.meetings.request_refresh(meeting.id, at=now)
    told: tuple[Notice, ...] = ()
    if upcoming is not None:
        told = await tell_going(
            ctx,
            meeting,
            upcoming,
            N_("{title} is cancelled, including the meeting on {when}."),
            None,
        )
    done = say(
        ctx.tr(
            "Cancelled {title}. No more reminders will be sent; the people who said Going were told.",
            title=Strong(meeting.title),
        )
    )
    return Reply(message=done, update_original=done, notices=told)


async def keep(ctx: Context, target: str) -> Reply:
    meeting = await _meeting_of(ctx, target)
    if meeting.cancelled:
        return _already(ctx, meeting)
    kept = say(ctx.tr("Good, {title} stays as planned.", title=Strong(meeting.title)))
    return Reply(message=kept, update_original=kept)
