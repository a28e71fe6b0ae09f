"""Coordinators correct a suggestion (title, description, type, topics) before deciding."""

from __future__ import annotations

from dataclasses import replace

from bot.catalogue import CLEAR_WORDS, Args
from bot.context import Context
from bot.errors import UserError
from bot.forms import form_for
from bot.i18n import N_
from bot.messages import Reply, Strong, say
from bot.resources.audit import record
from bot.resources.model import AuditAction, Resource, ResourceStatus, correction_as_dict
from bot.resources.review import already_decided, find, refreshed_posts
from bot.resources.suggest import clean_title

EDIT = ("resource", "edit")


def _prefilled(resource: Resource) -> dict[str, str]:
    return {
        "id": str(resource.id),
        "title": resource.title,
        "description": resource.description,
        "type": resource.type,
        "topics": ", ".join(resource.topics),
    }


async def open_form(ctx: Context, target: str) -> Reply:
    """The Edit button: a form with the current values."""
    ctx.require_member()
    resource = await find(ctx, target)
    if resource.status is not ResourceStatus.PENDING:
        return await already_decided(ctx, resource.id)
    return Reply(form=form_for(ctx, EDIT, _prefilled(resource)))


async def edit(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    resource = await find(ctx, args["id"])
    _refuse_decided(resource)
    if set(args) == {"id"}:
        return Reply(form=form_for(ctx, EDIT, _prefilled(resource)))
    before = resource.correction
    after = replace(
        before,
        title=clean_title(args) if "title" in args else before.title,
        description=_description(args, before.description),
        type=args.get("type", before.type),
        topics=args.get("topics", before.topics),
    )
    if after == before:
        return Reply(message=say(ctx.tr("Nothing changed: the values are the same as before.")))
    if not await ctx.uow.resources.correct(resource.id, after):
        _refuse_decided(await find(ctx, resource.id))  # decided a moment ago
    old, new = correction_as_dict(before), correction_as_dict(after)
    changed = [key for key in old if old[key] != new[key]]
    await record(
        ctx,
        resource.id,
        AuditAction.EDITED,
        before={k: old[k] for k in changed},
        after={k: new[k] for k in changed},
    )
    corrected = await find(ctx, resource.id)
    return Reply(
        message=say(
            ctx.tr(
                "Saved your changes to {title}. It still waits for a decision.",
                title=Strong(corrected.title),
            )
        ),
        notices=refreshed_posts(ctx, corrected, clicked=False),
    )


# What a coordinator types to remove a description (see the field's help).
REMOVE = CLEAR_WORDS


def _description(args: Args, current: str) -> str:
    given = args.get("description")
    if given is None:
        return current
    return "" if str(given).strip().lower() in REMOVE else str(given)


def _refuse_decided(resource: Resource) -> None:
    if resource.status is ResourceStatus.PENDING:
        return
    template = (
        N_(
            "#{number} was already approved by {name}; only suggestions waiting for review can be edited."
        )
        if resource.status is ResourceStatus.APPROVED
        else N_(
            "#{number} was already rejected by {name}; only suggestions waiting for review can be edited."
        )
    )
    raise UserError(template, number=str(resource.id), name=Strong(resource.decided_by_name or "?"))
