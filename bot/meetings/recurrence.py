"""Repeat rules and the occurrences they give, computed in the meeting's own zone.

dateutil's rrule runs on naive local wall times (9:00 every Thursday), and each
occurrence is placed in the zone only afterwards: that is what keeps a 9:00
meeting at 9:00 local on both sides of a daylight-saving change. Comparing in
UTC first would drift it by an hour twice a year.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import islice

from dateutil.rrule import rrule, rrulestr

from bot.meetings.model import Meeting, Occurrence, OccurrenceChange
from bot.meetings.rulecheck import RuleError as RuleError
from bot.meetings.rulecheck import check_parts, first_within, parse_rule, whole_days
from bot.timezones import to_local, to_utc

log = logging.getLogger(__name__)
# Occurrences `last_end` walks through: a daily series over the longest UNTIL allowed.
LAST_END_LIMIT = 5 * 366 + 1

WEEKDAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
ORDINALS = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3}
ORDINALS |= {"4th": 4, "fourth": 4, "5th": 5, "fifth": 5, "last": -1}
_EVERY_N_WEEKS = re.compile(r"^every (\d{1,2}) weeks?$")
_NTH_WEEKDAY = re.compile(
    r"^(?:monthly(?: on)?(?: the)? )?(\w+) (\w+?)s?(?: of the month| monthly)?$"
)


def parse_repeat(text: str) -> str:
    """A person's repeat choice as an RRULE body, "" for none; RuleError if not understood."""
    wanted = " ".join(text.strip().lower().split())
    if wanted in {"", "none", "no", "once", "never"}:
        return ""
    simple = {
        "daily": "FREQ=DAILY",
        "weekly": "FREQ=WEEKLY",
        "biweekly": "FREQ=WEEKLY;INTERVAL=2",
        "every other week": "FREQ=WEEKLY;INTERVAL=2",
        "monthly": "FREQ=MONTHLY",
    }
    if wanted in simple:
        return simple[wanted]
    if match := _EVERY_N_WEEKS.match(wanted):
        weeks = int(match.group(1))
        if not 1 <= weeks <= 52:
            raise RuleError("interval", str(weeks))
        return "FREQ=WEEKLY" if weeks == 1 else f"FREQ=WEEKLY;INTERVAL={weeks}"
    if (match := _NTH_WEEKDAY.match(wanted)) and match.group(1) in ORDINALS:
        day = WEEKDAYS.get(match.group(2))
        if day is not None:
            return f"FREQ=MONTHLY;BYDAY={ORDINALS[match.group(1)]:+d}{day}"
    return validate_rrule(text.strip())


def validate_rrule(text: str) -> str:
    """An iCalendar RRULE body checked part by part; RuleError says what is wrong."""
    body = "".join(text.split()).upper().removeprefix("RRULE:")
    if "DTSTART" in body or not body:
        raise RuleError("unknown", "the start comes from the date and time, not the rule")
    check_parts(body)
    parse_rule(body, datetime(2026, 1, 1, 9, 0))  # dateutil's own checks, such as BYSETPOS
    return whole_days(body)


@lru_cache(maxsize=4096)
def _rule(body: str, first: datetime) -> rrule | None:
    """The rule of a stored meeting; None, logged once, if it cannot give a sensible series.

    Rules are checked when they are typed, but a row written before those checks
    (or by hand) must not stop the reminders of every other meeting.
    """
    try:
        check_parts(body)
        if first_within(body, first) is None:
            raise RuleError("never")
        parsed = rrulestr(whole_days(body), dtstart=first, cache=True)
    except (ValueError, TypeError, OverflowError) as error:
        log.warning("ignoring the repeat rule %r starting %s: %s", body, first, error)
        return None
    assert isinstance(parsed, rrule)
    return parsed


def _local_starts(meeting: Meeting, low: datetime, high: datetime) -> list[datetime]:
    if not meeting.rule:
        return [meeting.start] if low <= meeting.start <= high else []
    rule = _rule(meeting.rule, meeting.start)
    if rule is None:
        return []
    starts: list[datetime] = []
    # At most daily, so a window holds no more occurrences than it has days.
    for local in islice(rule.xafter(low, inc=True), (high - low).days + 2):
        if local > high:
            break
        starts.append(local)
    return starts


def occurrences(
    meeting: Meeting,
    after: datetime,
    before: datetime,
    changes: Mapping[date, OccurrenceChange] | None = None,
) -> list[Occurrence]:
    """Occurrences that start in [after, before), in order, with cancellations and moves applied."""
    if meeting.cancelled:
        return []
    changes = changes or {}
    duration = timedelta(minutes=meeting.duration)
    # A day of margin each side: a local day spans more than 24 hours of UTC offsets.
    low = to_local(after, meeting.timezone) - timedelta(days=1)
    high = to_local(before, meeting.timezone) + timedelta(days=1)
    found: dict[date, Occurrence] = {}
    for local in _local_starts(meeting, low, high):
        key = local.date()
        change = changes.get(key)
        if change is not None and (change.cancelled or change.start is not None):
            continue  # cancelled, or handled below where it moved to
        start = to_utc(local, meeting.timezone)
        if after <= start < before:
            found[key] = Occurrence(meeting.id, key, start, start + duration)
    for key, change in changes.items():
        if change.start is not None and not change.cancelled and after <= change.start < before:
            found[key] = Occurrence(meeting.id, key, change.start, change.start + duration, True)
    return sorted(found.values(), key=lambda o: (o.start, o.key))


def scheduled_start(meeting: Meeting, key: date) -> datetime | None:
    """When the rule places the occurrence of that local date, or None if it has none."""
    day = datetime(key.year, key.month, key.day)
    starts = _local_starts(meeting, day, day + timedelta(days=1) - timedelta(microseconds=1))
    return to_utc(starts[0], meeting.timezone) if starts else None


def first_start(meeting: Meeting) -> datetime | None:
    """The first occurrence the rule gives (a monthly rule may skip the start date)."""
    if not meeting.rule:
        return to_utc(meeting.start, meeting.timezone)
    rule = _rule(meeting.rule, meeting.start)
    first = rule.after(meeting.start, inc=True) if rule is not None else None
    return to_utc(first, meeting.timezone) if first else None


def last_end(meeting: Meeting) -> datetime | None:
    """When the last occurrence ends; None for a series without end (COUNT or UNTIL bound it)."""
    duration = timedelta(minutes=meeting.duration)
    if not meeting.rule:
        return to_utc(meeting.start, meeting.timezone) + duration
    rule = _rule(meeting.rule, meeting.start)
    if rule is None or ("COUNT=" not in meeting.rule and "UNTIL=" not in meeting.rule):
        return None
    last = None
    # COUNT is at most MAX_COUNT and UNTIL a few years ahead; beyond that it has no end.
    for seen, last in enumerate(rule):  # noqa: B007
        if seen > LAST_END_LIMIT:
            return None
    return to_utc(last, meeting.timezone) + duration if last else None


def next_occurrence(
    meeting: Meeting, changes: Mapping[date, OccurrenceChange], after: datetime
) -> Occurrence | None:
    """The first occurrence starting at or after `after`, however far ahead.

    None for a stored meeting whose dates cannot be worked out (logged): one broken row
    must not stop a list of every meeting.
    """
    try:
        for days in (35, 400, 4000):
            found = occurrences(meeting, after, after + timedelta(days=days), changes)
            if found:
                return found[0]
    except (ValueError, OverflowError, KeyError):  # a stored zone or date no longer valid
        log.exception("leaving out meeting %s: its dates cannot be worked out", meeting.id)
    return None


def next_occurrences(
    meetings: Iterable[tuple[Meeting, Mapping[date, OccurrenceChange]]],
    after: datetime,
    before: datetime,
) -> list[tuple[Meeting, Occurrence]]:
    every: list[tuple[Meeting, Occurrence]] = []
    for meeting, changes in meetings:
        try:
            every += [(meeting, o) for o in occurrences(meeting, after, before, changes)]
        except (ValueError, OverflowError, KeyError):  # a stored zone or date no longer valid
            log.exception("leaving out meeting %s: its dates cannot be worked out", meeting.id)
    return sorted(every, key=lambda pair: (pair[1].start, pair[0].id))
