"""Errors the core turns into clear, private sentences for the person who acted.

The message is an msgid (English source text) and its values; the dispatcher
translates it into the person's language. Anything else that escapes a use case
is a bug or an outage: the transaction is rolled back and the person is told
that nothing was saved.
"""

from __future__ import annotations

from bot.messages import Span


class UserError(Exception):
    """Something the person can fix: the message says what was wrong and what to type."""

    def __init__(self, msgid: str, /, **values: str | Span) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.values = values


class FieldError(UserError):
    """A bad or missing value of one option; forms show it next to that field."""

    def __init__(self, field: str, msgid: str, /, **values: str | Span) -> None:
        super().__init__(msgid, **values)
        self.field = field
        # A refused form's answers as a command to send again (set by the dispatcher), for
        # a platform whose form closed before the error came back.
        self.answers: tuple[Span, ...] | None = None


class StorageUnavailable(Exception):
    """The database cannot be reached; raised by storage so the core needs no SQL imports."""
