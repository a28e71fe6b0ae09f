"""Joining, and viewing and editing profiles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields

from bot.catalogue import CLEAR_WORDS, Args
from bot.context import Context
from bot.errors import FieldError, UserError
from bot.i18n import available_languages, translator
from bot.membership.cards import join_request_card, profile_card, welcome
from bot.membership.model import AccountTaken, Decision, Member, MemberStatus, Profile
from bot.messages import Code, Message, Notice, Reply, Section, Strong, ToChannel, say, usage
from bot.roles import Role
from bot.roster.joining import (
    check_invitation,
    invitation_values,
    invitation_values_for_email,
    use_invitation,
)
from bot.timezones import canonical_timezone


async def _refuse_existing_member(ctx: Context) -> None:
    if ctx.member is None:
        return
    if ctx.member.status is MemberStatus.ACTIVE:
        raise UserError(
            "You are already a member. To change your profile, type {command}.",
            command=Code("/coalition profile edit"),
        )
    if ctx.member.status is MemberStatus.PENDING:
        # Their account already has a profile waiting: a second one would collide with it.
        requests = await ctx.uow.join_requests.for_member(ctx.member.id)
        waiting = [r.requested_at for r in requests if r.decision is Decision.PENDING]
        since = min(waiting, default=ctx.member.joined_at)
        raise UserError(
            "Your request to join {coalition} has been waiting for a coordinator since {when}. "
            "You'll get a message as soon as it's decided; there is no need to ask again.",
            coalition=ctx.config.coalition.name,
            when=ctx.moment(since),
        )


async def join_form_hides(ctx: Context, typed: Mapping[str, str]) -> frozenset[str]:
    """The invitation code field only while some invitation is unused: most coalitions
    never import a roster, and their members need not be asked for a code."""
    if await ctx.uow.invitations.any_pending():  # a typed code is one of these, or refused
        return frozenset()
    return frozenset({"code"})


async def join_prefill(ctx: Context, typed: Mapping[str, str]) -> dict[str, str]:
    """What the platform already knows, and the roster row of an invitation code, or
    of the email the platform vouches for when no code was typed."""
    await _refuse_existing_member(ctx)
    values = {
        "name": ctx.hints.name or "",
        "timezone": _hinted_timezone(ctx),
        "language": _hinted_language(ctx),
    }
    if typed.get("code"):
        values.update(await invitation_values(ctx, typed["code"]))
    elif ctx.hints.email:
        values.update(await invitation_values_for_email(ctx, ctx.hints.email))
    return values


async def join(ctx: Context, args: Args) -> Reply:
    await _refuse_existing_member(ctx)
    if args.get("code"):
        await check_invitation(ctx, args["code"])  # before anything is written
    profile = Profile(
        display_name=args["name"],
        organization=args["organization"],
        jurisdiction=args.get("jurisdiction", ""),
        discipline=args.get("discipline", ""),
        region=args.get("region", ""),
        interests=args.get("interests", ()),
        timezone=args.get("timezone") or _hinted_timezone(ctx),
        language=args.get("language") or _hinted_language(ctx),
        listed=ctx.config.coalition.listed_by_default,
    )
    now = ctx.clock.now()
    # Admins named in the configuration are trusted already; nobody could approve the first one.
    pending = ctx.config.coalition.approval_required and ctx.role < Role.ADMIN
    try:
        member = await ctx.uow.members.add(profile, ctx.actor, pending=pending, at=now)
    except AccountTaken:
        raise UserError(
            "I received your request to join a moment ago, so this second one changes "
            "nothing: my answer to the first one says what comes next."
        ) from None
    if args.get("code"):
        await use_invitation(ctx, args["code"], member.id)
    tr = translator(profile.language)
    if not pending:
        return Reply(message=welcome(tr, ctx.config, member))
    request = await ctx.uow.join_requests.open(member.id, now)
    reviewers = translator(ctx.config.coalition.language)
    card = join_request_card(reviewers, member, request)
    thanks = tr(
        "Thanks, {name}! Your request to join {coalition} was sent to the coordinators. "
        "I'll send you a message as soon as they decide.",
        name=Strong(member.name),
        coalition=ctx.config.coalition.name,
    )
    return Reply(
        message=say(thanks),
        notices=(Notice(ToChannel(ctx.config.channels.reviews), card),),
    )


def _hinted_timezone(ctx: Context) -> str:
    hinted = canonical_timezone(ctx.hints.timezone) if ctx.hints.timezone else None
    return hinted or ctx.config.coalition.timezone


def _hinted_language(ctx: Context) -> str:
    hinted = ctx.hints.language
    if hinted in ctx.config.lists.languages and hinted in available_languages():
        assert hinted is not None
        return hinted
    return ctx.config.coalition.language


async def view(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    if "member" not in args:
        return Reply(message=profile_card(ctx.tr, me, own=True))
    other = await ctx.resolve_member(args["member"])
    if other.id != me.id and not other.profile.listed and ctx.role < Role.COORDINATOR:
        raise UserError("{name} keeps their profile private.", name=Strong(other.name))
    return Reply(message=profile_card(ctx.tr, other, own=other.id == me.id))


async def edit(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    old = me.profile
    _refuse_removing(args)
    new = Profile(
        display_name=args.get("name", old.display_name),
        organization=args.get("organization", old.organization),
        jurisdiction=args.get("jurisdiction", old.jurisdiction),
        discipline=args.get("discipline", old.discipline),
        region=args.get("region", old.region),
        interests=args.get("interests", old.interests),
        timezone=args.get("timezone", old.timezone),
        language=args.get("language", old.language),
        listed=args.get("listed", old.listed),
        dm_reminders=args.get("dm_reminders", old.dm_reminders),
        dm_platform=_dm_platform(me, args["dm_platform"])
        if "dm_platform" in args
        else old.dm_platform,
    )
    # What differs from the profile they saw: a form sends back every field, prefilled,
    # and writing the untouched ones would undo an edit made meanwhile elsewhere.
    changed = {f.name for f in fields(Profile) if getattr(new, f.name) != getattr(old, f.name)}
    if not changed:
        return Reply(message=say(ctx.tr("Nothing to change: your profile already says that.")))
    await ctx.uow.members.update_profile(me.id, new, at=ctx.clock.now(), fields=changed)
    updated = Member(me.id, new, me.status, me.role, me.joined_at, me.identities)
    tr = translator(new.language)  # answer in the language they may just have picked
    return Reply(
        message=Message(
            (Section(tr("Your profile is updated.")), *profile_card(tr, updated, own=True).blocks)
        )
    )


def _refuse_removing(args: Args) -> None:
    """A name and an organization are part of every profile: "-" is not one."""
    for field in ("name", "organization"):
        if str(args.get(field, "")).strip().lower() in CLEAR_WORDS:
            raise FieldError(
                field,
                "Every profile has a {field}, so it can't be removed. Type the new one, "
                "for example: {example}",
                field=Strong(field),
                example=usage("profile edit", (field, EXAMPLES[field])),
            )


EXAMPLES = {"name": "Maria Lopez", "organization": "Alameda County Public Health"}


async def edit_prefill(ctx: Context, typed: Mapping[str, str]) -> dict[str, str]:
    me = ctx.require_member()
    p = me.profile
    return {
        "name": p.display_name,
        "organization": p.organization,
        "jurisdiction": p.jurisdiction,
        "discipline": p.discipline,
        "region": p.region,
        "interests": ",".join(p.interests),
        "timezone": p.timezone,
        "language": p.language,
        "listed": "yes" if p.listed else "no",
        "dm_reminders": "yes" if p.dm_reminders else "no",
        "dm_platform": p.dm_platform or "last",
    }


def _dm_platform(me: Member, chosen: str) -> str:
    """A platform one of their linked accounts is on; "" for wherever they last used me."""
    if chosen == "last":
        return ""
    if all(i.platform != chosen for i in me.identities):
        raise FieldError(
            "dm_platform",
            "You have no account on {platform} linked, so reminders can't reach you there. Link one with {command}, or choose {example}.",
            platform=Strong(chosen.capitalize()),
            command=Code("/coalition link"),
            example=usage("", ("dm_platform", "last")),
        )
    return chosen
