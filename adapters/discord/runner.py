"""Running the bot on Discord beside the other platforms (see adapters/platform.py)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from pydantic import SecretStr

from adapters.discord import claims
from adapters.discord.client import CoalitionClient, DiscordSettings
from adapters.discord.endpoints import apply_endpoints
from adapters.discord.form_sessions import PURGE_SECONDS, FormSessions
from adapters.discord.identity import PLATFORM
from adapters.discord.poster import DiscordPoster
from adapters.platform import PlatformProblem
from storage.discord_forms import DiscordForms

if TYPE_CHECKING:
    from adapters.bootstrap import App


REFUSED_TOKEN = (
    "Discord did not accept DISCORD_TOKEN: in the Developer Portal open your application, "
    "then Bot, choose Reset Token, set DISCORD_TOKEN to the new token, and start again."
)


def unreachable(error: BaseException) -> str:
    return (
        f"Cannot reach Discord ({error or type(error).__name__}): check this machine's internet "
        "connection and proxy (and DISCORD_API_URL, DISCORD_GATEWAY_URL if you set them), then "
        "start again."
    )


class DiscordRunner:
    platform = PLATFORM

    def __init__(
        self,
        token: SecretStr,
        settings: DiscordSettings,
        *,
        env: Mapping[str, str] | None = None,
        **client_options: Any,
    ) -> None:
        self._token = token
        self.settings = settings
        self._env = env
        self._client_options = client_options
        self.client: CoalitionClient | None = None
        self.poster: DiscordPoster | None = None
        self._started = asyncio.Event()

    async def run(self, app: App) -> None:
        """Connect, sync the commands, post the core's notices, and serve until cancelled."""
        apply_endpoints(os.environ if self._env is None else self._env)
        # Every replica receives every interaction: what it claims in the database it
        # answers; forms go on from the database, on whichever replica gets the next step.
        delivered = claims.claims_for(app.storage, app.clock)
        forms = FormSessions(DiscordForms(app.storage.sessions), app.clock)
        # Expired claims go with every platform's (adapters/bootstrap.py); expired forms here.
        app.every(PURGE_SECONDS, forms.forget_expired, name="discord-forms-purge")
        client = CoalitionClient(
            app.dispatcher,
            app.config,
            self.settings,
            claims=delivered,
            forms=forms,
            **self._client_options,
        )
        poster = DiscordPoster(client, app.config, self.settings.guild_ids)
        self.client, self.poster = client, poster
        self._started.set()
        app.broadcaster.connect(poster)
        try:
            async with client:
                await client.start(self._token.get_secret_value())
        except discord.LoginFailure:
            raise PlatformProblem(REFUSED_TOKEN) from None
        except (aiohttp.ClientError, OSError, TimeoutError, discord.GatewayNotFound) as error:
            raise PlatformProblem(unreachable(error)) from None
        except discord.HTTPException as error:
            raise PlatformProblem(
                f"Discord answered {error.status} ({error.text or 'no reason given'}) when the "
                "bot started; check DISCORD_TOKEN and the application in the Developer Portal, "
                "then start again."
            ) from None
        finally:
            app.broadcaster.disconnect(PLATFORM)

    async def connected(self) -> bool:
        """For /readyz: logged in, and the gateway's websocket open now."""
        client = self.client
        if client is None or not client.is_ready() or client.is_closed():
            return False
        return client.ws is not None and bool(client.ws.open)

    async def wait_ready(self) -> CoalitionClient:
        """The client, once connected with its commands synced and its servers known."""
        await self._started.wait()
        assert self.client is not None
        await self.client.coalition_ready.wait()
        return self.client
