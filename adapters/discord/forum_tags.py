"""Which of a forum channel's tags a post gets, from what the message is about."""

from __future__ import annotations

from collections.abc import Sequence

import discord

APPLIED_TAGS_MAX = 5  # Discord refuses a forum post with more tags than this


def tags_for(forum: discord.ForumChannel, topics: Sequence[str]) -> list[discord.ForumTag]:
    """The forum's tags named like the topics (any case); when the forum requires a tag
    and none matches, its first tag, since Discord refuses an untagged post there (40067)."""
    wanted = {topic.casefold() for topic in topics}
    chosen = [tag for tag in forum.available_tags if tag.name.casefold() in wanted]
    if not chosen and forum.flags.require_tag:
        chosen = list(forum.available_tags[:1])
    return chosen[:APPLIED_TAGS_MAX]
