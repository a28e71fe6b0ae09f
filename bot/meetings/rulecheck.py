"""Which repeat rules a meeting may have, and the bounded expansion that checks them.

dateutil expands any rule it can parse, including ones that never stop or never
match: INTERVAL=0 loops forever, and BYMONTH=2;BYMONTHDAY=31 scans day by day up
to the year 9999 before it gives up. A rule is therefore checked part by part
first (only the parts a meeting needs, each in a sensible range), then by looking
for its first occurrence in a window small enough to stay cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.rrule import rrule, rrulestr

# The most a meeting may repeat: its interval, per frequency, keeps it at least yearly.
MAX_INTERVAL = {"DAILY": 366, "WEEKLY": 52, "MONTHLY": 12, "YEARLY": 1}
TOO_OFTEN = {"HOURLY", "MINUTELY", "SECONDLY"}
ALLOWED_PARTS = frozenset(
    {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}
)
MAX_COUNT = 500
# A series must have its first meeting within this of the start it is given.
FIRST_WITHIN = timedelta(days=366)
# ...and may not end (UNTIL) further than this after it.
UNTIL_WITHIN = timedelta(days=5 * 366)
# The Gregorian calendar repeats itself every 400 years (weekdays and leap days
# alike), so a rule moved by whole cycles gives the same dates moved by as much.
CYCLE_YEARS = 400
_DAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
# ASCII digits only: "²" is a digit to str.isdigit but not to int().
_NUMBERS = re.compile(r"^[+-]?\d{1,3}$", re.ASCII)
_COUNTING = re.compile(r"^\d{1,6}$", re.ASCII)
_UNTIL = re.compile(r"^\d{8}(T\d{6})?$", re.ASCII)


class RuleError(ValueError):
    """A repeat rule refused; `reason` says which sentence explains it to people.

    Reasons: "unknown" (not a rule), "often" (more often than daily), "part" (a
    part meetings do not use; `detail` names it), "interval", "count", "both"
    (COUNT and UNTIL), "never" (no meeting within a year), "ended" (UNTIL before
    the start), "far" (UNTIL too far ahead).
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class RuleParts:
    freq: str
    interval: int
    count: int | None
    until: str


def _numbers(value: str, low: int, high: int, *, zero: bool = False) -> bool:
    items = value.split(",")
    return all(
        _NUMBERS.match(i) and low <= abs(int(i)) <= high and (zero or int(i) != 0) for i in items
    )


def check_parts(body: str) -> RuleParts:
    """The rule's parts, each checked; RuleError naming the first that is wrong."""
    parts: dict[str, str] = {}
    for piece in body.split(";"):
        name, equals, value = piece.partition("=")
        if not equals or not value or name in parts:
            raise RuleError("unknown", piece)
        parts[name] = value
    freq = parts.get("FREQ", "")
    if freq in TOO_OFTEN or any(p in parts for p in ("BYHOUR", "BYMINUTE", "BYSECOND")):
        raise RuleError("often", freq)
    if freq not in MAX_INTERVAL:
        raise RuleError("unknown", f"FREQ={freq}")
    for name in parts:
        if name not in ALLOWED_PARTS:
            raise RuleError("part" if name.startswith("BY") else "unknown", name)
    interval = parts.get("INTERVAL", "1")
    if not _COUNTING.match(interval) or not 1 <= int(interval) <= MAX_INTERVAL[freq]:
        raise RuleError("interval", interval)
    count = parts.get("COUNT")
    if count is not None and (not _COUNTING.match(count) or not 1 <= int(count) <= MAX_COUNT):
        raise RuleError("count", count)
    until = parts.get("UNTIL", "")
    if until and count is not None:
        raise RuleError("both")
    if until and not _UNTIL.match(until):
        raise RuleError("unknown", f"UNTIL={until}")
    if until:
        try:
            until_of(until)
        except ValueError:  # a month 13 or a day 32
            raise RuleError("unknown", f"UNTIL={until}") from None
    ordinals = freq in {"MONTHLY", "YEARLY"} and "BYSETPOS" not in parts
    for day in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else ():
        match = _DAY.match(day)
        if match is None or (match.group(1) and not ordinals):
            raise RuleError("unknown", f"BYDAY={day}")
        if match.group(1) and not 1 <= abs(int(match.group(1))) <= 5:
            raise RuleError("unknown", f"BYDAY={day}")
    ranges = {"BYMONTHDAY": 31, "BYMONTH": 12, "BYSETPOS": 366}
    for name, high in ranges.items():
        if name in parts and not _numbers(parts[name], 1, high):
            raise RuleError("unknown", f"{name}={parts[name]}")
    if "BYMONTH" in parts and any(m.startswith("-") for m in parts["BYMONTH"].split(",")):
        raise RuleError("unknown", f"BYMONTH={parts['BYMONTH']}")
    if "BYSETPOS" in parts and not ({"BYDAY", "BYMONTHDAY", "BYMONTH"} & parts.keys()):
        raise RuleError("unknown", "BYSETPOS alone")
    return RuleParts(freq, int(interval), int(count) if count else None, until)


def whole_days(body: str) -> str:
    """UNTIL given as a date means through that day, as calendars read it (RFC 5545)."""
    return re.sub(r"(^|;)UNTIL=(\d{8})(?=;|$)", r"\1UNTIL=\2T235959", body)


def parse_rule(body: str, start: datetime) -> rrule:
    """dateutil's rule for a body that passed `check_parts`, from the naive local `start`."""
    try:
        parsed = rrulestr(body, dtstart=start)
    except (ValueError, TypeError, OverflowError) as error:
        raise RuleError("unknown", str(error)) from None
    if not isinstance(parsed, rrule):
        raise RuleError("unknown", "one rule only")
    return parsed


def _shifted(moment: datetime, cycles: int) -> datetime:
    return moment.replace(year=moment.year + cycles * CYCLE_YEARS)


def first_within(body: str, start: datetime) -> datetime | None:
    """The first occurrence within FIRST_WITHIN of `start`, or None; always cheap.

    The rule (without COUNT or UNTIL, which cannot bring an occurrence sooner) is
    moved by whole 400-year cycles to just before the year 9999, where dateutil's
    own end of the calendar stops a rule that never matches after a few centuries
    at most, instead of some 8,000 years.
    """
    kept = ";".join(p for p in body.split(";") if not p.startswith(("COUNT=", "UNTIL=")))
    # Leave a year before the end of the calendar, for the year looked at.
    cycles = (datetime.max.year - 2 - start.year) // CYCLE_YEARS
    moved = _shifted(start, cycles)
    found = parse_rule(kept, moved).after(moved, inc=True)
    if found is None:
        return None
    first = _shifted(found, -cycles)
    return first if first - start <= FIRST_WITHIN else None


def check_series(body: str, start: datetime) -> datetime:
    """The first local start of a rule from `start`; RuleError if the series is not sensible."""
    parts = check_parts(body)
    first = first_within(body, start)
    if first is None:
        raise RuleError("never")
    if parts.until:
        until = until_of(parts.until)
        if first > until:
            raise RuleError("ended")
        if until - start > UNTIL_WITHIN:
            raise RuleError("far")
    return first


def until_of(until: str) -> datetime:
    """UNTIL as a naive local time: a date alone means up to the end of that day."""
    if "T" in until:
        return datetime.strptime(until, "%Y%m%dT%H%M%S")
    return datetime.strptime(until, "%Y%m%d").replace(hour=23, minute=59, second=59)
