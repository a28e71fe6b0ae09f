"""Asking a question: checked, saved, posted after the commit to the office-hours channel,
or to the thread of its meeting's discussion where one is open."""

from __future__ import annotations

from bot.catalogue import Args
from bot.channels import channel_name
from bot.context import Context
from bot.errors import FieldError
from bot.messages import Code, Plain, Reply, Strong, say
from bot.questions.model import NewQuestion
from bot.questions.posting import after, meeting_threads


async def ask(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    text = " ".join(str(args.get("question", "")).split())
    if not text:
        raise FieldError("question", "Write your question: it cannot be empty.")
    meeting_id = args.get("meeting")
    if meeting_id is not None and await ctx.uow.meetings.get(int(meeting_id)) is None:
        raise FieldError(
            "meeting",
            "There is no meeting {number}. Type {command} to see the meetings and their numbers.",
            number=Code(f"#{meeting_id}"),
            command=Code("/coalition meeting list"),
        )
    new = NewQuestion(
        text=text,
        topics=tuple(args.get("topics", ())),
        anonymous=bool(args.get("anonymous", False)),
        meeting_id=None if meeting_id is None else int(meeting_id),
        channel=channel_name(ctx.config.channels.office_hours),
    )
    await ctx.check_channel("question", new.channel)
    saved = await ctx.uow.questions.add(new, me.id, ctx.clock.now())
    found = (
        None
        if saved.meeting_id is None
        else await meeting_threads(ctx.uow, saved.meeting_id, ctx.clock.now())
    )
    if found is not None:
        done = ctx.tr(
            "Asked question {number}. I'm posting it in the thread of {discussion}; you will be told when it is answered.",
            number=Code(f"#{saved.id}"),
            discussion=Strong(found[0]),
        )
        if saved.anonymous:
            done += (Plain(" "), *ctx.tr("It shows no name."))
    elif saved.anonymous:
        done = ctx.tr(
            "Asked question {number}, anonymously: I'm posting it in {channel} without your name. You will be told privately when it is answered.",
            number=Code(f"#{saved.id}"),
            channel=Strong(f"#{saved.channel}"),
        )
    else:
        done = ctx.tr(
            "Asked question {number}. I'm posting it in {channel}; you will be told when it is answered.",
            number=Code(f"#{saved.id}"),
            channel=Strong(f"#{saved.channel}"),
        )
    return Reply(message=say(done), after_commit=(after(ctx.services, saved.id, "post"),))
