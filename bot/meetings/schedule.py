"""Scheduling a meeting: checking what the coordinator typed, and saving it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.catalogue import Args
from bot.channels import channel_name
from bot.context import Context
from bot.errors import FieldError
from bot.meetings.cards import meeting_card
from bot.meetings.model import Meeting, Occurrence
from bot.meetings.recurrence import first_start
from bot.meetings.rulecheck import RuleError, check_series
from bot.meetings.rulefix import rule_error, start_notes
from bot.meetings.topics import check_topics
from bot.messages import Code, Message, Plain, Reply, Section, Strong, usage
from bot.resources.urls import normalize_url
from bot.timefmt import example_day
from bot.timeparse import parse_minutes, within_horizon
from bot.timezones import to_local

DEFAULT_DURATION = 60


def check_link(link: str) -> str:
    """The join link, with https:// added where it was left out, as resource links are."""
    if not link.strip():
        return ""
    return normalize_url(link, "link")[0]


def parse_reminders(text: str) -> tuple[int, ...]:
    """ "1d, 15m" -> minutes before; "none" -> only the reminder at the start."""
    if text.strip().lower() in {"none", "no", "off"}:
        return ()
    found: set[int] = set()
    for part in text.split(","):
        minutes = parse_minutes(part)
        if minutes is None or not 0 < minutes <= 14 * 1440:
            raise FieldError(
                "reminders",
                "{value} is not a reminder time. Give times before the meeting separated by commas, up to 14 days, for example {example}.",
                value=Strong(part.strip()[:40]),
                example=usage("", ("reminders", "1d, 15m")),
            )
        found.add(minutes)
    return tuple(sorted(found, reverse=True))


def check_start(ctx: Context, meeting: Meeting) -> datetime:
    """The first occurrence, refused if the rule gives none or it has already begun."""
    today = ctx.clock.now().date()
    if not within_horizon(meeting.start.date(), today):
        raise FieldError(
            "date",
            "{value} is more than five years from today. Give a date closer to now, for example {example}.",
            value=Strong(meeting.start.date().isoformat()),
            example=Code(example_day(today).isoformat()),
        )
    if meeting.rule:
        try:
            check_series(meeting.rule, meeting.start)
        except RuleError as error:
            raise rule_error("repeat", error, meeting.rule, meeting.start) from None
    first = first_start(meeting)
    assert first is not None  # a single meeting, or a rule just checked
    if first <= ctx.clock.now():
        tomorrow = (ctx.clock.now() + timedelta(days=1)).date().isoformat()
        raise FieldError(
            "date",
            "That start is in the past ({when}). Pick a later date or time, for example {example}.",
            when=ctx.moment(first),
            example=usage("", ("date", tomorrow), ("time", "10:00")),
        )
    return first


async def schedule(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    day: date = args["date"]
    at: time = args["time"]
    zone = args.get("timezone") or me.profile.timezone or ctx.config.coalition.timezone
    meeting = Meeting(
        id=0,
        title=args["title"],
        start=datetime.combine(day, at),
        timezone=zone,
        duration=args.get("duration", DEFAULT_DURATION),
        channel=channel_name(args.get("channel") or ctx.config.channels.announcements),
        link=check_link(args.get("link", "")),
        public=args.get("public", False),
        agenda=args.get("agenda", ""),
        topics=check_topics(args.get("topics", ()), ctx.config.lists.topics),
        rule=args.get("repeat", ""),
        reminders=parse_reminders(args["reminders"]) if "reminders" in args else None,
        created_by=me.id,
    )
    first = check_start(ctx, meeting)
    # A channel nobody can post in would show only in the logs, at announcement time.
    await ctx.check_channel("channel", meeting.channel)
    saved = await ctx.uow.meetings.add(meeting, at=ctx.clock.now())
    occurrence = Occurrence(
        saved.id,
        to_local(first, saved.timezone).date(),
        first,
        first + timedelta(minutes=saved.duration),
    )
    done = ctx.tr(
        "Scheduled. I'll announce {title} in {channel} with buttons to answer, and post reminders before it starts.",
        title=Strong(saved.title),
        channel=Strong(f"#{saved.channel}"),
    )
    notes = start_notes(ctx.tr, saved.start, first, saved.timezone)
    card = meeting_card(ctx.tr, saved, occurrence, buttons=False)
    said = [Section((Plain(note),)) for note in notes]
    return Reply(message=Message((Section(done), *said, *card.blocks)))
