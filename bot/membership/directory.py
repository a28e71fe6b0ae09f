"""Finding colleagues: the directory lists members who chose to be listed."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.membership.model import DIRECTORY_COUNT_CAP, DirectoryQuery
from bot.messages import Code, Field, Fields, Message, Reply, Section, Strong, say, text
from bot.messages import Context as Line


async def search(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    query = DirectoryQuery(
        organization=args.get("organization"),
        region=args.get("region"),
        discipline=args.get("discipline"),
        interest=args.get("interest"),
        name=args.get("name"),
        page=args.get("page", 1),
    )
    found = await ctx.uow.members.search(query)
    if found.total == 0:
        return Reply(
            message=say(
                ctx.tr(
                    "No listed member matches that. Try fewer filters, or see everyone with {command}.",
                    command=Code("/coalition directory"),
                )
            )
        )
    if found.more_than_cap:
        count = ctx.tr.plain(
            "More than {count} members found; add a filter such as region or interest to narrow it down.",
            count=DIRECTORY_COUNT_CAP,
        )
    else:
        count = ctx.tr.plural("{count} member found", "{count} members found", found.total)
    blocks: list[Section | Fields | Line] = [Section((Strong(count),))]
    for entry in found.members:
        blocks.append(
            Fields(
                (
                    Field(entry.display_name, text(entry.organization)),
                    Field(
                        ctx.tr.plain("Region, discipline"),
                        text(", ".join(v for v in (entry.region, entry.discipline) if v) or "—"),
                    ),
                )
            )
        )
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
