"""Admins grant and revoke the coordinator role; every change is recorded."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import UserError
from bot.i18n import N_, translator
from bot.membership.model import MemberStatus, RoleChange
from bot.messages import Code, Message, Notice, Reply, Section, Strong, ToMember, say
from bot.roles import Role


async def grant(ctx: Context, args: Args) -> Reply:
    return await _change(ctx, args, granted=True)


async def revoke(ctx: Context, args: Args) -> Reply:
    return await _change(ctx, args, granted=False)


async def _change(ctx: Context, args: Args, *, granted: bool) -> Reply:
    target = await ctx.resolve_member(args["member"])
    new_role = Role.COORDINATOR if granted else Role.MEMBER
    if target.role is new_role:
        template = (
            N_("{name} is already a coordinator.")
            if granted
            else N_("{name} is not a coordinator.")
        )
        raise UserError(template, name=Strong(target.name))
    await ctx.uow.members.set_role(target.id, new_role)
    by_name = ctx.member.name if ctx.member else ctx.actor.user_id
    await ctx.uow.role_changes.record(
        RoleChange(
            member_id=target.id,
            role=Role.COORDINATOR,
            granted=granted,
            by_member_id=ctx.member.id if ctx.member else None,
            by_name=by_name,
            at=ctx.clock.now(),
        )
    )
    # Named tr so that `make messages` finds what it says (tests/core/test_i18n_sources.py).
    tr = translator(target.profile.language)
    if granted:
        answer = ctx.tr("{name} is now a coordinator.", name=Strong(target.name))
        told = tr(
            "{name} made you a coordinator. You can now review requests with {command}.",
            name=Strong(by_name),
            command=Code("/coalition requests"),
        )
    else:
        answer = ctx.tr("{name} is no longer a coordinator.", name=Strong(target.name))
        told = tr("{name} removed your coordinator role.", name=Strong(by_name))
    return Reply(message=say(answer), notices=(Notice(ToMember(target.identities), say(told)),))


async def history(ctx: Context, args: Args) -> Reply:
    member_id = None
    if "member" in args:
        member_id = (await ctx.resolve_member(args["member"])).id
    changes = await ctx.uow.role_changes.history(member_id)
    if not changes:
        return Reply(message=say(ctx.tr("No role changes are recorded yet.")))
    blocks = [Section(ctx.tr("Role changes, newest first:"))]
    for change in changes[:25]:
        who = await ctx.uow.members.get(change.member_id)
        former = ctx.tr.plain("Former member")  # who left keeps the record, not the name
        name = Strong(former if who is None or who.status is MemberStatus.LEFT else who.name)
        by = Strong(change.by_name or former)
        when = ctx.moment(change.at)
        if change.granted:
            blocks.append(
                Section(
                    ctx.tr("{by} made {name} a coordinator on {when}.", by=by, name=name, when=when)
                )
            )
        else:
            blocks.append(
                Section(
                    ctx.tr(
                        "{by} removed {name} as coordinator on {when}.", by=by, name=name, when=when
                    )
                )
            )
    return Reply(message=Message(tuple(blocks)))
