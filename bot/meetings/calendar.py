"""Calendar files (.ics) for one occurrence or a whole series, made with icalendar."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from bot.catalogue import Args
from bot.context import Context
from bot.meetings.lookup import changes_of, chosen_occurrence, meeting_or_error
from bot.meetings.model import Meeting, Occurrence, OccurrenceChange
from bot.meetings.recurrence import first_start
from bot.messages import Attachment, Message, Reply, Section, Strong

DOMAIN = "coalition-bot"


def _event(meeting: Meeting, occurrence: Occurrence, uid: str) -> Event:
    zone = ZoneInfo(meeting.timezone)
    event = Event()
    event.add("uid", uid)
    event.add("summary", meeting.title)
    # In the meeting's zone with its VTIMEZONE, so calendars keep 9:00 across DST.
    event.add("dtstart", occurrence.start.astimezone(zone))
    event.add("dtend", occurrence.end.astimezone(zone))
    if meeting.link:
        event.add("url", meeting.link)
        event.add("location", meeting.link)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    return event


def build_ics(
    meeting: Meeting,
    occurrence: Occurrence,
    *,
    series: bool,
    changes: Mapping[date, OccurrenceChange] | None = None,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//coalition-bot//meetings//EN")
    calendar.add("version", "2.0")
    uid = f"meeting-{meeting.id}@{DOMAIN}"
    if not series or not meeting.recurring:
        if meeting.recurring:  # one occurrence of a series gets an identity of its own
            uid = f"meeting-{meeting.id}-{occurrence.key.isoformat()}@{DOMAIN}"
        calendar.add_component(_event(meeting, occurrence, uid))
    else:
        start = first_start(meeting)
        assert start is not None  # a saved meeting always has a first occurrence
        duration = timedelta(minutes=meeting.duration)
        zone = ZoneInfo(meeting.timezone)
        event = _event(meeting, Occurrence(meeting.id, start.date(), start, start + duration), uid)
        event.add("rrule", vRecur.from_ical(meeting.rule))
        for key in sorted(changes or {}):
            # Cancelled and moved occurrences leave the rule; moved ones come back below.
            scheduled = meeting.start.replace(year=key.year, month=key.month, day=key.day)
            event.add("exdate", scheduled.replace(tzinfo=zone))
        calendar.add_component(event)
        for key, change in sorted((changes or {}).items()):
            if change.cancelled or change.start is None:
                continue
            moved = Occurrence(meeting.id, key, change.start, change.start + duration, True)
            calendar.add_component(
                _event(meeting, moved, f"meeting-{meeting.id}-{key.isoformat()}@{DOMAIN}")
            )
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


async def ics(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    meeting = await meeting_or_error(ctx, args["id"])
    occurrence = await chosen_occurrence(ctx, meeting, args.get("occurrence"))
    series = bool(args.get("series", False)) and meeting.recurring
    content = build_ics(meeting, occurrence, series=series, changes=await changes_of(ctx, meeting))
    name = f"meeting-{meeting.id}.ics" if series else f"meeting-{meeting.id}-{occurrence.key}.ics"
    sentence = (
        ctx.tr("Here is every meeting of {title}, for your calendar.", title=Strong(meeting.title))
        if series
        else ctx.tr("Here is {title}, for your calendar.", title=Strong(meeting.title))
    )
    return Reply(
        message=Message(
            (Section(sentence),), attachments=(Attachment(name, content, "text/calendar"),)
        )
    )
