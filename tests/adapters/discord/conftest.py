"""The real discord.py client, our adapter, against the loopback fake Discord.

discord.py is pointed at the fake the way a coordinator would point it at another
Discord: through DISCORD_API_URL and DISCORD_GATEWAY_URL, read by the runner at
start. Nothing inside discord.py is patched; the two class attributes the
runner sets are restored after each test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from discord.gateway import DiscordWebSocket
from discord.http import Route
from pydantic import SecretStr

from adapters.bootstrap import App, build_app
from adapters.discord.client import CoalitionClient, DiscordSettings
from adapters.discord.runner import DiscordRunner
from bot.clock import ManualClock
from bot.config import Config, Secrets
from storage import Storage
from tests.fakes.discord import FakeDiscord, InteractionResponse, RecordedCall, address
from tests.fakes.discord_payloads import JSON
from tests.harness import START

WAIT = 10.0  # every wait is bounded, so a broken test fails instead of hanging


@pytest.fixture
def discord_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Restore what the runner changes in discord.py when the test is over."""
    monkeypatch.setattr(Route, "BASE", Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    yield


@pytest_asyncio.fixture
async def fake(monkeypatch: pytest.MonkeyPatch, discord_env: None) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    # The channel join requests go to (config channels.reviews), before the bot connects.
    server.guild.add_text_channel("coordinators")
    async with server:
        monkeypatch.setenv("DISCORD_API_URL", server.api_base)
        monkeypatch.setenv("DISCORD_GATEWAY_URL", server.gateway_url)
        yield server
    assert server.server_errors == []
    # Nothing the bot sent was over one of Discord's limits (the fake refuses as Discord does).
    assert server.rejected == []


@dataclass
class Bot:
    """A running adapter and what the tests need to drive it."""

    fake: FakeDiscord
    app: App
    runner: DiscordRunner
    client: CoalitionClient

    async def command(
        self, path: str, options: dict[str, Any] | None = None, *, user: str = "alice", **kw: Any
    ) -> InteractionResponse:
        payload = self.fake.slash_command(*address(path), options or {}, user=user, **kw)
        return await self.fake.interact(payload, WAIT)

    async def click(self, custom_id: str, message: JSON | int, *, user: str) -> InteractionResponse:
        payload = self.fake.component_click(custom_id, message, user=user)
        return await self.fake.interact(payload, WAIT)

    async def submit(
        self,
        modal: JSON,
        values: dict[str, str | list[str]],
        *,
        user: str = "alice",
        message: JSON | int | None = None,
    ) -> InteractionResponse:
        payload = self.fake.modal_submit(
            modal["custom_id"], values, user=user, message=message, labels=True
        )
        return await self.fake.interact(payload, WAIT)

    async def followup(self, response: InteractionResponse, index: int = 0) -> RecordedCall:
        """The index-th follow-up the bot sent on this interaction."""
        token = response.call.path.split("/")[3]

        def mine(call: RecordedCall) -> bool:
            return call.path.split("/")[3] == token

        await self.fake.wait_for_call(
            "POST",
            r"/webhooks/\d+/[^/]+",
            lambda c: mine(c) and len(self._followups(token)) > index,
            timeout=WAIT,
        )
        return self._followups(token)[index]

    def _followups(self, token: str) -> list[RecordedCall]:
        return [c for c in self.fake.find_calls("POST", r"/webhooks/\d+/[^/]+") if token in c.path]

    def user_id(self, name: str) -> int:
        return self.fake.member(name).id


@asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    storage: Storage,
    config: Config | None = None,
    *,
    defer_after: float = 2.0,
    wrap: Callable[[Any], Any] | None = None,
    global_sync: bool = False,
) -> AsyncIterator[Bot]:
    """Start the Discord runner as `coalition-bot run` would; cancel it at the end."""
    config = config or Config()
    secrets = Secrets(discord_token=SecretStr(fake.token))
    app = build_app(config, secrets, clock=ManualClock(START), storage=storage)
    if wrap is not None:
        app.dispatcher = wrap(app.dispatcher)
    settings = DiscordSettings(
        guild_ids=(fake.guild.id,), global_sync=global_sync, defer_after=defer_after
    )
    # guild_ready_timeout: discord.py otherwise waits 2 s after the last GUILD_CREATE.
    runner = DiscordRunner(SecretStr(fake.token), settings, guild_ready_timeout=0.05)
    task = asyncio.create_task(runner.run(app))
    ready = asyncio.create_task(runner.wait_ready())
    try:
        done, _ = await asyncio.wait({task, ready}, timeout=WAIT, return_when="FIRST_COMPLETED")
        if task in done:
            task.result()  # the runner stopped early: show why
        assert ready in done, "the Discord client did not become ready"
        yield Bot(fake, app, runner, ready.result())
    finally:
        ready.cancel()
        task.cancel()
        await asyncio.gather(task, ready, return_exceptions=True)
        assert task.cancelled() or task.exception() is None


@pytest_asyncio.fixture
async def bot(fake: FakeDiscord, sqlite: Storage) -> AsyncIterator[Bot]:
    async with running_bot(fake, sqlite) as running:
        yield running


def texts_of(payload: JSON | None) -> list[str]:
    """Every piece of text a message body shows: content, embed titles, descriptions, fields."""
    if not payload:
        return []
    found = [payload.get("content") or ""]
    for embed in payload.get("embeds") or []:
        found += [embed.get("title") or "", embed.get("description") or ""]
        found += [embed.get("footer", {}).get("text") or ""]
        for embed_field in embed.get("fields") or []:
            found += [embed_field["name"], embed_field["value"]]
    return [t for t in found if t]


def text_of(payload: JSON | None) -> str:
    return "\n".join(texts_of(payload))


def buttons_of(payload: JSON | None) -> list[JSON]:
    return [
        c
        for row in (payload or {}).get("components") or []
        for c in row.get("components") or []
        if c.get("type") == 2
    ]
