"""Finding resources: full-text search with filters, recent additions, one resource in full.

What a person types is reduced to plain words (terms.py) before storage sees it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.catalogue import Args
from bot.context import Context
from bot.errors import FieldError, UserError
from bot.messages import Block, Code, Message, Reply, Section, Strong, say
from bot.messages import Context as Line
from bot.resources.cards import resource_line, resource_view, review_card
from bot.resources.model import (
    QUERY_MAX,
    ResourceStatus,
    SearchQuery,
    Sort,
)
from bot.resources.review import find
from bot.resources.terms import search_terms, without_controls
from bot.roles import Role

RECENT = 10


# The most values one filter takes: every type or level the coalition lists, and a
# few topics; more only makes the query longer.
VALUES_MAX = 20

Chosen = str | Sequence[str] | None


def _values(chosen: Chosen, *, clean: bool = False) -> tuple[str, ...]:
    """One value (chat) or several (the web's checkboxes), without blanks or repeats."""
    given = [chosen] if isinstance(chosen, str) else list(chosen or ())
    if clean:
        given = [without_controls(value).strip() for value in given]
    return tuple(dict.fromkeys(value for value in given if value))[:VALUES_MAX]


def library_query(
    typed: str,
    *,
    type: Chosen = None,
    topic: Chosen = None,
    language: Chosen = None,
    level: Chosen = None,
    sort: Sort | None = None,
    page: int = 1,
    per_page: int = 5,
) -> SearchQuery:
    """What a person typed and chose, as a search: the same rules in chat and on the web.
    Each filter takes one value (chat) or several (the web): any of them matches.

    Raises FieldError("query", ...) for a search too long, or with no word to look for.
    """
    if len(typed) > QUERY_MAX:  # typed options from a platform skip the parser's checks
        raise FieldError(
            "query",
            "Search for at most {limit} characters; yours has {length}. A few words from the title work best.",
            limit=str(QUERY_MAX),
            length=str(len(typed)),
        )
    terms = search_terms(typed)
    if typed and not terms:
        raise FieldError(
            "query",
            "I found no words to search for in {query}. Try a few words from the title or topic, for example: {example}",
            query=Strong(typed[:60]),
            example=Code("/coalition resource search housing toolkit"),
        )
    return SearchQuery(
        terms=terms,
        types=_values(type),
        topics=_values(topic, clean=True),
        languages=_values(language),
        jurisdictions=_values(level),
        sort=sort or (Sort.BEST if terms else Sort.NEWEST),
        page=page,
        per_page=per_page,
    )


async def search(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    sort = args.get("sort")
    query = library_query(
        args.get("query", ""),
        type=args.get("type"),
        topic=args.get("topic"),
        language=args.get("language"),
        level=args.get("level"),
        sort=Sort(sort) if sort else None,
        page=args.get("page", 1),
    )
    found = await ctx.uow.resources.search(query)
    if found.total == 0:
        return Reply(
            message=say(
                ctx.tr(
                    "No resource in the library matches that. Try fewer words or filters, or see the newest with {command}.",
                    command=Code("/coalition resource recent"),
                )
            )
        )
    if found.more_than_cap:
        count = ctx.tr.plain(
            "More than {count} resources found; add words or a filter such as type or topic.",
            count=found.total - 1,
        )
    else:
        count = ctx.tr.plural("{count} resource found", "{count} resources found", found.total)
    blocks: list[Block] = [Section((Strong(count),))]
    blocks.extend(resource_line(ctx.tr, r) for r in found.resources)
    if not found.resources:
        blocks.append(Section(ctx.tr("There are no more results on this page.")))
    if found.pages > 1:
        blocks.append(
            Line(
                ctx.tr(
                    "Page {page} of {pages}. For the next one, add {option}.",
                    page=str(found.page),
                    pages=str(found.pages),
                    option=Code(f"page={min(found.page + 1, found.pages)}"),
                )
            )
        )
    return Reply(message=Message(tuple(blocks)))


async def recent(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    latest = await ctx.uow.resources.recent(RECENT)
    if not latest:
        return Reply(
            message=say(
                ctx.tr(
                    "The library is empty so far. Suggest the first resource with {command}.",
                    command=Code("/coalition resource suggest"),
                )
            )
        )
    blocks: list[Block] = [Section(ctx.tr("Newest in the library:"))]
    blocks.extend(resource_line(ctx.tr, r) for r in latest)
    return Reply(message=Message(tuple(blocks)))


async def view(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    resource = await find(ctx, args["id"])
    is_coordinator = ctx.role >= Role.COORDINATOR
    if resource.status is not ResourceStatus.APPROVED and not (
        is_coordinator or resource.suggested_by == me.id
    ):
        # Suggestions under review, and rejected ones, are for coordinators and their suggester.
        raise UserError(
            "Resource #{number} is not in the library. Find resources with {command}.",
            number=str(resource.id),
            command=Code("/coalition resource search"),
        )
    if resource.status is ResourceStatus.PENDING and is_coordinator:
        return Reply(message=review_card(ctx.tr, ctx.config, resource))  # with its buttons
    retirement = (
        await ctx.uow.resource_retirements.of_resource(resource.id)
        if resource.status is ResourceStatus.RETIRED
        else None
    )
    return Reply(message=resource_view(ctx.tr, ctx.config, resource, retirement))
