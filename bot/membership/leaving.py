"""Leaving (after a confirmation) and exporting everything held about a member."""

from __future__ import annotations

import json
from dataclasses import asdict

from bot.catalogue import Args
from bot.context import Context
from bot.errors import UserError
from bot.messages import (
    Actions,
    Attachment,
    Button,
    ButtonStyle,
    Code,
    Message,
    Reply,
    Section,
    Strong,
    Text,
    say,
)


async def leave(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    target = str(me.id)
    question = Message(
        (
            Section(
                ctx.tr(
                    "Leaving deletes your profile and everything personal I hold about you. "
                    "Before you go, you can get a copy with {command}. Delete your profile now?",
                    command=Code("/coalition export"),
                )
            ),
            Section(_what_stays(ctx)),
            Actions(
                (
                    Button(
                        ctx.tr.plain("Yes, delete my profile"),
                        "leave.confirm",
                        target,
                        ButtonStyle.DANGER,
                    ),
                    Button(ctx.tr.plain("No, keep it"), "leave.cancel", target),
                )
            ),
        )
    )
    return Reply(message=question)


async def confirm(ctx: Context, target: str) -> Reply:
    me = ctx.require_member()
    if target != str(me.id):
        raise UserError("That button was meant for someone else; it changes nothing for you.")
    # Each capability forgets its part in this unit of work (bot/member_data.py).
    await ctx.catalogue.member_data.erase(ctx.uow, me.id, at=ctx.clock.now())
    done = Message(
        (
            Section(
                ctx.tr(
                    "Your profile and personal data are deleted: your name, organization and "
                    "other profile details, your linked accounts, your meeting answers, the "
                    "discussions you followed and your poll choices (the polls' counts stay). "
                    "Thank you for being part of the coalition; you are welcome back any time "
                    "with {command}.",
                    command=Code("/coalition join"),
                )
            ),
            Section(_what_stays(ctx)),
        )
    )
    return Reply(message=done, update_original=done)


def _what_stays(ctx: Context) -> Text:
    return ctx.tr(
        "What you gave the coalition stays, without your name: the resources you suggested "
        "and the library's record of changes, the discussions you started and the meetings "
        "you scheduled. They show {former} instead of you.",
        former=Strong(ctx.tr.plain("Former member")),
    )


async def cancel(ctx: Context, target: str) -> Reply:
    me = ctx.require_member()
    if target != str(me.id):
        raise UserError("That button was meant for someone else; it changes nothing for you.")
    kept = say(ctx.tr("Good, your profile stays as it is."))
    return Reply(message=kept, update_original=kept)


async def export(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    requests = await ctx.uow.join_requests.for_member(me.id)
    changes = await ctx.uow.role_changes.history(me.id)
    data = {
        "member_id": me.id,
        "profile": {**asdict(me.profile), "interests": list(me.profile.interests)},
        "status": me.status.value,
        "role": me.role.name.lower(),
        "joined_at": me.joined_at.isoformat(),
        "accounts": [
            {"platform": i.platform, "workspace": i.workspace, "user_id": i.user_id}
            for i in me.identities
        ],
        "join_requests": [
            {
                "requested_at": r.requested_at.isoformat(),
                "decision": r.decision.value,
                "decided_at": r.decided_at.isoformat() if r.decided_at else None,
            }
            for r in requests
        ],
        "role_changes": [
            {
                "role": c.role.name.lower(),
                "granted": c.granted,
                "by": c.by_name,
                "at": c.at.isoformat(),
            }
            for c in changes
        ],
        # What each capability holds of them: suggestions, answers, follows, votes.
        **await ctx.catalogue.member_data.exported(ctx.uow, me.id),
    }
    content = json.dumps(data, indent=2, ensure_ascii=False).encode()
    return Reply(
        message=Message(
            (Section(ctx.tr("Here is everything I hold about you, as JSON.")),),
            attachments=(
                Attachment(f"coalition-member-{me.id}.json", content, "application/json"),
            ),
        )
    )
