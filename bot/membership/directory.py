"""Finding colleagues: the directory lists members who chose to be listed."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.membership.model import DIRECTORY_COUNT_CAP, DirectoryQuery
from bot.messages import (
    Code,
    Field,
    Fields,
    Given,
    Message,
    Reply,
    Section,
    Strong,
    Text,
    Usage,
    say,
    text,
)
from bot.messages import Context as Line


async def search(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    query = DirectoryQuery(
        words=args.get("words"),
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
    if not found.members:  # a page past the last: say which is the last, and how to see it
        blocks.append(Section(_past_the_end(ctx, args, found.pages)))
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
    if found.members and found.page < found.pages:
        blocks.append(
            Line(
                ctx.tr(
                    "Page {page} of {pages}. For the next one, add {option}.",
                    page=str(found.page),
                    pages=str(found.pages),
                    option=Usage("", (Given("page", str(found.page + 1)),)),
                )
            )
        )
    return Reply(message=Message(tuple(blocks)))


def _past_the_end(ctx: Context, args: Args, pages: int) -> Text:
    # The same search with the last page, so nothing else the person typed is lost.
    given = tuple(
        Given(option, str(args[option]))
        for option in ("words", "name", "organization", "region", "discipline", "interest")
        if option in args
    )
    return ctx.tr(
        "There is no page {page}: the last page is {pages}. To see it, type {command}.",
        page=str(args.get("page", 1)),
        pages=str(pages),
        command=Usage("directory", (*given, Given("page", str(pages)))),
    )
