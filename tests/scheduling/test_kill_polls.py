"""kill -9 while a poll's results are going out: they are posted exactly once.

A real `coalition-bot run` process against the fake Slack, and against the fake
Discord (which answers a repeated nonce with the message it made). A poll closed a minute
ago; the process closes it and posts its results, but the fake holds its answer, so
the process dies after Slack stored the post and before the bot heard back: the
results are claimed, not marked posted. A second process takes the claim over once
it is stale, finds the post in the channel's history (its key is in the message
metadata) and does not post it again. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.identity import Identity
from bot.membership.model import Profile
from bot.polls.model import NewPoll
from tests.databases import BACKENDS
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack
from tests.scheduling.platform_process import (
    WAIT,
    discord_env,
    killed_after,
    log_of,
    shown,
    slack_env,
    until_shown,
)
from tests.scheduling.process_database import ProcessDatabase, process_database

QUESTION = "Which topic next?"


@pytest.fixture(params=BACKENDS)
async def database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[ProcessDatabase]:
    async with process_database(request.param, tmp_path) as database:
        yield database


async def seed(database: ProcessDatabase, account: Identity) -> None:
    now = datetime.now(UTC)  # the bot processes run on the wall clock
    async with database.storage.unit_of_work() as uow:
        admin = await uow.members.add(Profile("Dana", "HQ"), account, pending=False, at=now)
        await uow.polls.add(
            NewPoll(
                QUESTION,
                ("Housing", "Heat"),
                multiple=False,
                anonymous=True,
                live=True,
                channel="c0",
                closes_at=now - timedelta(minutes=1),
            ),
            admin.id,
            now - timedelta(days=1),
        )
        await uow.commit()


async def results_pending(database: ProcessDatabase) -> bool:
    return bool(await database.count("results_due_at IS NOT NULL", "polls"))


async def until_posted(database: ProcessDatabase, process: asyncio.subprocess.Process) -> None:
    async def posted() -> bool:
        return not await results_pending(database)

    await until_shown(posted, lambda: "the results were not marked posted", process)


async def test_poll_results_taken_before_a_kill_are_found_not_repeated(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    await seed(database, Identity("slack", "T1", "U1"))
    users: dict[str, dict[str, Any]] = {"U1": {"real_name": "Dana"}}
    async with FakeSlack(users=users, channels={"c0": "C100"}) as fake:
        fake.hold_answers("chat.postMessage")
        async with killed_after(tmp_path, "first", slack_env(fake), database):
            await fake.wait_for_calls("chat.postMessage", 1, timeout=WAIT)
        assert len(fake.calls_to("chat.postMessage")) == 1  # Slack took the results...
        assert await results_pending(database)  # ...not marked posted
        fake.release_answers()

        async with killed_after(tmp_path, "second", slack_env(fake), database) as second:
            await until_posted(database, second)
        assert "Traceback" not in log_of(tmp_path, "second")
        results = [m for m in fake.messages_in("C100") if QUESTION in m["text"]]
        assert len(results) == 1, fake.messages_in("C100")
        assert fake.errors == []


async def test_discord_poll_results_taken_before_a_kill_are_answered_by_their_nonce(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    fake = FakeDiscord()
    channel = fake.guild.add_text_channel("c0")
    guild = str(fake.guild.id)
    await seed(database, Identity("discord", guild, str(fake.member("alice").id)))
    async with fake:
        posts = "/channels/{channel_id}/messages"
        fake.hold_answers("POST", posts)
        async with killed_after(tmp_path, "first", discord_env(fake), database):
            await fake.wait_for_calls("POST", posts, 1, timeout=WAIT)
        assert len(fake.find_calls("POST", posts)) == 1  # Discord made the post...
        assert await results_pending(database)  # ...not marked posted
        fake.release_answers()

        async with killed_after(tmp_path, "second", discord_env(fake), database) as second:
            await until_posted(database, second)
        assert "Traceback" not in log_of(tmp_path, "second")
        texts = [shown(m) for m in fake.messages_in(channel.id)]
        assert sum(QUESTION in text for text in texts) == 1, texts
        assert fake.server_errors == [] and fake.rejected == []
