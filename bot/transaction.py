"""One transaction, as the kernel knows it: the member who acts, commit, roll back.

Each capability adds its own repositories to it (bot/ports.py assembles them).
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from bot.members import Members


class Transaction(Protocol):
    """Every change a use case makes is committed whole or not at all."""

    @property
    def members(self) -> Members: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
