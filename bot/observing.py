"""What the dispatcher tells an observer about each command and click (for metrics).

The core knows nothing of how it is measured: an adapter implements the protocol
(adapters/metrics.py) and sets `Dispatcher.observer`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Outcome(StrEnum):
    OK = "ok"  # answered and committed
    REFUSED = "refused"  # a UserError: the person is told why (no permission, a bad value)
    UNAVAILABLE = "unavailable"  # the database could not be reached
    FAILED = "failed"  # an unexpected error: "Something went wrong" with a reference
    CANCELLED = "cancelled"  # stopped before it finished (a shutdown)


class InvocationObserver(Protocol):
    def invoked(self, kind: str, name: str, outcome: Outcome, seconds: float) -> None:
        """One command ("command", "profile edit") or click ("click", "rsvp") finished.

        `name` is a catalogue name, or "unknown": never what a person typed.
        """
        ...
