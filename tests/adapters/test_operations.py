"""/healthz, /readyz and /metrics over a real socket, on a real App, on both databases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from adapters.bootstrap import App, build_app
from adapters.discord.client import DiscordSettings
from adapters.discord.runner import DiscordRunner
from adapters.operations import operations
from adapters.platform import Runner
from bot.clock import ManualClock
from bot.config import Config, Secrets
from bot.identity import Identity, Place
from bot.invocation import Click
from storage import Storage
from tests.adapters.delivery_states import DIGEST_STATES, MEETING_STATES, NOW, seed
from tests.adapters.ops_client import get_json, sample, scrape


@dataclass
class Served:
    app: App
    url: str
    session: aiohttp.ClientSession


async def serving(storage: Storage, runners: list[Runner]) -> AsyncIterator[Served]:
    app = build_app(Config(), Secrets(), clock=ManualClock(NOW), storage=storage)
    assert app.scheduler is not None
    await app.scheduler.start()
    try:
        async with (
            operations(app, runners, "127.0.0.1", 0) as server,
            aiohttp.ClientSession() as session,
        ):
            yield Served(app, f"http://127.0.0.1:{server.port}", session)
    finally:
        await app.scheduler.close()


@pytest.fixture
async def served(storage: Storage) -> AsyncIterator[Served]:
    async for running in serving(storage, []):
        yield running


async def test_alive_and_ready_with_the_leader_named(served: Served) -> None:
    assert await get_json(served.session, served.url + "/healthz") == (200, {"status": "alive"})
    status, body = await get_json(served.session, served.url + "/readyz")
    assert status == 200
    scheduler = served.app.scheduler
    assert scheduler is not None
    assert body == {
        "ready": True,
        "instance": scheduler.owner,
        "leader": True,  # the only instance takes the lock (SQLite: always leads)
        "leader_instance": scheduler.owner,  # PostgreSQL: the lock's holder, named
        "checks": {"database": {"ok": True}, "scheduler": {"ok": True}},
    }
    async with served.session.get(served.url + "/nothing-here") as response:
        assert response.status == 404


async def test_commands_and_clicks_counted_by_name_and_outcome(served: Served) -> None:
    dispatcher = served.app.dispatcher
    who, where = Identity("console", "local", "dana"), Place("console", "local", "general")
    await dispatcher.run_text(who, where, "help")
    await dispatcher.run_text(who, where, "help")
    await dispatcher.run_text(who, where, 'profile edit name="Dana Reyes"')  # not a member
    await dispatcher.run_text(who, where, "no-such-command dana@example.org")
    await dispatcher.click(Click(who, where, "no-such-button", "1"))
    samples = await scrape(served.session, served.url)
    counted = {
        (dict(labels)["kind"], dict(labels)["name"], dict(labels)["outcome"]): value
        for (name, labels), value in samples.items()
        if name == "coalition_invocations_total"
    }
    assert counted == {
        ("command", "help", "ok"): 2,
        ("command", "profile edit", "refused"): 1,
        ("command", "unknown", "refused"): 1,
        ("click", "unknown", "refused"): 1,
    }
    latency = "coalition_invocation_seconds_count"
    assert sample(samples, latency, kind="command", name="help") == 2
    assert sample(samples, "coalition_scheduler_leader") == 1


async def test_deliveries_by_state_and_the_oldest_claim(served: Served) -> None:
    await seed(served.app.storage)
    samples = await scrape(served.session, served.url)
    for what, states in (("meeting", MEETING_STATES), ("digest", DIGEST_STATES)):
        for status, rows in states.items():
            assert sample(samples, "coalition_deliveries", what=what, status=status) == rows
    assert sample(samples, "coalition_deliveries_retried", what="meeting") == 1
    assert sample(samples, "coalition_deliveries_late") == 1
    assert sample(samples, "coalition_follower_notices_claimed") == 1
    # The follower notice claimed an hour before NOW is the oldest claim held.
    assert sample(samples, "coalition_oldest_claim_seconds") == timedelta(hours=1).total_seconds()


async def test_errors_the_driver_raises_are_counted(served: Served) -> None:
    with pytest.raises(DBAPIError):
        async with served.app.storage.engine.connect() as connection:
            await connection.execute(text("SELECT * FROM no_such_table"))
    samples = await scrape(served.session, served.url)
    assert sample(samples, "coalition_database_errors_total", kind="error") == 1
    assert sample(samples, "coalition_database_errors_total", kind="disconnect") == 0


async def test_not_ready_while_a_platform_is_not_connected(sqlite: Storage) -> None:
    # A real Discord runner, never started: its platform is not connected.
    runner = DiscordRunner(SecretStr("token"), DiscordSettings(guild_ids=(1,)))
    async for served in serving(sqlite, [runner]):
        status, body = await get_json(served.session, served.url + "/readyz")
        assert status == 503
        assert body["ready"] is False
        assert body["checks"]["discord"] == {"ok": False}
        assert body["checks"]["database"] == {"ok": True}


async def test_not_ready_and_errors_counted_when_the_database_is_unreachable() -> None:
    # Nothing listens on port 1: every connection is refused at once.
    storage = Storage(make_url("postgresql+asyncpg://bot@127.0.0.1:1/coalition"))
    app = build_app(Config(), Secrets(), clock=ManualClock(NOW), storage=storage)
    try:
        async with (
            operations(app, [], "127.0.0.1", 0) as server,
            aiohttp.ClientSession() as session,
        ):
            url = f"http://127.0.0.1:{server.port}"
            assert (await get_json(session, url + "/healthz"))[0] == 200  # alive all the same
            status, body = await get_json(session, url + "/readyz")
            assert status == 503
            assert body["checks"]["database"]["ok"] is False
            assert body["checks"]["scheduler"] == {"ok": False}  # never started
            samples = await scrape(session, url)
            errors = "coalition_database_errors_total"
            # The readiness check, then the scrape's read of the claims.
            assert sample(samples, errors, kind="unreachable") == 2
            assert sample(samples, "coalition_deliveries", what="meeting", status="sent") is None
    finally:
        await storage.dispose()


async def test_a_taken_port_is_an_oserror_the_cli_turns_into_a_sentence(sqlite: Storage) -> None:
    app = build_app(Config(), Secrets(), clock=ManualClock(NOW), storage=sqlite)
    async with operations(app, [], "127.0.0.1", 0) as first:
        with pytest.raises(OSError):
            async with operations(app, [], "127.0.0.1", first.port):
                pass
