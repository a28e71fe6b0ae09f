"""The Runner seam: `coalition-bot run` starts it, it serves until cancelled, then cleans up."""

from __future__ import annotations

import asyncio
import contextlib

from adapters.bootstrap import build_app
from adapters.slack.runner import SlackRunner
from bot.config import Config, Secrets
from storage import Storage
from tests.adapters.slack.harness import WAIT, settings_for
from tests.fakes.slack import FakeSlack


async def test_socket_mode_runner_serves_until_cancelled(fake: FakeSlack, sqlite: Storage) -> None:
    app = build_app(Config(), Secrets(), storage=sqlite)
    # As in production Socket Mode: no signing secret at all.
    runner = SlackRunner(settings_for(fake, signing_secret=None))
    serving = asyncio.create_task(runner.run(app))
    try:
        await fake.wait_connected(WAIT)
        assert app.broadcaster.platforms == ["slack"]  # the core's notices reach Slack
        envelope = await fake.send_envelope("slash_commands", fake.slash_command(text="help"))
        answer, _ = await fake.wait_ack(envelope, timeout=WAIT)
        assert answer is not None and "What I can do" in answer["text"]
    finally:
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
    assert app.broadcaster.platforms == []
    assert [c.token for c in fake.calls_to("apps.connections.open")] == ["xapp-test-app-token"]
