"""Repeat rules in plain words ("Every Tuesday and Thursday"), in the reader's language.

A rule shown as FREQ=WEEKLY;BYDAY=TU,TH means nothing to most people; the words
are built from the rule's parts, and only a rule no sentence fits is shown as is.
"""

from __future__ import annotations

import re
from datetime import datetime

from babel.dates import format_date, get_day_names, get_month_names
from babel.lists import format_list

from bot.i18n import N_, Translator
from bot.meetings.rulecheck import RuleError, check_parts, until_of

WEEKDAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
WORKDAYS = ("MO", "TU", "WE", "TH", "FR")
ORDINAL_NAMES = {
    1: N_("first"),
    2: N_("second"),
    3: N_("third"),
    4: N_("fourth"),
    5: N_("fifth"),
    -1: N_("last"),
}
_ORDINAL_DAY = re.compile(r"^([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)$")


def _parts(rule: str) -> dict[str, str]:
    return dict(p.partition("=")[::2] for p in rule.split(";"))


def _weekdays(tr: Translator, codes: list[str]) -> str:
    names = get_day_names("wide", locale=tr.language)
    ordered = sorted(codes, key=WEEKDAY_INDEX.__getitem__)
    return format_list([names[WEEKDAY_INDEX[c]] for c in ordered], locale=tr.language)


def _frequency(tr: Translator, parts: dict[str, str], start: datetime) -> str | None:
    """The rule without COUNT or UNTIL in words; None if no sentence fits it."""
    freq, every = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    days = parts["BYDAY"].split(",") if "BYDAY" in parts else []
    extra = parts.keys() - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY"}
    if freq == "DAILY" and not extra:
        if sorted(days, key=WEEKDAY_INDEX.__getitem__) == list(WORKDAYS) and every == 1:
            return tr.plain("Every weekday")
        if days and every == 1:
            return tr.plain("Every {days}", days=_weekdays(tr, days))
        if not days:
            return tr.plural("Every day", "Every {count} days", every)
    if freq == "WEEKLY" and not extra and all(d in WEEKDAY_INDEX for d in days):
        named = _weekdays(tr, days or [list(WEEKDAY_INDEX)[start.weekday()]])
        if every == 1:
            return tr.plain("Every {days}", days=named)
        return tr.plain("Every {count} weeks on {days}", count=every, days=named)
    if freq == "MONTHLY" and not extra and len(days) == 1:
        match = _ORDINAL_DAY.match(days[0])
        if match and int(match.group(1)) in ORDINAL_NAMES:
            ordinal = tr.plain(ORDINAL_NAMES[int(match.group(1))])
            weekday = get_day_names("wide", locale=tr.language)[WEEKDAY_INDEX[match.group(2)]]
            if every == 1:
                return tr.plain(
                    "Monthly, on the {ordinal} {weekday}", ordinal=ordinal, weekday=weekday
                )
            return tr.plain(
                "Every {count} months, on the {ordinal} {weekday}",
                count=every,
                ordinal=ordinal,
                weekday=weekday,
            )
    if freq == "MONTHLY" and not days and extra <= {"BYMONTHDAY"}:
        day = parts.get("BYMONTHDAY", str(start.day))
        if day.isdigit():
            if every == 1:
                return tr.plain("Monthly, on day {day}", day=day)
            return tr.plain("Every {count} months, on day {day}", count=every, day=day)
    if freq == "YEARLY" and not days and not extra:
        month = get_month_names("wide", locale=tr.language)[start.month]
        return tr.plain("Every year, on {month} {day}", month=month, day=start.day)
    return None


def describe_rule(tr: Translator, rule: str, start: datetime) -> str:
    """The rule in words; `start` (naive local) fills in what the rule leaves to it."""
    if not rule:
        return tr.plain("Does not repeat")
    try:
        checked = check_parts(rule)
    except RuleError:
        checked = None
    parts = _parts(rule)
    words = _frequency(tr, parts, start) if checked is not None else None
    if words is None:
        return tr.plain("By the iCalendar rule {rule}", rule=rule)
    if checked is not None and checked.count is not None:
        return tr.plural("{rule}, once", "{rule}, {count} times", checked.count, rule=words)
    if checked is not None and checked.until:
        until = format_date(until_of(checked.until), "medium", locale=tr.language)
        return tr.plain("{rule}, until {date}", rule=words, date=until)
    return words
