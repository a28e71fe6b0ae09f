"""The one place the adapter sets something of discord.py's that is not a documented API.

discord.py has no public setting for its REST base or gateway URL; adapters/discord/endpoints.py
sets the two class attributes it reads (`Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`).
These tests fail on a discord.py version that drops them; one that stops reading them fails
every adapter test, which connects to the fake Discord through them. discord.py's minor
version is pinned in pyproject.toml for it.
"""

from __future__ import annotations

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.endpoints import API_URL, GATEWAY_URL, apply_endpoints


def test_the_rest_base_is_what_every_route_is_built_on(discord_env: None) -> None:
    apply_endpoints({API_URL: "http://127.0.0.1:9/api/v10/"})
    assert Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"


def test_a_bare_host_gets_discord_pys_own_api_version(discord_env: None) -> None:
    apply_endpoints({API_URL: "http://127.0.0.1:9"})
    assert Route("GET", "/gateway").url.startswith("http://127.0.0.1:9/api/v")


def test_the_gateway_is_where_a_new_session_connects(discord_env: None) -> None:
    apply_endpoints({GATEWAY_URL: "ws://127.0.0.1:9/gateway"})
    assert yarl.URL("ws://127.0.0.1:9/gateway") == DiscordWebSocket.DEFAULT_GATEWAY
