"""Topic discussions in native threads, followers' batched notices, and the weekly digest."""

from __future__ import annotations

from bot.capability import Capability, Job
from bot.delivery import Services
from bot.discussions.commands import ACTIONS, COMMANDS
from bot.discussions.digest_delivery import post_digest
from bot.discussions.ingest import ReplyIngest
from bot.discussions.member_data import export_follows, forget_follows
from bot.discussions.replies import count_reply, notify_followers

# Reply events are buffered (bot/discussions/ingest.py); this writes a quiet moment's
# within a second. Each instance holds its own events, so every instance flushes.
REPLY_FLUSH_SECONDS = 1
# Followers are told at most once per notify_minutes; looking every minute keeps a
# batch at most a minute late.
FOLLOWER_CHECK_SECONDS = 60
# The weekly digest is posted within a minute of its time, once (claimed like
# reminders), and after a restart if it was missed.
DIGEST_CHECK_SECONDS = 60


def reply_ingest(services: Services) -> ReplyIngest:
    return ReplyIngest(services.unit_of_work, services.clock)


async def flush_replies(services: Services) -> int:
    return await services.get(ReplyIngest).flush()


async def digest(services: Services) -> int:
    return await post_digest(services, owner=services.instance)


DISCUSSIONS = Capability(
    "discussions",
    commands=COMMANDS,
    actions=ACTIONS,
    repositories=("discussions", "digest_deliveries"),
    parts=(reply_ingest,),
    # Messages in threads: a reply in a discussion's thread is counted.
    listeners=(count_reply,),
    jobs=(
        Job("discussion-reply-counts", REPLY_FLUSH_SECONDS, flush_replies, leader_only=False),
        Job("discussion-follower-notices", FOLLOWER_CHECK_SECONDS, notify_followers),
        Job("weekly-digest", DIGEST_CHECK_SECONDS, digest),
    ),
    # Reply counts still buffered are written before the database goes.
    on_stop=(flush_replies,),
    on_leave=(forget_follows,),
    export=(export_follows,),
)
