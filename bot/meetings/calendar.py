"""Calendar files (.ics) for one occurrence or a whole series, made with icalendar."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from bot.catalogue import Args
from bot.context import Context
from bot.meetings.lookup import changes_of, chosen_occurrence, meeting_or_error
from bot.meetings.model import Meeting, Occurrence, OccurrenceChange
from bot.meetings.recurrence import first_start
from bot.meetings.rulecheck import until_of
from bot.messages import Attachment, Message, Reply, Section, Strong
from bot.timezones import to_utc

DOMAIN = "coalition-bot"


def _text(value: str) -> str:
    """Text as iCalendar allows it: no control characters other than tabs and line breaks."""
    kept = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in kept if c in "\t\n" or unicodedata.category(c) != "Cc")


def _event(
    meeting: Meeting, occurrence: Occurrence, uid: str, stamp: datetime, *, link: bool = True
) -> Event:
    zone = ZoneInfo(meeting.timezone)
    event = Event()
    event.add("uid", uid)
    # RFC 5545 requires it on every event: when this file was made, in UTC.
    event.add("dtstamp", stamp.astimezone(UTC).replace(microsecond=0))
    # Calendars keep the version with the highest SEQUENCE: every change raises it.
    event.add("sequence", meeting.sequence)
    event.add("summary", _text(meeting.title))
    # In the meeting's zone with its VTIMEZONE, so calendars keep 9:00 across DST.
    event.add("dtstart", occurrence.start.astimezone(zone))
    event.add("dtend", occurrence.end.astimezone(zone))
    if meeting.link and link:
        event.add("url", _text(meeting.link))
        event.add("location", _text(meeting.link))
    if meeting.agenda:
        event.add("description", _text(meeting.agenda))
    if meeting.topics:
        event.add("categories", [_text(t) for t in meeting.topics])
    return event


def _ical_rule(meeting: Meeting) -> vRecur:
    """The rule as calendars read it: with a zoned start, UNTIL must be a UTC date-time."""
    parts = []
    for part in meeting.rule.split(";"):
        name, _, value = part.partition("=")
        if name == "UNTIL":
            until = to_utc(until_of(value), meeting.timezone)
            value = until.strftime("%Y%m%dT%H%M%SZ")
        parts.append(f"{name}={value}")
    rule: vRecur = vRecur.from_ical(";".join(parts))
    return rule


def _series(
    meeting: Meeting,
    uid: str,
    stamp: datetime,
    changes: Mapping[date, OccurrenceChange],
    *,
    link: bool = True,
) -> list[Event]:
    """A repeating meeting as its rule, with EXDATEs for cancelled occurrences and an
    overriding instance (same UID, RECURRENCE-ID) for each moved one."""
    start = first_start(meeting)
    assert start is not None  # a saved meeting always has a first occurrence
    duration = timedelta(minutes=meeting.duration)
    zone = ZoneInfo(meeting.timezone)
    first = Occurrence(meeting.id, start.date(), start, start + duration)
    event = _event(meeting, first, uid, stamp, link=link)
    event.add("rrule", _ical_rule(meeting))
    moved: list[Event] = []
    for key, change in sorted(changes.items()):
        # Where the rule puts it, as a local time in the zone, like DTSTART.
        scheduled = datetime.combine(key, meeting.start.time(), zone)
        if change.cancelled or change.start is None:
            event.add("exdate", scheduled)
            continue
        instance = Occurrence(meeting.id, key, change.start, change.start + duration, True)
        override = _event(meeting, instance, uid, stamp, link=link)
        override.add("recurrence-id", scheduled)
        moved.append(override)
    return [event, *moved]


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//coalition-bot//meetings//EN")
    calendar.add("version", "2.0")
    return calendar


def build_ics(
    meeting: Meeting,
    occurrence: Occurrence,
    *,
    series: bool,
    stamp: datetime,
    changes: Mapping[date, OccurrenceChange] | None = None,
) -> bytes:
    calendar = _calendar()
    uid = f"meeting-{meeting.id}@{DOMAIN}"
    if not series or not meeting.recurring:
        if meeting.recurring:  # one occurrence of a series gets an identity of its own
            uid = f"meeting-{meeting.id}-{occurrence.key.isoformat()}@{DOMAIN}"
        calendar.add_component(_event(meeting, occurrence, uid, stamp))
    else:
        for event in _series(meeting, uid, stamp, changes or {}):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def build_feed(
    meetings: Sequence[Meeting],
    changes: Mapping[int, Mapping[date, OccurrenceChange]],
    *,
    name: str,
) -> bytes:
    """Every meeting as one calendar to subscribe to (the web's /calendar.ics).

    Made from stored data only, so an unchanged set of meetings gives the same bytes:
    DTSTAMP is when each meeting last changed. A join link is in it only for a
    meeting marked public; links to private calls stay in chat.
    """
    calendar = _calendar()
    calendar.add("x-wr-calname", _text(name))
    for meeting in meetings:
        uid = f"meeting-{meeting.id}@{DOMAIN}"
        stamp = meeting.updated_at or meeting.created_at
        assert stamp is not None  # storage sets both
        if meeting.recurring:
            for event in _series(
                meeting, uid, stamp, changes.get(meeting.id, {}), link=meeting.public
            ):
                calendar.add_component(event)
            continue
        start = first_start(meeting)
        assert start is not None
        single = Occurrence(
            meeting.id, start.date(), start, start + timedelta(minutes=meeting.duration)
        )
        calendar.add_component(_event(meeting, single, uid, stamp, link=meeting.public))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def build_sessions_feed(
    sessions: Sequence[tuple[Meeting, Occurrence]], *, name: str, links: bool
) -> bytes:
    """Chosen occurrences, each an event of its own (a member's personal feed).

    An occurrence of a series has the UID `/coalition meeting ics` gives it, so the
    same occurrence is the same event wherever it comes from. Made from stored data
    only, like build_feed: the same sessions give the same bytes.
    """
    calendar = _calendar()
    calendar.add("x-wr-calname", _text(name))
    for meeting, occurrence in sessions:
        uid = f"meeting-{meeting.id}@{DOMAIN}"
        if meeting.recurring:
            uid = f"meeting-{meeting.id}-{occurrence.key.isoformat()}@{DOMAIN}"
        stamp = meeting.updated_at or meeting.created_at
        assert stamp is not None  # storage sets both
        calendar.add_component(_event(meeting, occurrence, uid, stamp, link=links))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


async def ics(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    meeting = await meeting_or_error(ctx, args["id"])
    occurrence = await chosen_occurrence(ctx, meeting, args.get("occurrence"))
    series = bool(args.get("series", False)) and meeting.recurring
    content = build_ics(
        meeting,
        occurrence,
        series=series,
        stamp=ctx.clock.now(),
        changes=await changes_of(ctx, meeting),
    )
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
