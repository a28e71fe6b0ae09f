"""Retiring a resource: asked with a reason, confirmed with a button, recorded.

A retired resource leaves search, the newest list and the library export; its
row stays, so its history stays in the audit trail and its link still counts
as a duplicate. The request is stored when asked, since a button can carry a
number but not a reason of 500 characters; the confirmation names it.
"""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import UserError
from bot.messages import (
    Actions,
    Button,
    ButtonStyle,
    Code,
    Message,
    Reply,
    Section,
    Strong,
    say,
    usage,
)
from bot.messages import Context as Line
from bot.resources.audit import record
from bot.resources.model import AuditAction, Resource, ResourceStatus, Retirement
from bot.resources.review import find


async def ask(ctx: Context, args: Args) -> Reply:
    """`resource retire ID reason=...`: say what retiring does, and ask to confirm."""
    me = ctx.require_member()
    resource = await find(ctx, args["id"])
    await _refuse_unless_in_library(ctx, resource)
    reason = " ".join(str(args["reason"]).split())
    asked = await ctx.uow.resource_retirements.ask(resource.id, me.id, reason, ctx.clock.now())
    target = str(asked)
    question = Message(
        (
            Section(
                ctx.tr(
                    "Retire #{number} {title} from the library? It leaves search, the newest "
                    "list and the library export at once. Its history stays in the audit trail "
                    "with your reason, and its link still counts as a duplicate if someone "
                    "suggests it again. Messages already posted about it stay as they are.",
                    number=str(resource.id),
                    title=Strong(resource.title),
                )
            ),
            Line(ctx.tr("Reason: {reason}", reason=reason)),
            Actions(
                (
                    Button(
                        ctx.tr.plain("Yes, retire it"),
                        "resource.retire",
                        target,
                        ButtonStyle.DANGER,
                    ),
                    Button(ctx.tr.plain("No, keep it"), "resource.keep", target),
                )
            ),
        )
    )
    return Reply(message=question)


async def confirm(ctx: Context, target: str) -> Reply:
    """The "Yes, retire it" button."""
    me = ctx.require_member()
    retirement = await _asked_by_me(ctx, target, me.id)
    resource = await find(ctx, retirement.resource_id)
    if not await ctx.uow.resource_retirements.retire(retirement, ctx.clock.now()):
        # Retired (or changed) a moment ago by someone else: say what happened.
        await _refuse_unless_in_library(ctx, await find(ctx, resource.id))
        raise AssertionError(f"resource {resource.id} is in the library but was not retired")
    await record(
        ctx,
        resource.id,
        AuditAction.RETIRED,
        before={"status": ResourceStatus.APPROVED.value},
        after={"status": ResourceStatus.RETIRED.value, "reason": retirement.reason},
    )
    done = say(
        ctx.tr(
            "Retired #{number} {title}. It no longer shows in search or the library export; "
            "its history stays in {command}.",
            number=str(resource.id),
            title=Strong(resource.title),
            command=Code(f"/coalition resource audit {resource.id}"),
        )
    )
    return Reply(message=done, update_original=done)


async def keep(ctx: Context, target: str) -> Reply:
    """The "No, keep it" button."""
    me = ctx.require_member()
    retirement = await _asked_by_me(ctx, target, me.id)
    resource = await find(ctx, retirement.resource_id)
    await _refuse_unless_in_library(ctx, resource)  # retired by then: do not say it stays
    kept = say(
        ctx.tr(
            "Good, #{number} {title} stays in the library.",
            number=str(resource.id),
            title=Strong(resource.title),
        )
    )
    return Reply(message=kept, update_original=kept)


async def _asked_by_me(ctx: Context, target: str, member_id: int) -> Retirement:
    retirement = await ctx.uow.resource_retirements.get(int(target)) if target.isdigit() else None
    if retirement is None or retirement.asked_by != member_id:
        # The question was private to whoever asked; a stray click changes nothing.
        raise UserError("That button was meant for someone else; it changes nothing for you.")
    return retirement


async def _refuse_unless_in_library(ctx: Context, resource: Resource) -> None:
    if resource.status is ResourceStatus.APPROVED:
        return
    if resource.status is ResourceStatus.PENDING:
        raise UserError(
            "#{number} is waiting for review, not in the library. To turn it down, use {command}.",
            number=str(resource.id),
            command=usage("resource reject", ("id", str(resource.id)), ("reason", "Out of date")),
        )
    if resource.status is ResourceStatus.REJECTED:
        raise UserError(
            "#{number} was rejected, so it is not in the library; there is nothing to retire.",
            number=str(resource.id),
        )
    done = await ctx.uow.resource_retirements.of_resource(resource.id)
    assert done is not None and done.done_at is not None  # retired: one was confirmed
    raise UserError(
        "#{number} was already retired by {name} on {when}.",
        number=str(resource.id),
        name=Strong(done.asked_by_name),
        when=ctx.moment(done.done_at),
    )
