"""Slack's answers at start-up, as sentences: a refused token, or no way to reach Slack.

Without these checks Socket Mode retries a refused app token forever, with a
traceback in the log every ten seconds, and a refused bot token shows only when
the first member types a command.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.platform import PlatformProblem

T = TypeVar("T")

# Slack's error codes for a token it does not take.
REFUSED = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "not_allowed_token_type",
    "invalid_token",
}
BOT_TOKEN_HELP = (
    "copy the Bot User OAuth Token (it starts with xoxb-) again from your Slack app's "
    "OAuth & Permissions page, set SLACK_BOT_TOKEN to it, and start again."
)
APP_TOKEN_HELP = (
    "in your Slack app's Basic Information > App-Level Tokens, generate a token with the "
    "connections:write scope (it starts with xapp-), set SLACK_APP_TOKEN to it, and start again."
)


async def check_bot_token(client: AsyncWebClient) -> None:
    """Ask Slack whether it takes the bot token, before any member needs it."""
    await answered(client.auth_test(), "SLACK_BOT_TOKEN", BOT_TOKEN_HELP, client.base_url)


async def answered(call: Awaitable[T], token: str, help_text: str, api_url: str) -> T:
    """What Slack answered; PlatformProblem saying what to do if it refused or was not there."""
    try:
        return await call
    except SlackApiError as error:
        code = _code(error.response)
        if code in REFUSED:
            raise PlatformProblem(f"Slack did not accept {token} ({code}): {help_text}") from None
        raise PlatformProblem(
            f"Slack answered {code} when the bot started; check {token} and your Slack app's "
            "settings, then start again."
        ) from None
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        raise PlatformProblem(
            f"Cannot reach Slack at {api_url} ({error or type(error).__name__}): check this "
            "machine's internet connection, proxy and SLACK_API_URL, then start again."
        ) from None


def _code(response: Any) -> str:
    try:
        return str(response["error"])
    except (KeyError, TypeError):
        return "an error"
