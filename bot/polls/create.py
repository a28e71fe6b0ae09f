"""Creating a poll: checking what the member typed, saving it, posting it after the commit."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.catalogue import Args
from bot.channels import channel_name
from bot.context import Context
from bot.errors import FieldError
from bot.messages import Code, Reply, Strong, say
from bot.polls.edits import after
from bot.polls.model import OPTION_MAX, OPTIONS_MAX, OPTIONS_MIN, NewPoll
from bot.timezones import to_local, to_utc

RESULTS_LIVE = "live"
RESULTS_AT_CLOSE = "at-close"
# A closing day given without a time closes at the end of that day.
END_OF_DAY = time(23, 59)


def read_options(text: str) -> tuple[str, ...]:
    """Options separated by commas: 2 to 10, each at most OPTION_MAX characters, no repeats."""
    options = tuple(" ".join(part.split()) for part in text.split(","))
    options = tuple(o for o in options if o)
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        raise FieldError(
            "options",
            "A poll needs from {low} to {high} options, separated by commas; you gave {count}.",
            low=str(OPTIONS_MIN),
            high=str(OPTIONS_MAX),
            count=str(len(options)),
        )
    seen: set[str] = set()
    for option in options:
        if len(option) > OPTION_MAX:
            raise FieldError(
                "options",
                "Each option can be at most {limit} characters; {value} has {length}.",
                limit=str(OPTION_MAX),
                value=Strong(option[:20] + "..."),
                length=str(len(option)),
            )
        if option.casefold() in seen:
            raise FieldError(
                "options",
                "The option {value} is there twice; give each option once.",
                value=Strong(option),
            )
        seen.add(option.casefold())
    return options


def closing_time(ctx: Context, args: Args, zone: str) -> datetime | None:
    day: date | None = args.get("date")
    at: time | None = args.get("time")
    if day is None and at is None:
        return None
    now = ctx.clock.now()
    local = datetime.combine(day or to_local(now, zone).date(), at or END_OF_DAY)
    closes = to_utc(local, zone)
    if closes <= now:
        raise FieldError(
            "date" if day is not None else "time",
            "The closing time {when} has already passed; give a later one.",
            when=ctx.moment(closes),
        )
    return closes


async def create(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    anonymous = bool(args.get("anonymous", False))
    if anonymous and args.get("multiple"):
        # Nothing ties an anonymous vote to its voter, so it cannot be added to or
        # changed later: an anonymous poll takes one final choice.
        raise FieldError(
            "multiple",
            "An anonymous poll takes one final choice per member, because nothing ties a vote to the voter: leave {field} off, or make the poll named.",
            field=Strong("multiple"),
        )
    zone = me.profile.timezone or ctx.config.coalition.timezone
    new = NewPoll(
        # Required, trimmed and within its length: the dispatcher checked (bot/arguments.py).
        question=args["question"],
        options=read_options(str(args.get("options", ""))),
        multiple=bool(args.get("multiple", False)),
        anonymous=anonymous,
        live=args.get("results", RESULTS_LIVE) == RESULTS_LIVE,
        channel=channel_name(args.get("channel") or ctx.config.channels.announcements),
        closes_at=closing_time(ctx, args, zone),
    )
    await ctx.check_channel("channel", new.channel)
    saved = await ctx.uow.polls.add(new, me.id, ctx.clock.now())
    done = ctx.tr(
        "Created poll {number}. I'm posting it in {channel}; close it with {command}.",
        number=Code(f"#{saved.id}"),
        channel=Strong(f"#{saved.channel}"),
        command=Code(f"/coalition poll close {saved.id}"),
    )
    return Reply(message=say(done), after_commit=(after(ctx.services, saved.id, "post"),))
