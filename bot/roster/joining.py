"""Joining with an invitation code: the join form pre-filled from the roster row.

The membership capability's join use case calls these functions; the rules of
joining stay there. A code is checked when the form opens and again when it is sent.
A person whose platform vouches for their email (Slack with `users:read.email`) and
whose email is on a pending invitation gets that invitation's form without typing the
code: it is filled in for them, and sending the form uses it as a typed one would.
"""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.messages import Code
from bot.roster.model import Invitation, InvitationStatus, normal_code


async def _invitation(ctx: Context, typed: str) -> Invitation:
    code = normal_code(typed)
    invitation = await ctx.uow.invitations.by_code(code)
    if invitation is None:
        raise UserError(
            "I don't know the invitation code {code}. Copy it from your invitation email "
            "(it looks like {example}), or type {command} to join without one.",
            code=Code(typed),
            example=Code("ABCDE-FGH23"),
            command=Code("/coalition join"),
        )
    if invitation.status is InvitationStatus.USED:
        raise UserError(
            "The invitation code {code} was already used to join. To join without it, "
            "type {command}; if you did not use it, tell a coordinator.",
            code=Code(typed),
            command=Code("/coalition join"),
        )
    return invitation


async def invitation_values(ctx: Context, typed: str) -> dict[str, str]:
    """The join form's values from the roster row of this code."""
    entry = (await _invitation(ctx, typed)).entry
    values = {
        "name": entry.name,
        "organization": entry.organization,
        "discipline": entry.discipline,
        "region": entry.region,
        "jurisdiction": entry.jurisdiction,
        "code": normal_code(typed),
    }
    return {name: value for name, value in values.items() if value}


async def invitation_values_for_email(ctx: Context, email: str) -> dict[str, str]:
    """The join form's values from the pending invitation of this verified email, if
    the roster has one; nothing otherwise (the ordinary form)."""
    key = email.strip().lower()  # the roster keeps emails lower case (reading.py)
    if not key:
        return {}
    invitation = (await ctx.uow.invitations.by_emails([key])).get(key)
    if invitation is None or invitation.status is not InvitationStatus.PENDING:
        return {}
    return await invitation_values(ctx, invitation.code)


async def check_invitation(ctx: Context, typed: str) -> None:
    """UserError, with what to type, if the code cannot be used to join."""
    await _invitation(ctx, typed)


async def use_invitation(ctx: Context, typed: str, member_id: int) -> None:
    """Mark the code's invitation used by this member, in the join's own transaction."""
    invitation = await _invitation(ctx, typed)
    if not await ctx.uow.invitations.mark_used(invitation.id, member_id, at=ctx.clock.now()):
        raise UserError(
            "The invitation code {code} was already used to join. To join without it, "
            "type {command}; if you did not use it, tell a coordinator.",
            code=Code(typed),
            command=Code("/coalition join"),
        )
