"""Answering Going / Maybe / Can't go, from any platform: one answer per member."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.meetings.lookup import changes_of, meeting_or_error, occurrence_on
from bot.meetings.model import Answer, parse_target
from bot.messages import Code, Reply, Strong, say


async def _answer(ctx: Context, target: str, answer: Answer) -> Reply:
    me = ctx.require_member()
    parsed = parse_target(target)
    if parsed is None:
        raise UserError(
            "That button no longer works. Type {command} to start again.",
            command=Code("/coalition meeting list"),
        )
    meeting = await meeting_or_error(ctx, parsed[0])
    occurrence = occurrence_on(meeting, await changes_of(ctx, meeting), parsed[1])
    if occurrence is None:
        raise UserError(
            "{title} was cancelled on that day, so there is nothing to answer.",
            title=Strong(meeting.title),
        )
    if occurrence.end <= ctx.clock.now():
        raise UserError(
            "{title} on that day is over, so answers are closed.", title=Strong(meeting.title)
        )
    now = ctx.clock.now()
    await ctx.uow.rsvps.answer(meeting.id, occurrence.key, me.id, answer, at=now)
    # The announcement's counts are edited by the scheduler, after this commits.
    await ctx.uow.meetings.request_refresh(meeting.id, at=now)
    when = ctx.moment(occurrence.start)
    title = Strong(meeting.title)
    if answer is Answer.GOING:
        sentence = ctx.tr(
            "You're going to {title} on {when}. I'll remind you before it starts.",
            title=title,
            when=when,
        )
    elif answer is Answer.MAYBE:
        sentence = ctx.tr("You answered maybe for {title} on {when}.", title=title, when=when)
    else:
        sentence = ctx.tr(
            "You can't go to {title} on {when}. Thanks for letting us know.", title=title, when=when
        )
    return Reply(message=say(sentence))


async def going(ctx: Context, target: str) -> Reply:
    return await _answer(ctx, target, Answer.GOING)


async def maybe(ctx: Context, target: str) -> Reply:
    return await _answer(ctx, target, Answer.MAYBE)


async def not_going(ctx: Context, target: str) -> Reply:
    return await _answer(ctx, target, Answer.NOT_GOING)
