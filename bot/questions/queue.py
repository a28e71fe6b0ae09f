"""Upvoting, the coordinators' queue, answering and hiding."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import FieldError, UserError
from bot.i18n import translator
from bot.messages import Code, Message, Notice, Reply, Section, Strong, ToMember, say
from bot.questions.cards import queue_line
from bot.questions.model import Question, UpvoteOutcome
from bot.questions.posting import after

LIST_MAX = 25


async def _find(ctx: Context, question_id: int) -> Question:
    question = await ctx.uow.questions.get(question_id)
    if question is None:
        raise UserError(
            "There is no question {number}. Type {command} to see the open questions.",
            number=Code(f"#{question_id}"),
            command=Code("/coalition question list"),
        )
    return question


async def upvote_clicked(ctx: Context, target: str) -> Reply:
    if not target.isdigit():
        raise UserError("That button is out of date. Ask in the channel for the question's number.")
    me = ctx.require_member()
    question = await _find(ctx, int(target))
    if question.asked_by == me.id:
        raise UserError("You asked this question, so you cannot upvote it.")
    outcome = await ctx.uow.questions.upvote(question.id, me.id)
    if outcome == UpvoteOutcome.ALREADY:
        raise UserError(
            "You have already upvoted this question; each member counts once, from any of their accounts."
        )
    if outcome == UpvoteOutcome.GONE:
        raise UserError("This question is answered or hidden, so it takes no more upvotes.")
    done = ctx.tr("You upvoted question {number}.", number=Code(f"#{question.id}"))
    return Reply(message=say(done), after_commit=(after(ctx.services, question.id, "refresh"),))


async def list_open(ctx: Context, args: Args) -> Reply:
    meeting = args.get("meeting")
    questions = await ctx.uow.questions.open_questions(None if meeting is None else int(meeting))
    if not questions:
        return Reply(message=say(ctx.tr("No open questions.")))
    heading = ctx.tr("Open questions, most upvoted first:")
    lines = [queue_line(ctx.tr, q, ctx.role) for q in questions[:LIST_MAX]]
    return Reply(message=Message((Section(heading), *lines)))


async def answer(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    question = await _find(ctx, int(args["id"]))
    text = " ".join(str(args.get("answer", "")).split())
    if not text:
        raise FieldError("answer", "Write the answer, or a link to it: it cannot be empty.")
    if question.hidden:
        raise UserError("Question {number} is hidden.", number=Code(f"#{question.id}"))
    if not await ctx.uow.questions.answer(question.id, text, me.id, ctx.clock.now()):
        first = await _find(ctx, question.id)
        assert first.answered_at is not None
        raise UserError(
            "Question {number} was already answered by {name} on {when}.",
            number=Code(f"#{question.id}"),
            name=Strong(first.answered_by_name or ctx.tr.plain("Former member")),
            when=ctx.moment(first.answered_at),
        )
    done = ctx.tr("Answered question {number}.", number=Code(f"#{question.id}"))
    notices: tuple[Notice, ...] = ()
    asker = None if question.asked_by is None else await ctx.uow.members.get(question.asked_by)
    if asker is not None and asker.identities:
        # The bot knows who asked, anonymous or not: the asker is told, privately.
        tr = translator(asker.profile.language)
        told = tr(
            "Your question {number} was answered: {answer}",
            number=Code(f"#{question.id}"),
            answer=Strong(text),
        )
        notices = (Notice(ToMember(asker.identities), say(told)),)
    return Reply(
        message=say(done),
        notices=notices,
        after_commit=(after(ctx.services, question.id, "refresh"),),
    )


async def hide(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    question = await _find(ctx, int(args["id"]))
    if not await ctx.uow.questions.hide(question.id, me.id, ctx.clock.now()):
        raise UserError("Question {number} is already hidden.", number=Code(f"#{question.id}"))
    done = ctx.tr("Hid question {number}.", number=Code(f"#{question.id}"))
    return Reply(message=say(done), after_commit=(after(ctx.services, question.id, "refresh"),))
