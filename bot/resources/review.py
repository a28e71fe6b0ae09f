"""Coordinators decide on suggestions: approve, or reject with a reason."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import UserError
from bot.forms import form_for
from bot.i18n import N_, translator
from bot.messages import (
    Block,
    Code,
    Link,
    Message,
    Notice,
    Replacing,
    Reply,
    Section,
    Strong,
    ToChannel,
    ToMember,
    say,
)
from bot.messages import Context as Line
from bot.resources.audit import OWN_SUGGESTION, record
from bot.resources.cards import resource_card, resource_line, review_card
from bot.resources.model import AuditAction, Resource, ResourceStatus

SHOWN = 15


async def find(ctx: Context, number: str | int) -> Resource:
    """The resource a button or command names, or a clear error."""
    text = str(number).strip().removeprefix("#")
    resource = await ctx.uow.resources.get(int(text)) if text.isdigit() else None
    if resource is None:
        raise UserError(
            "There is no resource #{number}. Find resources with {command}.",
            number=text[:20],
            command=Code("/coalition resource search"),
        )
    return resource


def refreshed_posts(ctx: Context, resource: Resource, *, clicked: bool) -> tuple[Notice, ...]:
    """Edits that bring every stored review post up to date.

    A click already replaces the message it came from (Reply.update_original),
    so that one is left alone; a form or a typed command changes them all.
    """
    card = review_card(translator(ctx.config.coalition.language), ctx.config, resource)
    return tuple(
        Notice(Replacing(post), card)
        for post in resource.review_posts
        if post.message_id
        and not (
            clicked and (post.platform, post.channel) == (ctx.place.platform, ctx.place.channel)
        )
    )


async def pending(ctx: Context, args: Args) -> Reply:
    waiting = await ctx.uow.resources.pending(limit=SHOWN + 1)
    if not waiting:
        return Reply(message=say(ctx.tr("No suggested resources are waiting for review.")))
    blocks: list[Block] = [Section(ctx.tr("Suggestions waiting for review, oldest first:"))]
    blocks.extend(resource_line(ctx.tr, r) for r in waiting[:SHOWN])
    blocks.append(
        Line(
            ctx.tr(
                "To decide, use the buttons on the post in #{channel}, or open one with {command}.",
                channel=ctx.config.channels.reviews,
                command=Code(f"/coalition resource view {waiting[0].id}"),
            )
        )
    )
    return Reply(message=Message(tuple(blocks)))


async def approve(ctx: Context, target: str) -> Reply:
    me = ctx.require_member()
    resource = await find(ctx, target)
    if not await ctx.uow.resources.decide(
        resource.id, ResourceStatus.APPROVED, me.id, ctx.clock.now()
    ):
        return await already_decided(ctx, resource.id)
    decided = await find(ctx, resource.id)
    own = decided.self_approved
    await record(
        ctx,
        decided.id,
        AuditAction.APPROVED,
        before={"status": "pending"},
        after={"status": "approved", **({OWN_SUGGESTION: True} if own else {})},
    )
    shared = translator(ctx.config.coalition.language)
    notices = [
        Notice(ToChannel(ctx.config.channels.resources), resource_card(shared, decided)),
        *refreshed_posts(ctx, decided, clicked=True),
    ]
    if own:
        return Reply(
            message=say(
                ctx.tr(
                    "You approved your own suggestion {title}. It is posted in #{channel}; "
                    "the review post and the audit trail say that no other coordinator reviewed it.",
                    title=Strong(decided.title),
                    channel=ctx.config.channels.resources,
                )
            ),
            update_original=review_card(shared, ctx.config, decided),
            notices=tuple(notices),
        )
    suggester = await ctx.uow.members.get(decided.suggested_by)
    if suggester is not None and suggester.identities:
        tr = translator(suggester.profile.language)  # named tr so `make messages` finds it
        told = tr(
            "Good news: {name} approved your suggestion {link}. It is now in the library.",
            name=Strong(me.name),
            link=Link(decided.url, decided.title),
        )
        notices.append(Notice(ToMember(suggester.identities), say(told)))
    return Reply(
        message=say(
            ctx.tr(
                "You approved {title}. It is posted in #{channel} and its suggester is told.",
                title=Strong(decided.title),
                channel=ctx.config.channels.resources,
            )
        ),
        update_original=review_card(shared, ctx.config, decided),
        notices=tuple(notices),
    )


async def ask_reason(ctx: Context, target: str) -> Reply:
    """The Reject button: a reason is needed, so it opens a form for it."""
    ctx.require_member()
    resource = await find(ctx, target)
    if resource.status is not ResourceStatus.PENDING:
        return await already_decided(ctx, resource.id)
    return Reply(form=form_for(ctx, ("resource", "reject"), {"id": str(resource.id)}))


async def reject(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    resource = await find(ctx, args["id"])
    reason = " ".join(args["reason"].split())
    if not await ctx.uow.resources.decide(
        resource.id, ResourceStatus.REJECTED, me.id, ctx.clock.now(), reason
    ):
        return await already_decided(ctx, resource.id, clicked=False)
    decided = await find(ctx, resource.id)
    await record(
        ctx,
        decided.id,
        AuditAction.REJECTED,
        before={"status": "pending"},
        after={"status": "rejected", "reason": reason},
    )
    notices = list(refreshed_posts(ctx, decided, clicked=False))
    suggester = await ctx.uow.members.get(decided.suggested_by)
    if suggester is not None and suggester.identities:
        tr = translator(suggester.profile.language)  # named tr so `make messages` finds it
        told = tr(
            "Your suggestion {link} was not added to the library. The coordinators' reason: {reason}",
            link=Link(decided.url, decided.title),
            reason=reason,
        )
        notices.append(Notice(ToMember(suggester.identities), say(told)))
    return Reply(
        message=say(
            ctx.tr(
                "You rejected {title}. I told {name} the reason privately.",
                title=Strong(decided.title),
                name=Strong(decided.suggested_by_name),
            )
        ),
        notices=tuple(notices),
    )


async def already_decided(ctx: Context, resource_id: int, *, clicked: bool = True) -> Reply:
    """Someone decided first: say who, and refresh the post so nobody else tries."""
    resource = await find(ctx, resource_id)
    assert resource.decided_at is not None
    template = (
        N_("{name} already rejected this suggestion on {when}.")
        if resource.status is ResourceStatus.REJECTED
        else N_("{name} already approved this suggestion on {when}.")
    )
    card = review_card(translator(ctx.config.coalition.language), ctx.config, resource)
    return Reply(
        message=say(
            ctx.tr(
                template,
                name=Strong(resource.decided_by_name or "?"),
                when=ctx.moment(resource.decided_at),
            )
        ),
        update_original=card if clicked else None,
    )
