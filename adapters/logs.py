"""Logging set-up that keeps secrets out of every log line."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.config import Secrets


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


def configure_logging(secrets: Secrets, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secret_values(secrets)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
