"""Opting in to peer matching, out of it, and pausing it. Nobody is matched who did not ask."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.catalogue import Args
from bot.context import Context
from bot.errors import FieldError, UserError
from bot.matching.model import ANSWERS, MET, NOT_YET, SKIP, Preferences, folded
from bot.messages import Code, Reply, Strong, say, usage
from bot.timezones import to_local


def _topics(given: object, interests: tuple[str, ...]) -> tuple[str, ...]:
    """The chosen topics, each one of the member's interests (as their profile writes it)."""
    chosen = tuple(given) if isinstance(given, tuple | list) else ()
    mine = {folded(t): t for t in interests}
    if chosen and not mine:
        raise FieldError(
            "topics",
            "Your profile lists no interests, so there are no topics to choose from. Add interests with {command} first, or leave topics empty.",
            command=usage("profile edit", ("interests", "Housing, Workforce")),
        )
    unknown = [str(t) for t in chosen if folded(str(t)) not in mine]
    if unknown:
        raise FieldError(
            "topics",
            "{topics} is not among your interests. Choose from: {interests}.",
            topics=Strong(", ".join(unknown)),
            interests=Strong(", ".join(interests)),
        )
    return tuple(dict.fromkeys(mine[folded(str(t))] for t in chosen))


async def join_prefill(ctx: Context, typed: Mapping[str, str]) -> dict[str, str]:
    """The join form shows the member's current wishes (or the defaults), so that
    changing one does not reset the others."""
    me = ctx.require_member()
    found = await ctx.uow.matching.opt_in_of(me.id)
    wishes = Preferences() if found is None else found.preferences
    return {
        "region": wishes.region,
        "discipline": wishes.discipline,
        "topics": ",".join(wishes.topics),
        "role": wishes.role,
        "same_organization": "yes" if wishes.same_organization else "no",
        **typed,
    }


async def join(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    earlier = await ctx.uow.matching.opt_in_of(me.id)
    # What is not given keeps its earlier wish, as profile edit keeps fields: typing
    # "match join discipline=other" must not reset the region, topics and role chosen
    # before. "-" (or none) empties topics or the role.
    old = Preferences() if earlier is None else earlier.preferences
    wishes = Preferences(
        region=str(args.get("region") or old.region),
        discipline=str(args.get("discipline") or old.discipline),
        topics=_topics(args["topics"], me.profile.interests) if "topics" in args else old.topics,
        role=str(args["role"]) if "role" in args else old.role,
        same_organization=bool(args.get("same_organization", old.same_organization)),
    )
    await ctx.uow.matching.opt_in(me.id, wishes, ctx.clock.now())
    if earlier is None:
        text = ctx.tr(
            "You are in peer matching. At each round I will introduce you to another member by direct message. Type {command} to stop.",
            command=usage("match leave"),
        )
    elif earlier.snoozed_until is not None:
        text = ctx.tr(
            "Welcome back: your snooze is over and you will be matched from the next round."
        )
    else:
        text = ctx.tr("Your peer matching wishes are updated.")
    return Reply(message=say(text))


async def leave(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    if not await ctx.uow.matching.opt_out(me.id):
        raise UserError(
            "You are not in peer matching. Type {command} to join.", command=usage("match join")
        )
    return Reply(
        message=say(
            ctx.tr(
                "You left peer matching: you will not be matched again. Type {command} to come back.",
                command=usage("match join"),
            )
        )
    )


async def snooze(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    until = args["until"]
    assert isinstance(until, date)
    today = to_local(ctx.clock.now(), ctx.config.coalition.timezone).date()
    if until <= today:
        raise FieldError(
            "until",
            "{date} is not in the future. Give the day you want to be matched again, such as {example}.",
            date=Code(until.isoformat()),
            example=Code(date.fromordinal(today.toordinal() + 14).isoformat()),
        )
    if not await ctx.uow.matching.snooze(me.id, until):
        raise UserError(
            "You are not in peer matching, so there is nothing to snooze. Type {command} to join.",
            command=usage("match join"),
        )
    text = ctx.tr(
        "Snoozed: no matches before {date}. Type {command} to come back sooner.",
        date=Strong(until.isoformat()),
        command=usage("match join"),
    )
    return Reply(message=say(text))


async def checkin_clicked(ctx: Context, target: str) -> Reply:
    round_text, _, answer = target.partition(":")
    if not round_text.isdigit() or answer not in ANSWERS:
        raise UserError("That button is out of date: it answers no check-in I know of.")
    me = ctx.require_member()
    if not await ctx.uow.matching.answer(int(round_text), me.id, answer, ctx.clock.now()):
        raise UserError("You were not matched in that round, so there is nothing to answer.")
    thanks = {
        MET: ctx.tr("Great, thank you: I noted that you met."),
        NOT_YET: ctx.tr("Thank you: I noted that you have not met yet. There is still time!"),
        SKIP: ctx.tr("Thank you: I noted that you skipped this round."),
    }[answer]
    return Reply(message=say(thanks), update_original=say(thanks))
