"""Promoting an answered question into the resource library, as a "Q&A" suggestion.

It goes through the library's own suggestion use case, so coordinators review it
like any other, and the answer outlives the session.
"""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import FieldError, UserError
from bot.messages import Code, Reply
from bot.questions.model import Question
from bot.resources.model import DESCRIPTION_MAX, TITLE_MAX
from bot.resources.suggest import suggest

QA_TYPE = "Q&A"
# Where a coalition's config.toml (written before "Q&A" was a default) lacks it.
FALLBACK_TYPE = "other"


def qa_type(types: tuple[str, ...]) -> str:
    """The configured resource type a promoted question is filed under: "Q&A" as the
    config spells it ("Q & A", "q&a"), else "other", so that it can be found by type."""

    def key(kind: str) -> str:
        return "".join(kind.lower().split())

    for kind in types:
        if key(kind) == key(QA_TYPE):
            return kind
    for kind in types:
        if key(kind) == FALLBACK_TYPE:
            return kind
    return QA_TYPE


def _title(question: Question) -> str:
    if len(question.text) <= TITLE_MAX:
        return question.text
    return question.text[: TITLE_MAX - 3].rstrip() + "..."


async def _language(ctx: Context, question: Question) -> str:
    """The language the question was asked in: its asker's. An anonymous question, or one
    whose asker has left, takes the coalition's: a member's language could hint at who asked.
    (Otherwise the library would file it in the language of the coordinator promoting it.)"""
    if question.asked_by is not None and not question.anonymous:
        asker = await ctx.uow.members.get(question.asked_by)
        if asker is not None and asker.profile.language:
            return asker.profile.language
    return ctx.config.coalition.language


async def promote(ctx: Context, args: Args) -> Reply:
    question = await ctx.uow.questions.get(int(args["id"]))
    if question is None or question.hidden:
        raise UserError(
            "There is no question {number}. Type {command} to see the open questions.",
            number=Code(f"#{args['id']}"),
            command=Code("/coalition question list"),
        )
    if question.answer is None:
        raise UserError(
            "Question {number} has no answer yet: answer it first with {command}.",
            number=Code(f"#{question.id}"),
            command=Code(f'/coalition question answer {question.id} answer="..."'),
        )
    url = args.get("url") or question.answer
    if not url.lower().startswith(("http://", "https://")) and "url" not in args:
        raise FieldError(
            "url",
            "The answer to question {number} is not a link: give the page that holds it with url=.",
            number=Code(f"#{question.id}"),
        )
    return await suggest(
        ctx,
        {
            "url": url,
            "title": _title(question),
            "description": question.answer[:DESCRIPTION_MAX],
            "type": qa_type(ctx.config.lists.resource_types),
            "topics": question.topics,
            "language": await _language(ctx, question),
        },
    )
