"""Coordinators give a meeting (a whole series, for a repeating one) an evaluation, or remove it."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.errors import FieldError, UserError
from bot.evaluations.model import Question
from bot.messages import Code, Plain, Reply, Strong, say


async def _meeting_title(ctx: Context, meeting_id: int) -> str:
    meeting = await ctx.uow.meetings.get(meeting_id)
    if meeting is None or meeting.cancelled:
        raise UserError(
            "There is no meeting {number}. Type {command} to see the meetings and their numbers.",
            number=Code(f"#{meeting_id}"),
            command=Code("/coalition meeting list"),
        )
    return meeting.title


async def add(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    meeting_id = int(args["id"])
    title = await _meeting_title(ctx, meeting_id)
    templates = ctx.config.evaluations.templates
    name = str(args.get("template") or "default").strip().lower()
    if name not in templates:
        raise FieldError(
            "template",
            "There is no evaluation template {name}; the templates are {names}.",
            name=Strong(name),
            names=Strong(", ".join(sorted(templates))),
        )
    anonymous = bool(args.get("anonymous", True))
    questions = [Question(q.text, q.kind) for q in templates[name]]
    saved = await ctx.uow.evaluations.add(
        meeting_id,
        anonymous=anonymous,
        template=name,
        questions=questions,
        by_member_id=me.id,
        at=ctx.clock.now(),
    )
    if saved is None:
        raise UserError(
            "Meeting {number} already has an evaluation. To change it, remove it with {command} and add it again.",
            number=Code(f"#{meeting_id}"),
            command=Code(f"/coalition meeting evaluation-remove {meeting_id}"),
        )
    if anonymous:
        kind = ctx.tr("It is anonymous: answers are kept without names.")
    else:
        kind = ctx.tr("It is named: answers are kept with the member's name.")
    done = ctx.tr(
        "Meeting {title} now has an evaluation. When each session ends, I'll send it to those who said Going and post a feedback button in its channel.",
        title=Strong(title),
    )
    return Reply(message=say((*done, Plain(" "), *kind)))


async def remove(ctx: Context, args: Args) -> Reply:
    meeting_id = int(args["id"])
    title = await _meeting_title(ctx, meeting_id)
    if not await ctx.uow.evaluations.remove(meeting_id, ctx.clock.now()):
        raise UserError(
            "Meeting {number} has no evaluation to remove.", number=Code(f"#{meeting_id}")
        )
    done = ctx.tr(
        "Meeting {title} no longer has an evaluation: nothing more will be sent or taken. The answers given so far are kept.",
        title=Strong(title),
    )
    return Reply(message=say(done))
