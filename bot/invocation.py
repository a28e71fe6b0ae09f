"""What an adapter hands the core: who acted, where, and what they asked for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.identity import Identity, Place


@dataclass(frozen=True, slots=True)
class ActorHints:
    """What the platform knows of a person who may not have joined yet."""

    name: str | None = None
    language: str | None = None  # e.g. "es" from the platform's locale "es-ES"
    timezone: str | None = None


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
