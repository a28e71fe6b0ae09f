"""Slack on the bot's one HTTP port: events, /readyz and /metrics side by side."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

from adapters.bootstrap import App, build_app
from adapters.logs import configure_logging
from adapters.operations import operations
from adapters.slack.runner import SlackRunner
from bot.clock import ManualClock
from bot.config import Config, Secrets
from bot.messages import ToChannel, say, text
from storage import Storage
from tests.adapters.ops_client import get_json, sample, scrape
from tests.adapters.slack.harness import SIGNING_SECRET, WAIT, settings_for
from tests.fakes.slack import FORM_CONTENT_TYPE, FakeSlack, sign_request, slash_command_body
from tests.harness import START


@asynccontextmanager
async def running(
    fake: FakeSlack, storage: Storage, **settings: Any
) -> AsyncIterator[tuple[App, SlackRunner, str, aiohttp.ClientSession]]:
    """`coalition-bot run` with Slack: the HTTP server, then the runner; ready when yielded."""
    app = build_app(Config(), Secrets(), clock=ManualClock(START), storage=storage)
    runner = SlackRunner(settings_for(fake, **settings))
    assert app.scheduler is not None
    async with (
        _started(app),
        operations(app, [runner], "127.0.0.1", 0) as server,
        aiohttp.ClientSession() as session,
    ):
        url = f"http://127.0.0.1:{server.port}"
        task = asyncio.create_task(runner.run(app))
        try:
            async with asyncio.timeout(WAIT):  # a probe's view: polled until Slack is up
                while (await get_json(session, url + "/readyz"))[1]["checks"]["slack"] != {
                    "ok": True
                }:
                    assert not task.done(), task.result()
                    await asyncio.sleep(0.02)
            yield app, runner, url, session
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


@asynccontextmanager
async def _started(app: App) -> AsyncIterator[None]:
    assert app.scheduler is not None
    await app.scheduler.start()
    try:
        yield
    finally:
        await app.scheduler.close()


async def test_http_mode_serves_slack_on_the_same_port(
    fake: FakeSlack,
    sqlite: Storage,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure_logging(Secrets(), logging.WARNING, form="json")
    monkeypatch.setattr(logging.getLogger("bot.dispatcher"), "level", logging.DEBUG)
    async with running(fake, sqlite, mode="http") as (app, _, url, session):
        payload = fake.slash_command(text="help", user_id="U1")
        body = slash_command_body(payload)
        headers = {"Content-Type": FORM_CONTENT_TYPE}
        headers.update(sign_request(SIGNING_SECRET, body, int(time.time())))
        async with session.post(url + "/slack/events", data=body, headers=headers) as response:
            assert response.status == 200
        async with session.post(url + "/slack/events", data=body) as response:
            assert response.status == 401  # unsigned: Bolt still checks every request
        samples = await scrape(session, url)
        invocations = "coalition_invocations_total"
        assert sample(samples, invocations, kind="command", name="help", outcome="ok") == 1
        # The log line the command wrote names the Slack request it answered.
        logged = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
        took = [line for line in logged if line["message"].startswith("command help took")]
        assert [line.get("interaction_id") for line in took] == [payload["trigger_id"]], logged

        # slack_sdk's rate-limit handler waits the 429 out; the metrics saw it.
        fake.fail_with_429_once("chat.postMessage", retry_after=1)
        await app.broadcaster.send("slack", ToChannel("general"), say(text("Hi")))
        samples = await scrape(session, url)
        assert sample(samples, "coalition_rate_limited_total", platform="slack") == 1


async def test_socket_mode_is_ready_once_its_websocket_is_open(
    fake: FakeSlack, sqlite: Storage
) -> None:
    async with running(fake, sqlite) as (_, runner, url, session):
        assert await runner.connected()
        status, body = await get_json(session, url + "/readyz")
        assert status == 200 and body["checks"]["slack"] == {"ok": True}
