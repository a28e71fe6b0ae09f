"""Suggesting a resource: checked, saved first, then posted for review after the commit."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import FieldError, UserError
from bot.messages import Code, Link, Reply, Strong, say, usage
from bot.resources.audit import record
from bot.resources.model import AuditAction, ResourceStatus, Suggestion
from bot.resources.posting import after_suggestion
from bot.resources.urls import normalize_url


def clean_title(args: Args) -> str:
    title = " ".join(str(args.get("title", "")).split())
    if not title:
        raise FieldError(
            "title",
            "A resource needs a title. For example: {example}",
            example=usage("", ("title", "Housing and Health Toolkit")),
        )
    return title


async def suggest(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    url, url_key = normalize_url(args["url"])
    suggestion = Suggestion(
        url=url,
        url_key=url_key,
        title=clean_title(args),
        description=args.get("description", ""),
        type=args["type"],
        topics=args.get("topics", ()),
        jurisdiction=args.get("level", ""),
        language=args.get("language") or me.profile.language,
    )
    existing = await ctx.uow.resources.by_url_key(url_key)
    resource = None if existing else await ctx.uow.resources.add(suggestion, me.id, ctx.clock.now())
    if resource is None:
        # Found before saving, or someone saved the same link a moment ago.
        existing = existing or await ctx.uow.resources.by_url_key(url_key)
        assert existing is not None
        raise duplicate_error(existing.id, existing.status, existing.url, existing.title)
    await record(ctx, resource.id, AuditAction.SUGGESTED, after=_as_dict(suggestion))
    return Reply(
        message=say(
            ctx.tr(
                "Thanks! I sent {title} to the coordinators for review. "
                "I'll send you a message when they decide.",
                title=Strong(resource.title),
            )
        ),
        after_commit=(after_suggestion(ctx.services, resource.id),),
    )


def duplicate_error(number: int, status: ResourceStatus, url: str, title: str) -> UserError:
    """The link is resource #number's already: say where it stands, and what to do."""
    link = Link(url, title)
    view = Code(f"/coalition resource view {number}")
    if status is ResourceStatus.APPROVED:
        return FieldError(
            "url",
            "That link is already in the library: {link} (see {command}).",
            link=link,
            command=view,
        )
    if status is ResourceStatus.PENDING:
        return FieldError(
            "url",
            "That link was already suggested and is waiting for review: {link}.",
            link=link,
        )
    if status is ResourceStatus.RETIRED:
        return FieldError(
            "url",
            "That link was in the library and has been retired: {link} (see {command}). Ask a coordinator if you think it should come back.",
            link=link,
            command=view,
        )
    return FieldError(
        "url",
        "That link was suggested before and not accepted: {link}. Ask a coordinator if you think it should be reconsidered.",
        link=link,
    )


def _as_dict(suggestion: Suggestion) -> dict[str, object]:
    return {
        "url": suggestion.url,
        "title": suggestion.title,
        "description": suggestion.description,
        "type": suggestion.type,
        "topics": list(suggestion.topics),
        "jurisdiction": suggestion.jurisdiction,
        "language": suggestion.language,
    }
