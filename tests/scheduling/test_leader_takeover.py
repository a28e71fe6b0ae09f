"""Two replicas on PostgreSQL, the leader killed with SIGKILL while it delivers.

Two real `coalition-bot run` processes share one PostgreSQL database and a fake
platform. Both name the same leader in /readyz (the holder of the scheduler's
advisory lock). The fake holds its answers, so the leader dies with one post per
channel and per direct message taken by the platform and none marked sent. The
other replica takes the lock (PostgreSQL frees it when the dead process's session
ends), takes the claims over and finds the posts already made by their keys: each
reminder exists once, nothing stays claimed, and the survivor names itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.identity import Identity
from tests.adapters.ops_client import get_json
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack
from tests.scheduling.platform_process import (
    WAIT,
    Story,
    discord_env,
    each_once,
    kill,
    kill_all,
    log_of,
    ready_url,
    seed,
    shown,
    slack_env,
    start,
    until,
)
from tests.scheduling.process_database import ProcessDatabase, process_database

pytestmark = pytest.mark.postgres
CHANNELS = ("c0", "c1", "c2")


@dataclass(frozen=True)
class Replica:
    process: asyncio.subprocess.Process
    url: str
    name: str  # the instance's name, as /readyz says it
    home: Path  # its working directory: config and log

    def log(self) -> str:
        return log_of(self.home, self.home.name)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[ProcessDatabase]:
    async with process_database("postgresql", tmp_path) as database:
        yield database


async def leader_named(session: aiohttp.ClientSession, replicas: list[Replica]) -> Replica:
    """The replica every /readyz names as the leader, once all are ready (a standby
    serves commands: it is ready too) and agree on one."""
    async with asyncio.timeout(WAIT):
        while True:
            said = [(await get_json(session, r.url + "/readyz"))[1] for r in replicas]
            named = {body["leader_instance"] for body in said}
            leaders = [r for r, body in zip(replicas, said, strict=True) if body["leader"]]
            agreed = len(named) == 1 and len(leaders) == 1 and leaders[0].name in named
            if agreed and all(body["ready"] for body in said):
                return leaders[0]
            await asyncio.sleep(0.05)  # a probe polls; the lock changes hands on its own time


@asynccontextmanager
async def two_replicas(
    tmp_path: Path, env: dict[str, str], database: ProcessDatabase
) -> AsyncIterator[tuple[list[Replica], aiohttp.ClientSession]]:
    processes: list[asyncio.subprocess.Process] = []
    try:
        for name in ("one", "two"):
            (tmp_path / name).mkdir()
            processes.append(await start(tmp_path / name, name, env, database))
        async with aiohttp.ClientSession() as session:
            replicas = []
            for process, name in zip(processes, ("one", "two"), strict=True):
                url = await ready_url(process)
                _, body = await get_json(session, url + "/readyz")
                replicas.append(Replica(process, url, body["instance"], tmp_path / name))
            yield replicas, session
    finally:
        await kill_all(processes)


async def take_over(
    tmp_path: Path,
    env: dict[str, str],
    database: ProcessDatabase,
    story: Story,
    in_flight: Callable[[], Awaitable[None]],
    release: Callable[[], None],
) -> None:
    """Kill the leader with the posts in flight; the other delivers the rest, once."""
    async with two_replicas(tmp_path, env, database) as (replicas, session):
        leader = await leader_named(session, replicas)
        await in_flight()
        await kill(leader.process)
        assert await database.count("status = 'claimed'") == story.deliveries  # none marked
        release()
        survivor = next(r for r in replicas if r is not leader)
        await until(database, "status = 'sent'", story.deliveries, survivor.process)
        assert await database.count("status <> 'sent'") == 0  # nothing left claimed
        assert await leader_named(session, [survivor]) == survivor  # it names itself
    for replica in replicas:
        assert "Traceback" not in replica.log()


async def test_slack_leader_killed_the_other_posts_the_rest_once(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    story = Story(CHANNELS, 2, (Identity("slack", "T1", "U1"),))
    await seed(database, story)
    users: dict[str, dict[str, Any]] = {"U1": {"real_name": "Maria"}}
    channels = {name: f"C{100 + n}" for n, name in enumerate(CHANNELS)}
    async with FakeSlack(users=users, channels=channels) as fake:
        fake.hold_answers("chat.postMessage")
        count = len(CHANNELS) + len(story.going)

        async def in_flight() -> None:
            await fake.wait_for_calls("chat.postMessage", count, timeout=WAIT)

        await take_over(tmp_path, slack_env(fake), database, story, in_flight, fake.release_answers)
        for name, channel_id in channels.items():
            each_once(story, name, (m["text"] for m in fake.messages_in(channel_id)))
        (dm,) = {str(c.response["channel"]["id"]) for c in fake.calls_to("conversations.open")}
        each_once(story, CHANNELS[0], (m["text"] for m in fake.messages_in(dm)))
        assert fake.errors == []


async def test_discord_leader_killed_the_other_posts_the_rest_once(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    fake = FakeDiscord()
    for name in CHANNELS:
        fake.guild.add_text_channel(name)
    guild = str(fake.guild.id)
    story = Story(CHANNELS, 2, (Identity("discord", guild, str(fake.member("alice").id)),))
    await seed(database, story)
    async with fake:
        posts = "/channels/{channel_id}/messages"
        fake.hold_answers("POST", posts)
        count = len(CHANNELS) + len(story.going)

        async def in_flight() -> None:
            await fake.wait_for_calls("POST", posts, count, timeout=WAIT)

        await take_over(
            tmp_path, discord_env(fake), database, story, in_flight, fake.release_answers
        )
        for name in CHANNELS:
            each_once(story, name, map(shown, fake.messages_in(name)))
        each_once(story, CHANNELS[0], map(shown, fake.messages_in(fake.dm_channel("alice"))))
        assert fake.server_errors == [] and fake.rejected == []
