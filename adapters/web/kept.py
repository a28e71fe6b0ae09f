"""What the web adapter keeps in the process: a bounded mapping, the least recently
used dropped first.

Public pages, calendar feeds, chart drawings, sessions and the dashboard's dates
are each kept under a name that says what they show (a data version, a minute, the
chart's words), so nothing kept goes stale: the bound is there for memory alone,
and the one asked least lately is the one least likely to be asked again.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Kept(Generic[K, V]):
    """At most `limit` values by key; beyond it the least recently got or put is
    dropped. `limit` 0 (or less) keeps nothing. One event loop uses it: no lock."""

    __slots__ = ("_limit", "_values")

    def __init__(self, limit: int) -> None:
        self._values: OrderedDict[K, V] = OrderedDict()
        self._limit = max(limit, 0)

    @property
    def limit(self) -> int:
        return self._limit

    @limit.setter
    def limit(self, limit: int) -> None:
        self._limit = max(limit, 0)
        self._trim()

    def get(self, key: K) -> V | None:
        """The value kept for `key`, now the most recently used; None if not kept."""
        try:
            self._values.move_to_end(key)
        except KeyError:
            return None
        return self._values[key]

    def put(self, key: K, value: V) -> V:
        """Keep `value` as the most recently used (unless `limit` is 0); returns it."""
        if self._limit:
            self._values[key] = value
            self._values.move_to_end(key)
            self._trim()
        return value

    def clear(self) -> None:
        self._values.clear()

    def __contains__(self, key: object) -> bool:
        """Whether `key` is kept, without making it recently used."""
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)

    def _trim(self) -> None:
        while len(self._values) > self._limit:
            self._values.popitem(last=False)
