"""The SQL statements a piece of code sends: to show that a request writes nothing,
or reads no more than a version row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from storage import Storage


@contextmanager
def statements(storage: Storage) -> Iterator[list[str]]:
    """Every statement sent while inside, as its SQL text, lower case."""
    sent: list[str] = []

    def note(
        _conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
    ) -> None:
        sent.append(" ".join(statement.lower().split()))

    engine = storage.engine.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def writes(sent: list[str]) -> list[str]:
    return [s for s in sent if s.startswith(("insert", "update", "delete"))]


def queries(sent: list[str]) -> list[str]:
    """What was asked of the data: `sent` without transaction control (BEGIN, COMMIT)."""
    control = ("begin", "commit", "rollback", "savepoint", "release")
    return [s for s in sent if not s.startswith(control)]
