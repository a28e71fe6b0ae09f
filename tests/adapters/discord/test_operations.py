"""/readyz and /metrics with the real Discord runner against the fake Discord."""

from __future__ import annotations

import aiohttp

from adapters.operations import operations
from bot.messages import ToChannel, say, text
from storage import Storage
from tests.adapters.discord.conftest import running_bot
from tests.adapters.ops_client import get_json, sample, scrape
from tests.fakes.discord import FakeDiscord


async def test_ready_when_connected_and_429s_counted(fake: FakeDiscord, sqlite: Storage) -> None:
    async with running_bot(fake, sqlite) as bot:
        app = bot.app
        assert app.scheduler is not None
        await app.scheduler.start()
        try:
            async with (
                operations(app, [bot.runner], "127.0.0.1", 0) as server,
                aiohttp.ClientSession() as session,
            ):
                url = f"http://127.0.0.1:{server.port}"
                status, body = await get_json(session, url + "/readyz")
                assert (status, body["checks"]["discord"]) == (200, {"ok": True})

                # discord.py waits a 429 out and posts; the metrics saw the 429.
                fake.rate_limit_next(r"/channels/\d+/messages", retry_after=0.01, method="POST")
                await app.broadcaster.send("discord", ToChannel("coordinators"), say(text("Hi")))
                samples = await scrape(session, url)
                assert sample(samples, "coalition_rate_limited_total", platform="discord") == 1
                assert fake.rate_limited_count == 1
        finally:
            await app.scheduler.close()
