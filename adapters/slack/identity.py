"""Who acted and where, from Slack payloads; what Slack knows of them, from users.info.

Identity("slack", team_id, user_id) and Place("slack", team_id, channel_id, ...).
Hints (name, time zone, language) pre-fill the join form and pick the language
of a person who has not joined yet; they are cached, since every command asks.
With the `users:read.email` scope Slack adds the person's email to users.info's
profile (without it, it leaves the field out: nothing fails), which the core
matches against the roster's invitations; it lives in the hints in memory only,
is never stored, and is never logged (ActorHints leaves it out of its repr).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import PLATFORM
from bot.i18n import locale_language
from bot.identity import Identity, Place
from bot.invocation import ActorHints

log = logging.getLogger(__name__)

NO_HINTS = ActorHints()


def identity(team_id: str, user_id: str) -> Identity:
    return Identity(PLATFORM, team_id, user_id)


def place(
    team_id: str, channel_id: str, *, thread: str | None = None, channel_name: str = ""
) -> Place:
    # Direct messages have ids starting with D; slash commands also say "directmessage".
    direct = channel_id.startswith("D") or channel_name == "directmessage"
    return Place(PLATFORM, team_id, channel_id, thread=thread or None, is_direct=direct)


def team_of(body: Mapping[str, Any]) -> str:
    """The workspace of an interaction payload (block_actions, view_submission, ...)."""
    team = body.get("team") or {}
    user = body.get("user") or {}
    return str(team.get("id") or user.get("team_id") or body.get("team_id") or "")


class People:
    """ActorHints per user from users.info, cached for an hour.

    A lookup that fails or takes longer than `wait` seconds gives empty hints,
    so a slow Slack never delays an answer past Slack's 3-second window.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        ttl: float = 3600.0,
        size: int = 10_000,
        wait: float = 1.0,
    ) -> None:
        self._client = client
        self._ttl = ttl
        self._size = size
        self._wait = wait
        self._cache: OrderedDict[str, tuple[float, ActorHints]] = OrderedDict()

    async def hints(self, user_id: str, fallback_name: str = "") -> ActorHints:
        cached = self._cache.get(user_id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        try:
            async with asyncio.timeout(self._wait):
                response = await self._client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, TimeoutError, OSError) as error:
            log.warning("users.info for %s failed (%s); going on without hints", user_id, error)
            return ActorHints(name=fallback_name or None)
        hints = _hints(response.get("user") or {}, fallback_name)
        self._cache[user_id] = (time.monotonic() + self._ttl, hints)
        self._cache.move_to_end(user_id)
        while len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return hints


def _hints(user: Mapping[str, Any], fallback_name: str) -> ActorHints:
    profile = user.get("profile") or {}
    # The full name suits a coalition directory better than a chat handle.
    name = (
        profile.get("real_name")
        or user.get("real_name")
        or profile.get("display_name")
        or fallback_name
        or user.get("name")
    )
    return ActorHints(
        name=name or None,
        language=locale_language(user.get("locale")),
        timezone=user.get("tz") or None,
        email=_verified_email(user, profile),
    )


def _verified_email(user: Mapping[str, Any], profile: Mapping[str, Any]) -> str | None:
    """The profile's email, unless Slack says it was never confirmed (an email that
    only someone's typing vouches for must not open another person's invitation)."""
    email = profile.get("email")
    if not isinstance(email, str) or not email or user.get("is_email_confirmed") is False:
        return None
    return email
