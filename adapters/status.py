"""`coalition-bot status`: whether reminders and digests are healthy, in sentences.

For a coordinator or an operator, without the bot's help: it reads the claim
tables (storage/status.py) and says what is being posted, what is stuck, what
failed and will be retried, what was given up, sent late or skipped. Stuck means
that nobody is working on it: a claim held longer than the claim timeout, or a
retry whose time passed that long ago. Only that makes the command exit non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.meetings.model import DeliveryKind, DeliveryStatus
from storage.database import Storage
from storage.leader import lock_holder
from storage.status import (
    DIGEST,
    FOLLOWERS,
    Claim,
    Found,
    digest_deliveries,
    follower_claims,
    follower_notices,
    meeting_deliveries,
)

SHOWN = 5  # at most this many of each kind are listed


@dataclass(frozen=True)
class Status:
    lines: list[str]
    stuck: int  # posts nobody is working on; non-zero makes the command fail


def _plus(a: Found, b: Found) -> Found:
    return Found(a.count + b.count, (a.first + b.first)[:SHOWN])


async def delivery_status(storage: Storage, config: Config, now: datetime, days: int) -> Status:
    """What a coordinator should know about the bot's posts, as of `now`."""
    timeout = timedelta(seconds=config.meetings.claim_timeout_seconds)
    stale = now - timeout
    since = now - timedelta(days=days)
    claimed, failed = [DeliveryStatus.CLAIMED], [DeliveryStatus.FAILED]

    async def both(
        statuses: list[DeliveryStatus],
        *,
        claimed_before: datetime | None = None,
        retry_before: datetime | None = None,
        due_since: datetime | None = None,
    ) -> Found:
        meetings = await meeting_deliveries(
            storage,
            statuses,
            claimed_before=claimed_before,
            retry_before=retry_before,
            due_since=due_since,
            limit=SHOWN,
        )
        digests = await digest_deliveries(
            storage,
            statuses,
            claimed_before=claimed_before,
            retry_before=retry_before,
            due_since=due_since,
            limit=SHOWN,
        )
        return _plus(meetings, digests)

    held_long = await both(claimed, claimed_before=stale)
    not_retried = await both(failed, retry_before=stale)
    notices_held = await follower_claims(storage, claimed_before=stale, limit=SHOWN)
    posting = await both(claimed)
    retrying = await both(failed)
    given_up = await both([DeliveryStatus.GAVE_UP], due_since=since)
    late = await meeting_deliveries(storage, [DeliveryStatus.SENT], due_since=since, late=True)
    skipped = await both([DeliveryStatus.SKIPPED], due_since=since)
    notices = await follower_claims(storage, limit=SHOWN)
    followers = await follower_notices(storage, given_up_since=since)

    zone = ZoneInfo(config.coalition.timezone)
    when = _Times(zone)
    lines = [f"Reminders and digests, as of {when(now)}:"]
    stuck = held_long.count + not_retried.count + notices_held.count
    minutes = _minutes(timeout)
    if held_long.count or notices_held.count:
        count = held_long.count + notices_held.count
        lines.append(
            f"STUCK: {_posts(count)} claimed more than {minutes} ago and never finished. "
            "The leading instance should take them over at its next sweep: check that "
            "`coalition-bot run` is running and reaches the database (see docs/deploy.md)."
        )
        lines += [f"  - {_describe(c, when)}" for c in (held_long.first + notices_held.first)]
    if not_retried.count:
        lines.append(
            f"STUCK: {_posts(not_retried.count)} failed and {_were(not_retried.count)} due "
            f"for a retry more than {minutes} ago, but nobody retried: check that "
            "`coalition-bot run` is running and leads (GET /readyz says which instance leads)."
        )
        lines += [f"  - {_describe(c, when)}" for c in not_retried.first]
    in_progress = posting.count - held_long.count + notices.count - notices_held.count
    if in_progress > 0:
        lines.append(f"Being posted now: {_posts(in_progress)}.")
    if retrying.count - not_retried.count > 0:
        lines.append(f"Failed, and will be retried: {_posts(retrying.count - not_retried.count)}.")
        lines += [f"  - {_describe(c, when)}" for c in retrying.first if c not in not_retried.first]
    if given_up.count:
        lines.append(
            f"Given up in the last {days} days: {_posts(given_up.count)}, not tried again. "
            "Fix what the platform said (often: the bot is not in that channel)."
        )
        lines += [f"  - {_describe(c, when)}" for c in given_up.first]
    if late.count:
        lines.append(
            f"Sent late in the last {days} days: {_posts(late.count)} (the bot was down or "
            "busy at the time, and caught up within the grace period)."
        )
    if skipped.count:
        lines.append(
            f"Skipped in the last {days} days: {_posts(skipped.count)}, because their time had "
            "passed beyond the grace period while the bot was down."
        )
    if followers.waiting:
        lines.append(
            f"Follower notices that failed, and will be retried: {_messages(followers.waiting)}."
        )
    if followers.given_up:
        lines.append(
            f"Follower notices given up in the last {days} days: "
            f"{_messages(followers.given_up)}, not tried again (often: the member "
            "does not accept direct messages)."
        )
    if len(lines) == 1:
        lines.append(
            f"All is well: nothing is waiting, and nothing failed in the last {days} days."
        )
    if storage.backend == "postgresql":
        lines.append(await _leader(storage))
    return Status(lines, stuck)


async def _leader(storage: Storage) -> str:
    holder = await lock_holder(storage)
    if holder is None:
        return (
            "No instance leads now: reminders wait until one does. Check that "
            "`coalition-bot run` is running and reaches the database."
        )
    return f"The instance that leads (posts reminders and digests): {holder}."


def _messages(count: int) -> str:
    return "1 direct message" if count == 1 else f"{count} direct messages"


def _posts(count: int) -> str:
    return "1 post" if count == 1 else f"{count} posts"


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def _minutes(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return f"{int(span.total_seconds())} seconds"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class _Times:
    """Instants in the coalition's zone, e.g. "Mon 7 Dec 09:00 CST"."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def __call__(self, instant: datetime) -> str:
        local = instant.astimezone(self.zone)
        return f"{local:%a} {local.day} {local:%b %Y %H:%M %Z}"


def _describe(claim: Claim, when: _Times) -> str:
    if claim.what == FOLLOWERS:
        return (
            f'the notice to followers of the discussion "{claim.title}": claimed '
            f"{when(claim.claimed_at)}."
        )
    if claim.what == DIGEST:
        what = f"the weekly digest due {when(claim.due_at)}" if claim.due_at else "the digest"
    elif claim.kind == DeliveryKind.ANNOUNCEMENT.value:
        what = f'the announcement of "{claim.title}"'
    else:
        start = claim.starts_at or claim.claimed_at
        before = f"{claim.offset} minutes before" if claim.offset else "at the start of"
        what = f'the reminder {before} "{claim.title}" (starts {when(start)})'
    where = _target(claim.target)
    if claim.status == DeliveryStatus.CLAIMED.value:
        state = f"claimed by {claim.owner} at {when(claim.claimed_at)}, attempt {claim.attempts}"
    elif claim.status == DeliveryStatus.FAILED.value and claim.next_attempt_at is not None:
        state = f"attempt {claim.attempts} failed; next attempt {when(claim.next_attempt_at)}"
    else:
        state = "1 attempt" if claim.attempts == 1 else f"{claim.attempts} attempts"
    error = f"; the platform said: {claim.last_error}" if claim.last_error else ""
    return f"{what}, {where}: {state}{error}."


def _target(target: str) -> str:
    """ "slack:#" is a channel; "@12" (or, before migration 0012, "slack:@12") a DM."""
    platform, _, where = target.rpartition(":")
    if where.startswith("@"):
        return f"as a direct message to member {where[1:]}"
    return f"in the {platform.capitalize()} channel"
