"""Starting a discussion: checking what the member typed, saving it, posting the opening."""

from __future__ import annotations

import logging

from bot.catalogue import Args
from bot.channels import channel_name
from bot.context import Context
from bot.delivery import Services
from bot.discussions.cards import opening_post
from bot.discussions.model import NewDiscussion
from bot.i18n import translator
from bot.messages import Code, FollowUp, Reply, Strong, ToChannel, say

log = logging.getLogger(__name__)


async def start(ctx: Context, args: Args) -> Reply:
    me = ctx.require_member()
    new = NewDiscussion(
        # Required, trimmed and within their lengths: the dispatcher checked (bot/arguments.py).
        title=args["title"],
        question=args["question"],
        topics=tuple(args.get("topics", ())),
        channel=channel_name(args.get("channel") or ctx.config.channels.discussions),
    )
    await ctx.check_channel("channel", new.channel)
    saved = await ctx.uow.discussions.add(new, me.id, ctx.clock.now())
    done = ctx.tr(
        "Started discussion {number}, {title}. I'm posting it in {channel} with a thread for replies; you follow it, so I'll tell you of new replies.",
        number=Code(f"#{saved.id}"),
        title=Strong(saved.title),
        channel=Strong(f"#{saved.channel}"),
    )
    return Reply(message=say(done), after_commit=(after_start(ctx.services, saved.id),))


async def post_opening(
    services: Services, discussion_id: int, meeting_id: int | None = None
) -> int:
    """Post the opening message on every platform and remember each thread; how many failed.

    For a meeting occurrence's discussion, the meeting's posted announcements are then
    refreshed (at the next sweep), so their cards link to the new threads.
    """
    async with services.unit_of_work() as uow:
        discussion = await uow.discussions.get(discussion_id)
    assert discussion is not None
    message = opening_post(translator(services.config.coalition.language), discussion)
    failed = 0
    for platform in services.broadcaster.platforms:
        try:
            posted = await services.broadcaster.send(
                platform, ToChannel(discussion.channel), message
            )
        except Exception:
            log.exception("could not post discussion %s on %s", discussion_id, platform)
            failed += 1
            continue
        threads = []
        for where in posted:
            try:
                threads.append(await services.broadcaster.open_thread(where, discussion.title))
            except Exception:
                # The opening is posted; replies can still be written under it by hand.
                log.exception("could not open the thread of discussion %s", discussion_id)
        async with services.unit_of_work() as uow:
            for thread in threads:
                await uow.discussions.add_thread(discussion_id, thread)
            if meeting_id is not None and threads:
                await uow.meetings.request_refresh(meeting_id, at=services.clock.now())
            await uow.commit()
    return failed


def after_start(services: Services, discussion_id: int, meeting_id: int | None = None) -> FollowUp:
    async def follow_up() -> None:
        await post_opening(services, discussion_id, meeting_id)

    return follow_up
