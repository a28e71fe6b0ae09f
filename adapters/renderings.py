"""The last renderings of the core's messages, kept by message object.

The core hands out the same Message object where it keeps one (help per role and
language, a member's profile card), so an adapter that keeps its last renderings
by object renders such a message once: rendering is most of the work of answering
from memory (bench/slack.py, bench/discord.py). Keyed by object, not by value:
hashing a whole message would cost about as much as rendering it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from bot.messages import Message

R = TypeVar("R")


class Renderings(Generic[R]):
    """At most `size` renderings; the oldest is dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: dict[tuple[int, Hashable], tuple[Message, R]] = {}

    def get(self, message: Message, variant: Hashable) -> R | None:
        """The rendering of this very object (in this variant), if it is kept."""
        kept = self._kept.get((id(message), variant))
        if kept is not None and kept[0] is message:
            return kept[1]
        return None

    def keep(self, message: Message, variant: Hashable, rendering: R) -> R:
        # The message is held with it, so its id cannot be reused by another object.
        self._kept[(id(message), variant)] = (message, rendering)
        if len(self._kept) > self._size:
            del self._kept[next(iter(self._kept))]
        return rendering
