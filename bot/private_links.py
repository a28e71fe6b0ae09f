"""Private web links a command hands out: a dashboard sign-in, a personal calendar feed.

The link carries a random secret; only its hash is stored, so a leaked table opens
nothing. Both need the web pages on, and say so in the same words when they are off.
"""

from __future__ import annotations

import hashlib
import secrets

from bot.context import Context
from bot.messages import Code, Reply, say


def secret_hash(secret: str) -> str:
    """What is stored of a link's secret (or a session id): its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    """A secret for a link: 256 random bits, as URL-safe text."""
    return secrets.token_urlsafe(32)


def web_pages_off(ctx: Context) -> Reply | None:
    """The answer when `[web]` is off (a link would lead nowhere); None when it is on."""
    if ctx.config.web.enabled:
        return None
    return Reply(
        message=say(
            ctx.tr(
                "The web pages are off. An operator turns them on with {setting} "
                "in the [web] section of config.toml, then restarts the bot.",
                setting=Code("enabled = true"),
            )
        ),
        private=True,
    )
