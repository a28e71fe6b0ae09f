"""The seam between the CLI and each chat platform's adapter.

A platform package (adapters/slack, adapters/discord) provides a module
`cli.py` with two functions:

    add_commands(commands, run_parser)  # its own subcommands and `run` options
    runner(args, secrets) -> Runner | None   # None when its tokens are not set

`coalition-bot run` starts every runner that is configured, side by side.

A runner may also have `async def connected(self) -> bool`: whether its
connection is open now, for /readyz (adapters/operations.py). Without it, a
platform counts as connected while its poster is registered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from adapters.bootstrap import App


class Runner(Protocol):
    platform: str

    async def run(self, app: App) -> None:
        """Connect, register a Poster with app.broadcaster, and serve until cancelled."""
        ...


class PlatformProblem(Exception):
    """A platform cannot serve as set up (a refused token, no network); str() says what to do.

    `coalition-bot run` prints it in place of a traceback and keeps the other platforms
    and the scheduled work going.
    """
