"""Who acts and where: the neutral description of a person and a place on some platform."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Identity:
    """One account on one platform: ("slack", "T024BE7LD", "U123ABC")."""

    platform: str
    workspace: str
    user_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Place:
    """Where something was said: a channel, a thread in it, or a direct message."""

    platform: str
    workspace: str
    channel: str
    thread: str | None = None
    is_direct: bool = False


@dataclass(frozen=True, slots=True)
class MemberRef:
    """A member named in a command: a platform identity, or a display name to look up."""

    identity: Identity | None = None
    name: str | None = None
