"""Closing a discussion: by its starter or a coordinator, with an optional summary."""

from __future__ import annotations

import logging

from bot.catalogue import Args
from bot.context import Context
from bot.delivery import Services
from bot.discussions.browse import find
from bot.discussions.cards import closing_note
from bot.discussions.model import SUMMARY_MAX, Discussion
from bot.errors import FieldError, UserError
from bot.i18n import translator
from bot.messages import Code, FollowUp, Message, Reply, Strong, ToChannel, say
from bot.roles import Role

log = logging.getLogger(__name__)


async def close(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    discussion = await find(ctx, int(args["id"]))
    if discussion.started_by != me.id and ctx.role < Role.COORDINATOR:
        raise UserError(
            "Only the member who started {title} or a coordinator can close it. Ask {name} or a coordinator.",
            title=Strong(discussion.title),
            name=Strong(discussion.started_by_name),
        )
    summary = str(args.get("summary", "")).strip()
    if len(summary) > SUMMARY_MAX:
        raise FieldError(
            "summary",
            "{field} can be at most {limit} characters; yours has {length}.",
            field=Strong("summary"),
            limit=str(SUMMARY_MAX),
            length=str(len(summary)),
        )
    if not await ctx.uow.discussions.close(discussion.id, summary, me.id, ctx.clock.now()):
        raise UserError(
            "The discussion {title} is already closed. Find open ones with {command}.",
            title=Strong(discussion.title),
            command=Code("/coalition discussion list"),
        )
    # Posted in the channel for everyone: in the coalition's language, not the closer's.
    note = closing_note(translator(ctx.config.coalition.language), discussion, summary, me.name)
    done = ctx.tr(
        "Closed {title}. It has left the list of open discussions.",
        title=Strong(discussion.title),
    )
    return Reply(message=say(done), after_commit=(after_close(ctx.services, discussion, note),))


def after_close(services: Services, discussion: Discussion, note: Message) -> FollowUp:
    """Post the closing note in each of the discussion's threads, then close them.

    Where no thread was recorded on a connected platform (it failed to post, or
    the platform has no threads), the note goes to the discussion's channel.
    """

    async def follow_up() -> None:
        broadcaster = services.broadcaster
        threaded = {thread.platform for thread in discussion.threads}
        for thread in discussion.threads:
            if thread.platform not in broadcaster.platforms:
                continue
            try:
                await broadcaster.post_in_thread(thread, note)
                await broadcaster.close_thread(thread)
            except Exception:
                log.exception("could not close the thread of discussion %s", discussion.id)
        for platform in broadcaster.platforms:
            if platform not in threaded:
                try:
                    await broadcaster.send(platform, ToChannel(discussion.channel), note)
                except Exception:
                    log.exception("could not post the closing of discussion %s", discussion.id)

    return follow_up
