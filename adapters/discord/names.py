"""Where each catalogue command lives on Discord, and how a member types it there.

Discord refuses an application command over 8,000 characters (see
commands.command_size), and every capability adds commands, so one `/coalition`
holding the whole catalogue cannot last. The rule is fixed rather than driven by
size, so that a command never moves because a configured list grew: each group of
the catalogue (the first word of two-word paths) is its own top-level command
(`/meeting schedule`), and one-word commands stay under `/coalition`
(`/coalition join`). A new capability's group becomes a command of its own.

The core writes commands for typed chat (`/coalition meeting list`), which is what
Slack and the terminal take; the Discord adapter rewrites them with `typed` and
`retyped` wherever it shows one.
"""

from __future__ import annotations

from functools import cache

from bot.registry import build_catalogue

ROOT = "coalition"


def top_level(path: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """A catalogue path as (Discord top-level command, subcommand path under it)."""
    # The catalogue allows one or two words, and two words always name a group's command.
    if len(path) == 2:
        return path[0], path[1:]
    return ROOT, path


def typed(command: str) -> str:
    """A catalogue command ("meeting schedule", "join") as typed on Discord."""
    top, rest = top_level(tuple(command.split()))
    return " ".join([f"/{top}", *rest])


def retyped(text: str) -> str:
    """A command the core wrote for typed chat ("/coalition meeting list 2") as on Discord.

    Only a group's commands move; anything else ("/coalition help meeting") is kept.
    """
    prefix = f"/{ROOT} "
    if text.startswith(prefix) and _group_of(text.removeprefix(prefix)):
        return "/" + text.removeprefix(prefix)
    return text


def _group_of(rest: str) -> bool:
    first = rest.split(" ", 1)[0]
    return bool(first) and first in _groups()


@cache
def _groups() -> frozenset[str]:
    # The core's catalogue: the one the dispatcher runs, built once.
    catalogue = build_catalogue()
    return frozenset(name for name in catalogue.groups() if catalogue.is_group(name))
