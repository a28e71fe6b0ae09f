"""Finding discussions: open ones first, by topic, by words in the title and question."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.discussions.cards import discussion_line
from bot.discussions.model import QUERY_MAX, Discussion, DiscussionQuery
from bot.errors import FieldError, UserError
from bot.messages import Block, Code, Message, Reply, Section, Strong
from bot.resources.terms import search_terms


async def find(ctx: Context, discussion_id: int) -> Discussion:
    """The discussion with that number, or a clear error."""
    found = await ctx.uow.discussions.get(discussion_id)
    if found is None:
        raise UserError(
            "There is no discussion number {number}. See the numbers with {command}.",
            number=Strong(str(discussion_id)),
            command=Code("/coalition discussion list"),
        )
    return found


async def list_discussions(ctx: Context, args: Args) -> Reply:
    ctx.require_member()
    typed = str(args.get("words", ""))
    if len(typed) > QUERY_MAX:
        raise FieldError(
            "words",
            "Search for at most {limit} characters; yours has {length}. A few words from the title work best.",
            limit=str(QUERY_MAX),
            length=str(len(typed)),
        )
    words = search_terms(typed)
    topics = tuple(args.get("topic", ()))
    found = await ctx.uow.discussions.find(
        DiscussionQuery(topic=topics[0] if topics else "", words=words)
    )
    if not found:
        return Reply(
            message=Message(
                (
                    Section(
                        ctx.tr(
                            "No discussion matches. Start one with {command}.",
                            command=Code("/coalition discussion start"),
                        )
                    ),
                )
            )
        )
    blocks: list[Block] = [Section(ctx.tr("Discussions, open ones first:"))]
    blocks.extend(discussion_line(ctx.tr, d, ctx.moment, ctx.actor.platform) for d in found)
    return Reply(message=Message(tuple(blocks)))
