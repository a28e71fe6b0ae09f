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
from sqlalchemy import text

from bot.identity import Identity
from bot.membership.model import Profile
from bot.polls.model import NewPoll
from tests.databases import BACKENDS
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack
from tests.scheduling.platform_process import WAIT, kill, log_of, shown, start
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
    query = text("SELECT count(*) FROM polls WHERE results_due_at IS NOT NULL")
    async with database.storage.engine.connect() as connection:
        return bool(await connection.scalar(query))


async def until_posted(database: ProcessDatabase, process: asyncio.subprocess.Process) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while await results_pending(database):
        assert process.returncode is None, "the bot process ended early"
        assert loop.time() < deadline, "the results were not marked posted"
        # Another process writes the database: there is no event to await, so look again.
        await asyncio.sleep(0.05)


async def test_poll_results_taken_before_a_kill_are_found_not_repeated(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    await seed(database, Identity("slack", "T1", "U1"))
    users: dict[str, dict[str, Any]] = {"U1": {"real_name": "Dana"}}
    async with FakeSlack(users=users, channels={"c0": "C100"}) as fake:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-kill-test",
            "SLACK_APP_TOKEN": "xapp-kill-test",
            "SLACK_API_URL": fake.api_url,
        }
        fake.hold_answers("chat.postMessage")
        first = await start(tmp_path, "first", env, database)
        try:
            await fake.wait_for_calls("chat.postMessage", 1, timeout=WAIT)
        finally:
            await kill(first)
        assert len(fake.calls_to("chat.postMessage")) == 1  # Slack took the results...
        assert await results_pending(database)  # ...not marked posted
        fake.release_answers()

        second = await start(tmp_path, "second", env, database)
        try:
            await until_posted(database, second)
        finally:
            await kill(second)
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
        env = {
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_URL": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DISCORD_GUILD_IDS": guild,
        }
        posts = "/channels/{channel_id}/messages"
        fake.hold_answers("POST", posts)
        first = await start(tmp_path, "first", env, database)
        try:
            await fake.wait_for_calls("POST", posts, 1, timeout=WAIT)
        finally:
            await kill(first)
        assert len(fake.find_calls("POST", posts)) == 1  # Discord made the post...
        assert await results_pending(database)  # ...not marked posted
        fake.release_answers()

        second = await start(tmp_path, "second", env, database)
        try:
            await until_posted(database, second)
        finally:
            await kill(second)
        assert "Traceback" not in log_of(tmp_path, "second")
        texts = [shown(m) for m in fake.messages_in(channel.id)]
        assert sum(QUESTION in text for text in texts) == 1, texts
        assert fake.server_errors == [] and fake.rejected == []
