"""The "I'm here" button of the starting-now reminder: attendance once per member."""

from __future__ import annotations

from bot.attendance.model import CHECKIN_EARLY, Source
from bot.context import Context
from bot.errors import UserError
from bot.meetings.lookup import changes_of, meeting_or_error, occurrence_on
from bot.meetings.model import parse_target
from bot.messages import Code, Reply, Strong, say


async def check_in(ctx: Context, target: str) -> Reply:
    # A non-member is told to join before anything else: the button is in a channel.
    me = ctx.require_member()
    parsed = parse_target(target)
    if parsed is None:
        raise UserError(
            "That button no longer works. Type {command} to start again.",
            command=Code("/coalition meeting list"),
        )
    meeting = await meeting_or_error(ctx, parsed[0])
    title = Strong(meeting.title)
    occurrence = occurrence_on(meeting, await changes_of(ctx, meeting), parsed[1])
    if occurrence is None:
        raise UserError(
            "{title} was cancelled on that day, so there is nothing to check in to.", title=title
        )
    now = ctx.clock.now()
    opens = occurrence.start - CHECKIN_EARLY
    if now < opens:
        raise UserError(
            "Check-in for {title} opens at {when}, 15 minutes before it starts. Click the button again then.",
            title=title,
            when=ctx.moment(opens),
        )
    if now >= occurrence.end:
        raise UserError(
            "Check-in for {title} closed at {when}, when the meeting ended. If you were there, ask a coordinator to mark your attendance.",
            title=title,
            when=ctx.moment(occurrence.end),
        )
    added = await ctx.uow.attendance.mark(meeting.id, occurrence.key, (me.id,), Source.CHECKIN, now)
    if not added:
        return Reply(message=say(ctx.tr("You are already checked in to {title}.", title=title)))
    return Reply(
        message=say(ctx.tr("You're checked in to {title}. Welcome!", title=title)),
    )
