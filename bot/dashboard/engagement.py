"""Engagement at a glance: the figures behind the dashboard's charts.

A read use case over the database's own counts (EngagementFigures), shaped as
neutral charts: a title, a header for the labels, named series and rows of
numbers. The web draws each as a chart, a table and a CSV; a report to funders
can take the same charts. Members appear only as counts: in the organizations
chart, members hidden from the directory are one row of their own, so a small
organization's row never gives away someone who asked not to be listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.dashboard.ports import EngagementFigures, MemberField
from bot.i18n import N_

MONTHS = 12  # the charts per month show this many, the current one last
GROUPS = 12  # the largest groups shown by name; the rest add up to "Others"
SESSIONS = 12
DISCUSSIONS = 10

NOT_GIVEN = N_("Not given")
OTHERS = N_("Others")
HIDDEN = N_("Not listed in the directory")


@dataclass(frozen=True, slots=True)
class Row:
    """One label and its number in each series. `said`: the label is one of ours
    (NOT_GIVEN, OTHERS, HIDDEN), to be translated, not text a member typed."""

    label: str
    values: tuple[int, ...]
    said: bool = False


@dataclass(frozen=True, slots=True)
class Chart:
    """What a chart shows. Frozen and made of tuples: equal data is an equal key, so
    whatever is drawn from it can be kept and reused while the data is unchanged."""

    key: str  # the chart's address: /dashboard/engagement/{key}.csv
    title: str  # N_ sentences, translated where shown
    label_header: str
    series: tuple[str, ...]
    rows: tuple[Row, ...]
    series_said: bool = True  # False: the series are resource types, shown as stored
    across: bool = True  # bars across (long labels); False: columns over months
    stacked: bool = False

    @property
    def empty(self) -> bool:
        return not any(any(row.values) for row in self.rows)


def months_until(now: datetime, count: int = MONTHS) -> tuple[str, ...]:
    """The `count` months ("YYYY-MM") up to and including now's, oldest first."""
    year, month = now.year, now.month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return tuple(reversed(found))


def window_start(now: datetime, count: int = MONTHS) -> datetime:
    first = months_until(now, count)[0]
    return now.replace(
        year=int(first[:4]), month=int(first[5:]), day=1, hour=0, minute=0, second=0, microsecond=0
    )


async def engagement(
    figures: EngagementFigures, now: datetime, types: tuple[str, ...]
) -> tuple[Chart, ...]:
    """Every chart of the engagement page, as of `now`; `types`: the configured resource
    types, in their order (a type no longer configured still shows, after them)."""
    active, listed = await figures.member_totals()
    charts = [
        await _members(figures, "region", N_("Members by region"), N_("Region"), active),
        await _members(
            figures, "discipline", N_("Members by discipline"), N_("Discipline"), active
        ),
        await _organizations(figures, active, listed),
    ]
    months = months_until(now)
    since = window_start(now)
    joins = dict(await figures.joins_per_month(since))
    charts.append(
        Chart(
            "joins",
            N_("Members who joined, per month"),
            N_("Month"),
            (N_("Joined"),),
            tuple(Row(m, (joins.get(m, 0),)) for m in months),
            across=False,
        )
    )
    sessions = await figures.answers_per_session(SESSIONS)
    charts.append(
        Chart(
            "answers",
            N_("Answers per session"),
            N_("Session"),
            (N_("Will attend"), N_("Might attend"), N_("Won't attend")),
            tuple(
                Row(f"{s.title} ({s.occurrence.isoformat()})", (s.going, s.maybe, s.not_going))
                for s in reversed(sessions)
            ),
            stacked=True,
        )
    )
    per_month = await figures.resources_per_month(since)
    seen = {r.type for r in per_month}
    kinds = tuple(t for t in types if t in seen) + tuple(sorted(seen - set(types)))
    for key, title, pick in (
        ("suggested", N_("Resources suggested per month, by type"), 0),
        ("approved", N_("Resources approved per month, by type"), 1),
    ):
        counts = {(r.month, r.type): (r.suggested, r.approved)[pick] for r in per_month}
        charts.append(
            Chart(
                key,
                title,
                N_("Month"),
                kinds,
                tuple(Row(m, tuple(counts.get((m, k), 0) for k in kinds)) for m in months),
                series_said=False,
                across=False,
                stacked=True,
            )
        )
    discussions = await figures.most_active_discussions(since, DISCUSSIONS)
    charts.append(
        Chart(
            "discussions",
            N_("Most active discussions"),
            N_("Discussion"),
            (N_("Replies"),),
            tuple(Row(title, (n,)) for title, n in discussions),
        )
    )
    return tuple(charts)


async def _members(
    figures: EngagementFigures, field: MemberField, title: str, header: str, active: int
) -> Chart:
    groups = await figures.members_by(field, GROUPS)
    rows = [Row(label, (n,)) if label else Row(NOT_GIVEN, (n,), True) for label, n in groups]
    rest = active - sum(n for _, n in groups)
    if rest:
        rows.append(Row(OTHERS, (rest,), True))
    return Chart(field + "s", title, header, (N_("Members"),), tuple(rows))


async def _organizations(figures: EngagementFigures, active: int, listed: int) -> Chart:
    groups = await figures.members_by("organization", GROUPS, listed_only=True)
    rows = [Row(label, (n,)) if label else Row(NOT_GIVEN, (n,), True) for label, n in groups]
    if rest := listed - sum(n for _, n in groups):
        rows.append(Row(OTHERS, (rest,), True))
    if hidden := active - listed:
        rows.append(Row(HIDDEN, (hidden,), True))
    return Chart(
        "organizations",
        N_("Members by organization"),
        N_("Organization"),
        (N_("Members"),),
        tuple(rows),
    )
