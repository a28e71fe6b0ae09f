"""What an adapter hands the core: who acted, where, and what they asked for; and what
happened on the platform that no one asked the bot for (a message in a thread)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.identity import Identity, Place


@dataclass(frozen=True, slots=True)
class ActorHints:
    """What the platform knows of a person who may not have joined yet."""

    name: str | None = None
    language: str | None = None  # e.g. "es" from the platform's locale "es-ES"
    timezone: str | None = None
    # An email the platform itself vouches for (Slack's profile email, given only with
    # the users:read.email scope), for this invocation alone: the join form offers the
    # roster's invitation of that email. Never stored, and kept out of repr so that no
    # log line carries it.
    email: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class CommandCall:
    """A command with its options, as typed values or as the strings a person typed."""

    actor: Identity
    place: Place
    path: tuple[str, ...]
    args: Mapping[str, Any] = field(default_factory=dict)
    hints: ActorHints = ActorHints()
    # True when the values come from a form the bot showed: an empty form is
    # then an answer, not a request to show the form again.
    from_form: bool = False


@dataclass(frozen=True, slots=True)
class Click:
    """A button pressed: its action and the id of what it acts on."""

    actor: Identity
    place: Place
    action: str
    target: str
    hints: ActorHints = ActorHints()


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """Someone posted a message in a thread (or a channel) the bot can see: where and when.

    Never what it says or who said it: the bot keeps no one's words. Adapters hand it
    to `Dispatcher.event`, which tells every capability's listeners (bot/capability.py).
    """

    platform: str
    channel: str
    thread: str
    at: datetime
    # The terminal: one typed reply at a time, so what it changes is written before the
    # next prompt rather than with the next batch of events.
    at_once: bool = False
