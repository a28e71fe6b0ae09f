"""A channel name as a person types it ("#general" or "general"), for any capability."""

from __future__ import annotations

from bot.errors import FieldError
from bot.messages import Strong, usage


def channel_name(text: str) -> str:
    name = text.strip().removeprefix("#")
    if not name or " " in name or len(name) > 80:
        raise FieldError(
            "channel",
            "{value} is not a channel name. Give one name without spaces, for example {example}.",
            value=Strong(text[:80]),
            example=usage("", ("channel", "learning-sessions")),
        )
    return name
