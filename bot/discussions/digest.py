"""The weekly digest: what is new in the coalition, in one message.

Four sections, each left out when it has nothing: resources approved in the
period, meetings of the next 7 days, the most active discussions, and how many
members joined. A week with nothing in any section has no digest at all.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.catalogue import Args
from bot.config import Config
from bot.context import Context
from bot.i18n import Translator
from bot.meetings.recurrence import next_occurrences
from bot.messages import Block, Code, Heading, Link, Message, Plain, Reply, Section, Strong, say
from bot.ports import UnitOfWork
from bot.timefmt import moment

PERIOD = timedelta(days=7)
MEETINGS_AHEAD = timedelta(days=7)
SHOWN = 10  # at most this many lines per section
BUSIEST = 5


def latest_due(now: datetime, config: Config) -> datetime:
    """The most recent scheduled digest time at or before `now` (aware UTC).

    Computed on the zone's wall time, so 9:00 stays 9:00 across daylight-saving changes.
    """
    settings = config.discussions
    zone = ZoneInfo(config.coalition.timezone)
    local = now.astimezone(zone)
    wall = time.fromisoformat(settings.digest_time)
    day = local.date() - timedelta(days=(local.weekday() - settings.digest_weekday) % 7)
    due = datetime.combine(day, wall, zone)
    if due > local:
        due = datetime.combine(day - timedelta(days=7), wall, zone)
    return due.astimezone(UTC)


async def build_digest(
    uow: UnitOfWork, config: Config, tr: Translator, since: datetime, until: datetime
) -> Message | None:
    """The digest of [since, until), or None when the period had nothing to tell."""
    blocks = [
        *await _resources(uow, tr, since, until),
        *await _meetings(uow, tr, config.coalition.timezone, until),
        *await _discussions(uow, tr, since),
        *await _members(uow, tr, since, until),
    ]
    if not blocks:
        return None
    title = tr.plain("This week in {coalition}", coalition=config.coalition.name)
    return Message((Heading(title), *blocks))


async def _resources(
    uow: UnitOfWork, tr: Translator, since: datetime, until: datetime
) -> list[Block]:
    approved = [
        r
        for r in await uow.resources.recent(limit=50)
        if r.decided_at is not None and since <= r.decided_at < until
    ]
    if not approved:
        return []
    return [
        Heading(tr.plain("New in the resource library")),
        *(Section((Link(r.url, r.title),)) for r in approved[:SHOWN]),
    ]


async def _meetings(uow: UnitOfWork, tr: Translator, zone: str, until: datetime) -> list[Block]:
    meetings = await uow.meetings.active(until, until + MEETINGS_AHEAD)
    changes = await uow.meetings.changes([m.id for m in meetings]) if meetings else {}
    coming = next_occurrences(
        ((m, changes.get(m.id, {})) for m in meetings), until, until + MEETINGS_AHEAD
    )
    if not coming:
        return []
    return [
        Heading(tr.plain("Meetings in the next 7 days")),
        *(
            Section(
                tr(
                    "{when} — {title}",
                    when=moment(o.start, zone, tr.language),
                    title=Strong(m.title),
                )
            )
            for m, o in coming[:SHOWN]
        ),
    ]


async def _discussions(uow: UnitOfWork, tr: Translator, since: datetime) -> list[Block]:
    busiest = await uow.discussions.most_active(since, BUSIEST)
    if not busiest:
        return []
    return [
        Heading(tr.plain("Most active discussions")),
        *(
            Section(
                tr(
                    "{title} in {channel}: {replies}",
                    title=Strong(d.title),
                    channel=Strong(f"#{d.channel}"),
                    replies=tr.plural("{count} reply", "{count} replies", d.replies),
                )
            )
            for d in busiest
        ),
    ]


async def _members(
    uow: UnitOfWork, tr: Translator, since: datetime, until: datetime
) -> list[Block]:
    joined = await uow.members.count_joined(since, until)
    if not joined:
        return []
    count = tr.plural(
        "{count} new member joined the coalition this week.",
        "{count} new members joined the coalition this week.",
        joined,
    )
    return [Heading(tr.plain("New members")), Section((Plain(count),))]


async def show_digest(ctx: Context, args: Args) -> Reply:
    """The digest as it stands now: everything since the last scheduled one, privately."""
    ctx.require_member()
    now = ctx.clock.now()
    since = latest_due(now, ctx.config)
    # Up to and including this instant: what happened just now is in it.
    until = now + timedelta(microseconds=1)
    found = await build_digest(ctx.uow, ctx.config, ctx.tr, since, until)
    if found is None:
        return Reply(
            message=say(
                ctx.tr(
                    "Nothing new since the last digest ({when}). Suggest a resource with {command}.",
                    when=ctx.moment(since),
                    command=Code("/coalition resource suggest"),
                )
            )
        )
    return Reply(message=found)
