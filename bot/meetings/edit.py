"""Editing and moving a meeting: one occurrence or the whole series (cancelling: cancel.py).

Members who answered Going are told, by direct message, after the change is saved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from bot.catalogue import Args
from bot.channels import channel_name
from bot.context import Context
from bot.errors import FieldError
from bot.i18n import N_, translator
from bot.meetings.cards import meeting_card
from bot.meetings.direct import dm_account
from bot.meetings.lookup import chosen_occurrence, meeting_or_error, next_occurrence
from bot.meetings.model import Answer, Meeting, Occurrence, OccurrenceChange
from bot.meetings.rulefix import start_notes
from bot.meetings.schedule import check_link, check_start, parse_reminders
from bot.meetings.topics import check_topics
from bot.messages import (
    Code,
    Message,
    Notice,
    Plain,
    Reply,
    Section,
    Span,
    Strong,
    ToMember,
    say,
    usage,
)
from bot.timefmt import example_day, moment
from bot.timezones import to_local, to_utc

SERIES_FIELDS = (
    "title",
    "timezone",
    "duration",
    "link",
    "public",
    "agenda",
    "topics",
    "channel",
    "repeat",
    "reminders",
)


async def tell_going(
    ctx: Context, meeting: Meeting, occurrence: Occurrence, msgid: str, new_start: datetime | None
) -> tuple[Notice, ...]:
    """One direct message to each person who said Going, as reminders are sent: on one
    of their linked accounts, with times written in their own zone where not localised."""
    people = await ctx.uow.rsvps.attendees(meeting.id, occurrence.key, [Answer.GOING])
    platforms = ctx.broadcaster.platforms if ctx.broadcaster else []
    notices: list[Notice] = []
    for person in people:
        account = dm_account(
            person.identities, platforms, chosen=person.dm_platform, last_used=person.last_used
        )
        if account is None:
            continue
        tr = translator(person.language)
        values: dict[str, Span] = {
            "title": Strong(meeting.title),
            "when": moment(occurrence.start, person.timezone, tr.language),
        }
        if new_start is not None:
            values["new"] = moment(new_start, person.timezone, tr.language)
        if "{command}" in msgid:  # a span, so each platform writes the command its own way
            values["command"] = Code("/coalition meeting list")
        notices.append(Notice(ToMember((account,)), say(tr(msgid, **values))))
    return tuple(notices)


async def edit(ctx: Context, args: Args) -> Reply:
    meeting = await meeting_or_error(ctx, args["id"])
    if meeting.cancelled:
        return Reply(message=meeting_card(ctx.tr, meeting, None))
    if args.get("scope", "series") == "this":
        return await _move_one(ctx, meeting, args)
    before = await next_occurrence(ctx, meeting)
    start = meeting.start
    if "date" in args or "time" in args:
        day: date = args.get("date", start.date())
        at: time = args.get("time", start.time())
        start = datetime.combine(day, at)
    updated = replace(
        meeting,
        title=args.get("title", meeting.title),
        start=start,
        timezone=args.get("timezone", meeting.timezone),
        duration=args.get("duration", meeting.duration),
        link=check_link(args.get("link", meeting.link)),
        public=args.get("public", meeting.public),
        agenda=args.get("agenda", meeting.agenda),
        topics=check_topics(args["topics"], ctx.config.lists.topics)
        if "topics" in args
        else meeting.topics,
        channel=channel_name(args["channel"]) if "channel" in args else meeting.channel,
        rule=args.get("repeat", meeting.rule),
        reminders=parse_reminders(args["reminders"]) if "reminders" in args else meeting.reminders,
    )
    if updated == meeting:
        return Reply(message=say(ctx.tr("Nothing to change: the meeting already says that.")))
    notes: list[str] = []
    if (
        updated.start != meeting.start
        or updated.rule != meeting.rule
        or updated.timezone != meeting.timezone
    ):
        first = check_start(ctx, updated)
        notes = start_notes(ctx.tr, updated.start, first, updated.timezone)
    if updated.channel != meeting.channel:
        await ctx.check_channel("channel", updated.channel)
    now = ctx.clock.now()
    await ctx.uow.meetings.update(updated, at=now)
    await ctx.uow.meetings.request_refresh(meeting.id, at=now)
    after = await next_occurrence(ctx, updated)
    notices: tuple[Notice, ...] = ()
    if before is not None:
        notices = await tell_going(
            ctx,
            updated,
            before,
            N_(
                "{title} has changed. The next meeting is on {new}. Type {command} to see the details."
            ),
            after.start if after else before.start,
        )
    card = meeting_card(ctx.tr, updated, after, buttons=False)
    done = ctx.tr("Saved. Everyone who said Going was told.")
    said = [Section((Plain(note),)) for note in notes]
    return Reply(message=Message((Section(done), *said, *card.blocks)), notices=notices)


async def _move_one(ctx: Context, meeting: Meeting, args: Args) -> Reply:
    """Move one occurrence of a series to another date or time."""
    day: date | None = args.get("occurrence")
    if day is None or not meeting.recurring:
        raise FieldError(
            "occurrence",
            "To change one occurrence, give its date, for example {example}. To change every occurrence, leave out scope.",
            example=usage(
                "meeting edit",
                ("id", str(meeting.id)),
                ("scope", "this"),
                ("occurrence", example_day(ctx.clock.now().date()).isoformat()),
                ("time", "11:00"),
            ),
        )
    if any(name in args for name in SERIES_FIELDS):
        raise FieldError(
            "scope",
            "For one occurrence only the date and time can change. To change the rest, use {example}.",
            example=usage("meeting edit", ("id", str(meeting.id)), ("scope", "series")),
        )
    occurrence = await chosen_occurrence(ctx, meeting, day)
    local = to_local(occurrence.start, meeting.timezone)
    new_local = datetime.combine(args.get("date", local.date()), args.get("time", local.time()))
    new_start = to_utc(new_local, meeting.timezone)
    now = ctx.clock.now()
    if new_start <= now:
        raise FieldError(
            "time",
            "That start is in the past ({when}). Pick a later date or time, for example {example}.",
            when=ctx.moment(new_start),
            example=usage(
                "", ("date", (now + timedelta(days=1)).date().isoformat()), ("time", "10:00")
            ),
        )
    await ctx.uow.meetings.change_occurrence(
        meeting.id, OccurrenceChange(occurrence.key, False, new_start), at=now
    )
    await ctx.uow.meetings.request_refresh(meeting.id, at=now)
    notices = await tell_going(
        ctx,
        meeting,
        occurrence,
        N_("{title} on {when} has moved to {new}. Your answer still counts."),
        new_start,
    )
    moved = ctx.tr(
        "Moved {title} from {when} to {new}. Reminders move with it.",
        title=Strong(meeting.title),
        when=ctx.moment(occurrence.start),
        new=ctx.moment(new_start),
    )
    notes = start_notes(ctx.tr, new_local, new_start, meeting.timezone)
    said = [Section((Plain(note),)) for note in notes]
    return Reply(message=Message((Section(moved), *said)), notices=notices)
