"""What to say when a repeat rule or a start time is not what the person meant.

Refused rules get a sentence naming what is wrong and a rule to type instead;
accepted starts that the calendar changed (a time skipped or repeated by a
daylight-saving change, a rule whose first day is not the date given) get a
note in the reply, so nothing changes silently.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.errors import FieldError
from bot.i18n import N_, Translator
from bot.meetings.rulecheck import MAX_COUNT, MAX_INTERVAL, RuleError
from bot.messages import Code, Span, Strong

_SENTENCES = {
    "often": (
        N_(
            "{value} repeats more often than once a day, which a meeting cannot. Use a daily or weekly rule, for example {example}."
        ),
        "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
    ),
    "part": (
        N_(
            "{value} uses {part}, which meetings do not take: the time comes from the time option. Leave it out, for example {example}."
        ),
        "FREQ=WEEKLY;BYDAY=TU,TH",
    ),
    "interval": (
        N_("The INTERVAL in {value} must be from 1 to {limit}, for example {example}."),
        "FREQ=WEEKLY;INTERVAL=2",
    ),
    "count": (
        N_("The COUNT in {value} must be from 1 to {limit}, for example {example}."),
        "FREQ=WEEKLY;COUNT=10",
    ),
    "both": (
        N_("{value} has both COUNT and UNTIL; keep only one, for example {example}."),
        "FREQ=WEEKLY;COUNT=10",
    ),
    "never": (
        N_(
            "{value} gives no meeting in the year after {date}: no day matches all its parts. Check BYDAY, BYMONTHDAY and BYMONTH, for example {example}."
        ),
        "FREQ=MONTHLY;BYMONTHDAY=15",
    ),
    "far": (
        N_(
            "{value} ends more than five years after it starts. Give an earlier UNTIL or a COUNT, for example {example}."
        ),
        "FREQ=WEEKLY;COUNT=10",
    ),
}
_UNKNOWN = 'I don\'t understand the repeat rule {value}. Use none, weekly, "every 2 weeks", "2nd thursday", or an iCalendar rule such as {example}.'


def rule_error(
    option: str, error: RuleError, typed: str, start: datetime | None = None
) -> FieldError:
    """The sentence for a refused rule; `start` (naive local) dates the examples."""
    value = Strong(typed.strip()[:80])
    day = start or datetime(2026, 1, 1)
    if error.reason == "ended":
        until = (day + timedelta(days=91)).strftime("%Y%m%d")
        return FieldError(
            option,
            "{value} ends (UNTIL) before its first meeting on {date}. Give a later UNTIL, for example {example}.",
            value=value,
            date=Strong(day.date().isoformat()),
            example=Code(f"FREQ=WEEKLY;UNTIL={until}"),
        )
    if error.reason not in _SENTENCES:
        return FieldError(option, _UNKNOWN, value=value, example=Code("FREQ=WEEKLY;BYDAY=TU,TH"))
    values: dict[str, str | Span] = {"value": value, "example": Code(_SENTENCES[error.reason][1])}
    if error.reason == "part":
        values["part"] = Code(error.detail)
    if error.reason == "interval":
        freq = next((f for f in MAX_INTERVAL if f"FREQ={f}" in typed.upper()), "WEEKLY")
        values["limit"] = str(MAX_INTERVAL[freq])
    if error.reason == "count":
        values["limit"] = str(MAX_COUNT)
    if error.reason == "never":
        values["date"] = Strong(day.date().isoformat())
    return FieldError(option, _SENTENCES[error.reason][0], **values)


def _offset(local: datetime, zone: ZoneInfo, fold: int) -> timedelta | None:
    return local.replace(tzinfo=zone, fold=fold).utcoffset()


def start_notes(tr: Translator, typed: datetime, first_utc: datetime, zone: str) -> list[str]:
    """Sentences on how the first meeting differs from the date and time typed (naive local)."""
    tz = ZoneInfo(zone)
    first = first_utc.astimezone(tz).replace(tzinfo=None)
    notes: list[str] = []
    day = format_date(first, "full", locale=tr.language)
    if first.date() != typed.date():
        notes.append(
            tr.plain(
                "The repeat rule does not fall on {typed}, so the first meeting is on {day}.",
                typed=format_date(typed, "full", locale=tr.language),
                day=day,
            )
        )
    wall = first.replace(hour=typed.hour, minute=typed.minute)
    before, after = _offset(wall, tz, 0), _offset(wall, tz, 1)
    said = format_time(typed, "short", locale=tr.language)
    if first.time() != typed.time():
        notes.append(
            tr.plain(
                "{time} does not exist on {day} in {zone}: the clocks move forward that night. The meeting starts at {actual}.",
                time=said,
                day=day,
                zone=zone,
                actual=format_time(first, "short", locale=tr.language),
            )
        )
    elif before != after:
        notes.append(
            tr.plain(
                "{time} happens twice on {day} in {zone}, as the clocks go back that night. The meeting starts at the first of the two, before the change.",
                time=said,
                day=day,
                zone=zone,
            )
        )
    return notes
