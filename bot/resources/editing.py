"""Coordinators correct a resource: a suggestion before deciding, or one in the library.

Every field can be corrected, the link too (checked as a suggestion's is, and
refused if another resource has it). The audit trail keeps what changed.
"""

from __future__ import annotations

from dataclasses import replace

from bot.catalogue import CLEAR_WORDS, Args
from bot.context import Context
from bot.errors import UserError
from bot.forms import form_for
from bot.i18n import N_
from bot.messages import Code, Reply, Strong, say
from bot.resources.audit import record
from bot.resources.model import (
    AuditAction,
    Correction,
    Resource,
    ResourceStatus,
    correction_as_dict,
)
from bot.resources.review import already_decided, find, refreshed_posts
from bot.resources.suggest import clean_title, duplicate_error
from bot.resources.urls import normalize_url

EDIT = ("resource", "edit")
EDITABLE = frozenset({ResourceStatus.PENDING, ResourceStatus.APPROVED})


def _prefilled(resource: Resource) -> dict[str, str]:
    return {
        "id": str(resource.id),
        "url": resource.url,
        "title": resource.title,
        "description": resource.description,
        "type": resource.type,
        "topics": ", ".join(resource.topics),
        "level": resource.jurisdiction,
        "language": resource.language,
    }


async def open_form(ctx: Context, target: str) -> Reply:
    """The Edit button of a review post: a form with the current values."""
    ctx.require_member()
    resource = await find(ctx, target)
    if resource.status is not ResourceStatus.PENDING:
        return await already_decided(ctx, resource.id)
    return Reply(form=form_for(ctx, EDIT, _prefilled(resource)))


async def edit(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    resource = await find(ctx, args["id"])
    _refuse_uneditable(resource)
    if set(args) == {"id"}:
        return Reply(form=form_for(ctx, EDIT, _prefilled(resource)))
    before = resource.correction
    after = replace(
        before,
        title=clean_title(args) if "title" in args else before.title,
        description=_description(args, before.description),
        type=args.get("type", before.type),
        topics=args.get("topics", before.topics),
        jurisdiction=args.get("level", before.jurisdiction),
        language=args.get("language") or before.language,
    )
    if "url" in args:
        after = await _with_link(ctx, resource, after, str(args["url"]))
    old, new = correction_as_dict(before), correction_as_dict(after)
    changed = [key for key in old if old[key] != new[key]]
    if not changed:
        return Reply(message=say(ctx.tr("Nothing changed: the values are the same as before.")))
    if not await ctx.uow.resources.correct(resource.id, after):
        _refuse_uneditable(await find(ctx, resource.id))  # decided or retired a moment ago
    await record(
        ctx,
        resource.id,
        AuditAction.EDITED,
        before={k: old[k] for k in changed},
        after={k: new[k] for k in changed},
    )
    corrected = await find(ctx, resource.id)
    if corrected.status is ResourceStatus.PENDING:
        saved = ctx.tr(
            "Saved your changes to {title}. It still waits for a decision.",
            title=Strong(corrected.title),
        )
    else:
        saved = ctx.tr(
            "Saved your changes to {title}. Search and the library export show them now; "
            "messages posted about it earlier stay as they were.",
            title=Strong(corrected.title),
        )
    return Reply(message=say(saved), notices=refreshed_posts(ctx, corrected, clicked=False))


async def _with_link(ctx: Context, resource: Resource, after: Correction, typed: str) -> Correction:
    """The correction with the new link, unless another resource has that page already."""
    url, key = normalize_url(typed)
    if key != resource.url_key:
        other = await ctx.uow.resources.by_url_key(key)
        if other is not None and other.id != resource.id:
            raise duplicate_error(other.id, other.status, other.url, other.title)
    return replace(after, url=url, url_key=key)


# What a coordinator types to remove a description (see the field's help).
REMOVE = CLEAR_WORDS


def _description(args: Args, current: str) -> str:
    given = args.get("description")
    if given is None:
        return current
    return "" if str(given).strip().lower() in REMOVE else str(given)


def _refuse_uneditable(resource: Resource) -> None:
    if resource.status in EDITABLE:
        return
    template = (
        N_(
            "#{number} was rejected by {name}, so it is not in the library. Only suggestions waiting for review and resources in the library can be edited. See it with {command}."
        )
        if resource.status is ResourceStatus.REJECTED
        else N_(
            "#{number} was retired from the library. Only suggestions waiting for review and resources in the library can be edited. See who retired it and why with {command}."
        )
    )
    raise UserError(
        template,
        number=str(resource.id),
        name=Strong(resource.decided_by_name or "?"),
        command=Code(f"/coalition resource view {resource.id}"),
    )
