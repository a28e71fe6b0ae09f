"""Following and unfollowing a discussion, by command or with the opening post's button."""

from __future__ import annotations

from bot.catalogue import Args
from bot.context import Context
from bot.discussions.browse import find
from bot.errors import UserError
from bot.messages import Code, Reply, Strong, say


async def _follow(ctx: Context, discussion_id: int) -> Reply:
    me = ctx.require_member()
    discussion = await find(ctx, discussion_id)
    if not discussion.is_open:
        raise UserError(
            "The discussion {title} is closed, so there is nothing new to follow. Find open ones with {command}.",
            title=Strong(discussion.title),
            command=Code("/coalition discussion list"),
        )
    if not await ctx.uow.discussions.follow(discussion.id, me.id):
        return Reply(
            message=say(
                ctx.tr(
                    "You already follow {title}.",
                    title=Strong(discussion.title),
                )
            )
        )
    return Reply(
        message=say(
            ctx.tr(
                "You now follow {title}. I'll send you a message when it has new replies, at most one every {minutes} minutes.",
                title=Strong(discussion.title),
                minutes=str(ctx.config.discussions.notify_minutes),
            )
        )
    )


async def follow(ctx: Context, args: Args) -> Reply:
    return await _follow(ctx, int(args["id"]))


async def follow_clicked(ctx: Context, target: str) -> Reply:
    if not target.isdigit():
        raise UserError(
            "That button is out of date. Find the discussion with {command}.",
            command=Code("/coalition discussion list"),
        )
    return await _follow(ctx, int(target))


async def unfollow(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    discussion = await find(ctx, int(args["id"]))
    if not await ctx.uow.discussions.unfollow(discussion.id, me.id):
        raise UserError(
            "You don't follow {title}, so there was nothing to stop.",
            title=Strong(discussion.title),
        )
    return Reply(
        message=say(
            ctx.tr(
                "You no longer follow {title}; I won't message you about it.",
                title=Strong(discussion.title),
            )
        )
    )
