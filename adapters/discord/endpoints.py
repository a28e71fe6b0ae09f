"""Pointing discord.py at another Discord: a test server, a proxy, a fake.

discord.py builds every REST URL from `discord.http.Route.BASE` and connects a
plain Client to `DiscordWebSocket.DEFAULT_GATEWAY` (later to the resume URL
Discord gives in READY). These two settings are all that is changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import INTERNAL_API_VERSION, Route

API_URL = "DISCORD_API_URL"  # e.g. http://127.0.0.1:8080/api/v10
GATEWAY_URL = "DISCORD_GATEWAY_URL"  # e.g. ws://127.0.0.1:8080/gateway
_VERSIONED = re.compile(r"/api/v\d+/?$")


def apply_endpoints(env: Mapping[str, str]) -> None:
    """Set discord.py's REST base and gateway URL from the environment, when given."""
    if api := env.get(API_URL, "").strip():
        api = api.rstrip("/")
        # The base includes the API version; a bare host gets discord.py's own version.
        Route.BASE = api if _VERSIONED.search(api) else f"{api}/api/v{INTERNAL_API_VERSION}"
    if gateway := env.get(GATEWAY_URL, "").strip():
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
