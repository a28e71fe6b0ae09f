"""A member's personal calendar feed: the meetings they said Going or Maybe to.

`/coalition meeting feed` gives the member a secret address,
`[web] public_url` + /calendar/{token}.ics; `revoke=yes` ends it. Only the SHA-256
hash of the token is stored, so the address is shown once, when it is made.

What the feed holds: answers are per occurrence, so it holds exactly the occurrences
the member answered Going or Maybe, each as an event of its own, at its time now
(moved ones where they moved to; cancelled ones left out). A Going on one Tuesday
of a weekly meeting is that Tuesday only, not the series.

Join links are in it, private ones too: the feed is the member's own, as secret as
a chat message to them, and `/coalition meeting ics` already gives them the link
in a calendar file. Anyone the address leaks to can be cut off with `revoke=yes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.catalogue import Args
from bot.config import Config
from bot.context import Context
from bot.meetings.calendar import build_sessions_feed
from bot.meetings.lookup import occurrence_on
from bot.meetings.model import Answer, Meeting, Occurrence
from bot.meetings.public import feed_cutoff, feed_day, version_of
from bot.members import MemberStatus
from bot.messages import Code, Link, Reply, say
from bot.ports import UnitOfWork
from bot.private_links import new_secret, secret_hash, web_pages_off

FEED_PATH = "/calendar/"
SHOWN = (Answer.GOING, Answer.MAYBE)


@dataclass(frozen=True, slots=True)
class PersonalFeed:
    sessions: list[tuple[Meeting, Occurrence]]
    name: str
    version: str

    @property
    def changed(self) -> datetime | None:
        stamps = [m.updated_at or m.created_at for m, _ in self.sessions]
        return max((s for s in stamps if s is not None), default=None)

    def content(self) -> bytes:
        return build_sessions_feed(self.sessions, name=self.name, links=True)


async def personal_version(
    uow: UnitOfWork, config: Config, token: str, now: datetime
) -> tuple[int, str] | None:
    """(member, version) of the feed behind `token`, in two key reads and before any
    answer or meeting is read: the version changes with any meeting, any answer of
    the member's, and the day. None for an unknown or revoked token, or a member gone."""
    found = await uow.calendar_feeds.feed_of(secret_hash(token))
    if found is None or found[2] != MemberStatus.ACTIVE:
        return None
    member_id, answers, _ = found
    meetings = await uow.meetings.version()
    day = feed_day(config, now)
    return member_id, version_of(
        "personal", config.coalition.name, member_id, answers, meetings, day
    )


async def personal_feed(
    uow: UnitOfWork, config: Config, token: str, now: datetime
) -> PersonalFeed | None:
    """The feed behind `token`; None for an unknown or revoked token, or a member gone."""
    known = await personal_version(uow, config, token, now)
    if known is None:
        return None
    member_id, version = known
    # From a year back on, like the coalition's feed; a day's slack for the zones, as
    # an occurrence's date is local. Older answers are not even looked at.
    cutoff = feed_cutoff(config, feed_day(config, now))
    since = (cutoff - timedelta(days=1)).date()
    answered = [
        (meeting_id, day)
        for meeting_id, day, answer in await uow.rsvps.answers_of(member_id)
        if answer in SHOWN and day >= since
    ]
    ids = sorted({meeting_id for meeting_id, _ in answered})
    meetings = {m.id: m for m in [await uow.meetings.get(i) for i in ids] if m is not None}
    changes = await uow.meetings.changes(ids) if ids else {}
    sessions: list[tuple[Meeting, Occurrence]] = []
    for meeting_id, day in answered:
        meeting = meetings.get(meeting_id)
        if meeting is None:
            continue
        occurrence = occurrence_on(meeting, changes.get(meeting_id, {}), day)
        if occurrence is not None and occurrence.end > cutoff:
            sessions.append((meeting, occurrence))
    sessions.sort(key=lambda pair: (pair[1].start, pair[0].id))
    return PersonalFeed(sessions, config.coalition.name, version)


async def feed(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    web = ctx.config.web
    if (off := web_pages_off(ctx)) is not None:
        return off
    if args.get("revoke"):
        if await ctx.uow.calendar_feeds.forget(me.id):
            text = ctx.tr(
                "Your calendar feed is revoked: its address no longer works. "
                "Type {command} for a new one.",
                command=Code("/coalition meeting feed"),
            )
        else:
            text = ctx.tr("You have no calendar feed to revoke.")
        return Reply(message=say(text), private=True)
    token = new_secret()
    # Made only if the member has none: the address of one they have cannot be shown.
    if not await ctx.uow.calendar_feeds.add(secret_hash(token), me.id, at=ctx.clock.now()):
        return Reply(
            message=say(
                ctx.tr(
                    "You already have a calendar feed. Its address was shown only once, "
                    "when it was made. For a new address, type {command}: the old one "
                    "stops working.",
                    command=Code("/coalition meeting feed revoke=yes"),
                )
            ),
            private=True,
        )
    https = f"{web.public_url}{FEED_PATH}{token}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    return Reply(
        message=say(
            ctx.tr(
                "Subscribe to {link} in your calendar app (or open {webcal}) to see the "
                "meetings you answered Going or Maybe, with their join links. The address "
                "is yours alone and is shown only this once: do not share it. "
                "{command} ends it.",
                link=Link(https, https),
                webcal=Link(webcal, webcal),
                command=Code("/coalition meeting feed revoke=yes"),
            )
        ),
        private=True,
    )


async def export_feed(uow: UnitOfWork, member_id: int) -> Mapping[str, object]:
    """Whether the member has a feed, and since when (its address is not kept)."""
    created = await uow.calendar_feeds.created(member_id)
    return {"calendar_feed": {"created": created.isoformat()} if created else None}


async def forget_feed(uow: UnitOfWork, member_id: int, at: datetime) -> None:
    """A member who leaves: their feed's address stops working."""
    await uow.calendar_feeds.forget(member_id)
