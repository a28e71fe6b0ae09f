"""Where a platform put a message: a value the core stores and hands back to edit it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """Where a platform put a message, so the core can edit it later (live counts)."""

    platform: str
    channel: str
    message_id: str
    # A link people can open (a Discord thread, a Slack permalink); "" where there is none.
    url: str = ""
