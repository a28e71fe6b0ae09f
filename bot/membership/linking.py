"""One person, several platforms: link a second account with a one-time code."""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.catalogue import Args
from bot.context import Context
from bot.errors import UserError
from bot.membership.model import MemberStatus
from bot.messages import Code, Reply, Strong, say

CODE_LIFETIME = timedelta(minutes=10)
# No 0/O, 1/I/L: codes are read off one screen and typed on another.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


async def link(ctx: Context, args: Args) -> Reply:
    if "code" in args:
        return await _redeem(ctx, args["code"])
    me = ctx.require_member()
    code = new_code()
    await ctx.uow.link_codes.create(code, me.id, ctx.clock.now() + CODE_LIFETIME)
    return Reply(
        message=say(
            ctx.tr(
                "On your other account (Slack, Discord or the terminal), type {command} "
                "within 10 minutes. The code works once.",
                command=Code(f"/coalition link code={code}"),
            )
        )
    )


async def _redeem(ctx: Context, code: str) -> Reply:
    if ctx.member is not None and ctx.member.status is not MemberStatus.LEFT:
        raise UserError(
            "This account already has its own profile, so it can't be linked to another. "
            "Use the code on an account that has not joined yet."
        )
    member_id = await ctx.uow.link_codes.redeem(code.strip().upper(), ctx.clock.now())
    if member_id is None:
        raise UserError(
            "That code is not valid or has expired. Codes last 10 minutes: ask for a new one "
            "with {command} on the account you already use.",
            command=Code("/coalition link"),
        )
    await ctx.uow.members.link_identity(member_id, ctx.actor)
    member = await ctx.uow.members.get(member_id)
    assert member is not None
    return Reply(
        message=say(
            ctx.tr(
                "Linked: this account now belongs to {name}'s profile.", name=Strong(member.name)
            )
        )
    )
