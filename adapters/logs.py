"""Logging set-up that keeps secrets out of every log line; text or one JSON object a line.

With `--log-format json` each record is one line of JSON: time, level, logger,
message, the exception if any, and the delivery key or the interaction id where
the code that logs knows one. Code passes them with
`log.info(..., extra={"delivery_key": ...})`, or, for everything logged while
handling one interaction, `with log_fields(interaction_id=...)`.

Log lines never carry what people wrote or who they are (message text, names,
emails): ids and catalogue names only.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from types import MappingProxyType

from bot.config import Secrets

LOG_FORMATS = ("text", "json")
# The record attributes (set through `extra=`) that a JSON line carries when present.
FIELDS = ("delivery_key", "interaction_id", "platform")
_fields: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "log_fields", default=MappingProxyType({})
)


def bind_log_fields(**fields: str) -> None:
    """These fields, and only these, on every JSON line written from now on in this task
    (and the tasks it starts): for a seam that cannot wrap the work in a block."""
    _fields.set(MappingProxyType(fields))


@contextmanager
def log_fields(**fields: str) -> Iterator[None]:
    """Add these fields to every JSON log line written in this block (and its tasks)."""
    token = _fields.set({**_fields.get(), **fields})
    try:
        yield
    finally:
        _fields.reset(token)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_fields.get())
        for name in FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                line[name] = str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


class RedactSecrets(logging.Filter):
    """Replaces any secret's value in a record's final message with a marker.

    Secrets are SecretStr everywhere in our code, but a library may still echo a
    token in an error message; this is the last line of defence.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, "[redacted]")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def secret_values(secrets: Secrets) -> list[str]:
    return [
        value.get_secret_value()
        for value in (
            secrets.slack_bot_token,
            secrets.slack_app_token,
            secrets.slack_signing_secret,
            secrets.discord_token,
            secrets.database_password,
        )
        if value is not None
    ]


def configure_logging(secrets: Secrets, level: int = logging.INFO, form: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter()
        if form == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactSecrets(secret_values(secrets)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
