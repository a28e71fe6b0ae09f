"""A discussion per meeting occurrence, for its agenda and notes, opened from the meeting card.

The first click opens it (the clicker starts and follows it); every later click,
by anyone, is answered with the same discussion: storage keeps one per
(meeting, occurrence date), even when two members click at once.
"""

from __future__ import annotations

from babel.dates import format_date

from bot.channels import channel_name
from bot.context import Context
from bot.discussions.cards import FOLLOW_ACTION, linked_title
from bot.discussions.model import TITLE_MAX, Discussion, NewDiscussion
from bot.discussions.start import after_start
from bot.errors import UserError
from bot.i18n import translator
from bot.meetings.lookup import changes_of, meeting_or_error, occurrence_on
from bot.meetings.model import Meeting, Occurrence, parse_target
from bot.messages import Actions, Button, ButtonStyle, Code, Message, Reply, Section, Strong

_DASH = " — "


def occurrence_title(meeting: Meeting, day: str) -> str:
    """ "Office hours — Mar 5, 2026", the meeting's title shortened if the whole is too long."""
    room = TITLE_MAX - len(_DASH) - len(day)
    title = meeting.title if len(meeting.title) <= room else meeting.title[: room - 1] + "…"
    return f"{title}{_DASH}{day}"


async def discuss_occurrence(ctx: Context, target: str) -> Reply:
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
            "{title} was cancelled on that day, so it has no discussion.",
            title=Strong(meeting.title),
        )
    existing = await ctx.uow.discussions.for_occurrence(meeting.id, occurrence.key)
    if existing is not None:
        return _already_open(ctx, existing)
    new = _new_discussion(ctx, meeting, occurrence)
    await ctx.check_channel("channel", new.channel)
    saved, created = await ctx.uow.discussions.add_for_occurrence(
        new, me.id, ctx.clock.now(), meeting.id, occurrence.key
    )
    if not created:  # someone else's click won the race
        return _already_open(ctx, saved)
    done = ctx.tr(
        "Started discussion {number}, {title}, for this meeting's agenda and notes. I'm posting it in {channel} with a thread for replies; you follow it.",
        number=Code(f"#{saved.id}"),
        title=Strong(saved.title),
        channel=Strong(f"#{saved.channel}"),
    )
    return Reply(
        message=Message((Section(done),)),
        after_commit=(after_start(ctx.services, saved.id, meeting.id),),
    )


def _new_discussion(ctx: Context, meeting: Meeting, occurrence: Occurrence) -> NewDiscussion:
    # Everyone reads the same discussion, so it is written in the coalition's language.
    tr = translator(ctx.config.coalition.language)
    day = format_date(occurrence.key, "medium", locale=tr.language)
    return NewDiscussion(
        title=occurrence_title(meeting, day),
        question=tr.plain(
            "Agenda and notes for {title} on {day}: add agenda items before the meeting and notes after it, as replies in this thread.",
            title=meeting.title,
            day=day,
        ),
        topics=(),
        channel=channel_name(meeting.channel or ctx.config.channels.discussions),
    )


def _already_open(ctx: Context, discussion: Discussion) -> Reply:
    sentence = ctx.tr(
        "This meeting already has its discussion: {number} {title} in {channel}. Follow it to be told of new replies.",
        number=Code(f"#{discussion.id}"),
        title=linked_title(discussion, ctx.actor.platform),
        channel=Strong(f"#{discussion.channel}"),
    )
    follow = Button(ctx.tr.plain("Follow"), FOLLOW_ACTION, str(discussion.id), ButtonStyle.PRIMARY)
    return Reply(message=Message((Section(sentence), Actions((follow,)))))
