"""Answering: the button opens the form; the form (or the typed command) saves the answers."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import FieldError, UserError
from bot.evaluations.cards import ANSWER_FIELDS, SESSION_FIELD, answer_form, change_offer
from bot.evaluations.model import (
    ANSWER_MAX,
    SCALE,
    AnswerOutcome,
    Evaluation,
    Opened,
    parse_session,
)
from bot.messages import Code, Plain, Reply, Strong, say


async def _session(ctx: Context, text: str) -> tuple[Evaluation, Opened]:
    """The evaluation and occurrence a button or form names, if answers are taken."""
    found = parse_session(text)
    if found is None:
        raise FieldError(
            SESSION_FIELD,
            "That session is not one I know. Click the button in the evaluation's message again.",
        )
    evaluation = await ctx.uow.evaluations.get(found[0])
    opened = await ctx.uow.evaluations.opened(*found)
    if evaluation is None or opened is None or evaluation.removed:
        raise UserError("That evaluation is not taking answers: it was removed or never sent.")
    if ctx.clock.now() >= opened.closes_at:
        raise UserError(
            "This evaluation closed on {when}, so answers are no longer taken. Thank you all the same.",
            when=ctx.moment(opened.closes_at),
        )
    return evaluation, opened


async def answer_clicked(ctx: Context, target: str) -> Reply:
    me = ctx.require_member()
    evaluation, opened = await _session(ctx, target)
    if await ctx.uow.evaluations.answered(evaluation.id, opened.occurrence, me.id):
        if evaluation.anonymous:
            raise UserError(
                "You already answered this evaluation. It is anonymous, so nothing ties your answers to you and they cannot be changed."
            )
        return Reply(message=change_offer(ctx.tr, evaluation, opened))
    return Reply(form=answer_form(ctx.tr, evaluation, opened))


async def change_clicked(ctx: Context, target: str) -> Reply:
    me = ctx.require_member()
    evaluation, opened = await _session(ctx, target)
    mine = await ctx.uow.evaluations.named_answers(evaluation.id, opened.occurrence, me.id)
    return Reply(form=answer_form(ctx.tr, evaluation, opened, mine or ()))


def _read(ctx: Context, evaluation: Evaluation, args: Args) -> list[str]:
    """The answers in the questions' order; each scale's a number from 1 to 5."""
    answers: list[str] = []
    for name, question in zip(ANSWER_FIELDS, evaluation.questions, strict=False):
        value = str(args.get(name) or "").strip()
        asked = Strong(ctx.tr.plain(question.text))
        if question.kind == "scale" and not value:
            raise FieldError(
                name,
                "Answer {question} with a number from 1 to 5.",
                question=asked,
            )
        if question.kind == "scale" and value not in SCALE:
            raise FieldError(
                name,
                "Answer {question} with a number from 1 to 5; you gave {value}.",
                question=asked,
                value=Code(value),
            )
        if len(value) > ANSWER_MAX:
            raise FieldError(
                name,
                "Your answer to {question} can be at most {limit} characters; yours has {length}.",
                question=asked,
                limit=Plain(str(ANSWER_MAX)),
                length=Plain(str(len(value))),
            )
        answers.append(value)
    return answers


async def answer(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    evaluation, opened = await _session(ctx, str(args.get(SESSION_FIELD, "")))
    if not any(args.get(name) for name in ANSWER_FIELDS):
        return await answer_clicked(ctx, str(args[SESSION_FIELD]))
    answers = _read(ctx, evaluation, args)
    outcome = await ctx.uow.evaluations.answer(
        evaluation.id, opened.occurrence, me.id, answers, ctx.clock.now()
    )
    if outcome == AnswerOutcome.CLOSED:
        raise UserError("This evaluation has closed, so answers are no longer taken.")
    if outcome == AnswerOutcome.ALREADY:
        raise UserError(
            "You already answered this evaluation. It is anonymous, so nothing ties your answers to you and they cannot be changed."
        )
    if outcome == AnswerOutcome.CHANGED:
        return Reply(message=say(ctx.tr("Your answers are changed. Thank you.")))
    if evaluation.anonymous:
        return Reply(message=say(ctx.tr("Thank you: your answers are saved, without your name.")))
    return Reply(message=say(ctx.tr("Thank you: your answers are saved with your name.")))
