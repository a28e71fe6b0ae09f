"""`report sessions`: the report's summary in chat, for coordinators.

The chat shows the totals and one line per session; the files with every figure,
the free-text answers and the charts come from `coalition-bot report sessions`
(adapters/reports_cli.py) or the dashboard's report page.
"""

from __future__ import annotations

from datetime import date

from bot.catalogue import Args
from bot.context import Context
from bot.i18n import Translator
from bot.messages import Code, Heading, Message, Plain, Reply, Section
from bot.messages import Context as Aside
from bot.reports.build import build_report, no_sessions, period_of
from bot.reports.model import Basis, Report, SessionLine

# Lines in chat: a longer period is read in the files.
CHAT_LINES = 20


def percent(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


def one_decimal(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


async def sessions(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    since, until = args.get("start"), args.get("end")
    series = args.get("series")
    now = ctx.clock.now()
    period = period_of(
        now.date(),
        since if isinstance(since, date) else None,
        until if isinstance(until, date) else None,
        None if series is None else int(series),
    )
    report = await build_report(ctx.uow, period, now)
    if not report.sessions:
        raise no_sessions(period)
    return Reply(message=summary(ctx.tr, report))


def summary(tr: Translator, report: Report) -> Message:
    p = report.period
    heading = (
        tr.plain(
            "Sessions of {title}, {start} to {end}",
            title=report.series_title,
            start=p.since.isoformat(),
            end=p.until.isoformat(),
        )
        if report.series_title is not None
        else tr.plain(
            "Sessions, {start} to {end}", start=p.since.isoformat(), end=p.until.isoformat()
        )
    )
    t = report.totals
    blocks: list[Heading | Section | Aside] = [
        Heading(heading),
        Section(
            tr(
                # Figures after their labels: one sentence reads right for 1 and for 20.
                "Sessions: {sessions}. Participants: {people} ({returning} at two or more). Organizations: {organizations}. Jurisdictions: {jurisdictions}. Regions: {regions}.",
                sessions=str(len(report.sessions)),
                people=str(t.participants),
                returning=str(t.returning),
                organizations=str(len(t.organizations)),
                jurisdictions=str(t.jurisdictions),
                regions=", ".join(t.regions) or "-",
            )
        ),
        Section(
            tr(
                "Evaluations: {responses} answered of {sent} sent ({rate}); average usefulness {average} of 5.",
                responses=str(report.responses),
                sent=str(report.sent),
                rate=percent(report.response_rate),
                average=one_decimal(report.average_usefulness),
            )
        ),
    ]
    blocks += [Section((Plain(_line(tr, s)),)) for s in report.sessions[:CHAT_LINES]]
    if len(report.sessions) > CHAT_LINES:
        more = len(report.sessions) - CHAT_LINES
        blocks.append(
            Aside(
                (
                    Plain(
                        tr.plural(
                            "{count} more session is in the full report.",
                            "{count} more sessions are in the full report.",
                            more,
                        )
                    ),
                )
            )
        )
    blocks.append(Aside((Plain(basis_note(tr, report.basis)),)))
    blocks.append(
        Aside(
            tr(
                "Every figure, the free-text answers and the charts: {command} on the bot's server, or the dashboard's Reports page.",
                command=Code("coalition-bot report sessions --format html"),
            )
        )
    )
    return Message(tuple(blocks))


def _line(tr: Translator, s: SessionLine) -> str:
    return tr.plain(
        "{day} {title}: going {going}, maybe {maybe}, not going {declined}; attended {attended}; organizations {organizations}, jurisdictions {jurisdictions}; evaluations {responses}/{sent}, usefulness {average}",
        day=shown_day(tr, s),
        title=s.title,
        going=s.going,
        maybe=s.maybe,
        declined=s.declined,
        attended=s.attended,
        organizations=s.organizations,
        jurisdictions=s.jurisdictions,
        responses=s.responses,
        sent=s.sent,
        average=one_decimal(s.average_usefulness),
    )


def shown_day(tr: Translator, s: SessionLine) -> str:
    """The day a session took place, and for one moved from its scheduled date, that
    date after it: the chat's line and the report's pages (adapters/reports/tables.py)."""
    day = s.occurrence.isoformat()
    if s.moved_from is None:
        return day
    return tr.plain("{day} (moved from {scheduled})", day=day, scheduled=s.moved_from.isoformat())


def basis_note(tr: Translator, basis: Basis) -> str:
    if basis is Basis.ATTENDED:
        return tr.plain(
            "Participants, organizations, jurisdictions and regions count those recorded as attending. Figures never name anyone; members who left are counted, not named."
        )
    return tr.plain(
        "No attendance was recorded in this period, so participants, organizations, jurisdictions and regions count those who answered Going."
    )
