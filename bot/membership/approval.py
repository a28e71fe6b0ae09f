"""Approval mode: coordinators decide on requests to join, with buttons."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import UserError
from bot.i18n import N_, translator
from bot.membership.cards import join_request_card, welcome
from bot.membership.model import Decision, JoinRequest, Member, MemberStatus
from bot.messages import Block, Message, Notice, Reply, Section, Strong, ToMember, say
from bot.timefmt import moment


async def pending(ctx: Context, args: Args) -> Reply:
    requests = await ctx.uow.join_requests.pending()
    if not requests:
        return Reply(message=say(ctx.tr("No requests to join are waiting.")))
    blocks: list[Block] = [Section(ctx.tr("Requests waiting for a decision, oldest first:"))]
    for request in requests[:10]:
        member = await ctx.uow.members.get(request.member_id)
        assert member is not None
        blocks.extend(join_request_card(ctx.tr, member, request).blocks)
    return Reply(message=Message(tuple(blocks)))


async def approve(ctx: Context, target: str) -> Reply:
    return await _decide(ctx, target, Decision.APPROVED)


async def decline(ctx: Context, target: str) -> Reply:
    return await _decide(ctx, target, Decision.DECLINED)


async def _decide(ctx: Context, target: str, decision: Decision) -> Reply:
    me = ctx.require_member()
    request = await _request(ctx, target)
    applicant = await ctx.uow.members.get(request.member_id)
    assert applicant is not None
    now = ctx.clock.now()
    if not await ctx.uow.join_requests.decide(request.id, decision, me.id, now):
        return await _already_decided(ctx, request.id, applicant)
    decided = await _request(ctx, target)
    card = _public_card(ctx, applicant, decided, me.name)
    # Named tr so that `make messages` finds what it says (tests/core/test_i18n_sources.py).
    tr = translator(applicant.profile.language)
    if decision is Decision.APPROVED:
        await ctx.uow.members.set_status(applicant.id, MemberStatus.ACTIVE)
        told = welcome(tr, ctx.config, applicant)
        answer = ctx.tr("You approved {name}. I've welcomed them.", name=Strong(applicant.name))
    else:
        await ctx.catalogue.member_data.erase(ctx.uow, applicant.id, at=now)
        told = say(
            tr(
                "Your request to join {coalition} was not approved. If you think this is a "
                "mistake, please contact the coordinators.",
                coalition=ctx.config.coalition.name,
            )
        )
        answer = ctx.tr("You declined the request from {name}.", name=Strong(applicant.name))
    return Reply(
        message=say(answer),
        update_original=card,
        notices=(Notice(ToMember(applicant.identities), told),),
    )


async def _request(ctx: Context, target: str) -> JoinRequest:
    request = await ctx.uow.join_requests.get(int(target)) if target.isdigit() else None
    if request is None:
        raise UserError("That request to join no longer exists.")
    return request


async def _already_decided(ctx: Context, request_id: int, applicant: Member) -> Reply:
    """Someone decided first: say who, and refresh the post so nobody else tries."""
    request = await _request(ctx, str(request_id))
    assert request.decided_at is not None
    when = ctx.moment(request.decided_at)
    who = Strong(request.decided_by_name or "?")
    template = (
        N_("{name} already approved this request on {when}.")
        if request.decision is Decision.APPROVED
        else N_("{name} already declined this request on {when}.")
    )
    return Reply(
        message=say(ctx.tr(template, name=who, when=when)),
        update_original=_public_card(ctx, applicant, request, request.decided_by_name),
    )


def _public_card(
    ctx: Context, applicant: Member, request: JoinRequest, decided_by: str | None
) -> Message:
    """The decided request as the reviews channel shows it: in the coalition's language
    and zone, whoever clicked (their own answer is in theirs)."""
    coalition = ctx.config.coalition
    assert request.decided_at is not None
    when = moment(request.decided_at, coalition.timezone, coalition.language)
    return join_request_card(
        translator(coalition.language), applicant, request, decided=when, decided_by=decided_by
    )
