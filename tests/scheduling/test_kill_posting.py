"""kill -9 after the platform took the posts, before they were marked sent: none doubled.

Real `coalition-bot run` processes against the fake Slack and the fake Discord. The
fake holds its answers to the posts, so the first process dies at the exact moment
the issue describes: the platform has stored one post per channel (and per direct
message) being posted in parallel, and the bot has not heard back, so nothing is
marked sent. A second process takes the claims over (attempt 2, so it rechecks):
Slack's recent history shows the key in each post's metadata, and Discord answers
the repeated nonce with the message it already made. Each post exists once, on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.identity import Identity
from tests.databases import BACKENDS
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack
from tests.scheduling.platform_process import (
    WAIT,
    Story,
    discord_env,
    each_once,
    killed_after,
    log_of,
    seed,
    shown,
    slack_env,
    until,
)
from tests.scheduling.process_database import ProcessDatabase, process_database

CHANNELS = tuple(f"c{n}" for n in range(7))


@pytest.fixture(params=BACKENDS)
async def database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[ProcessDatabase]:
    async with process_database(request.param, tmp_path) as database:
        yield database


async def test_slack_posts_taken_before_a_kill_are_found_not_repeated(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    story = Story(CHANNELS, 2, (Identity("slack", "T1", "U1"), Identity("slack", "T1", "U2")))
    await seed(database, story)
    users: dict[str, dict[str, Any]] = {"U1": {"real_name": "Maria"}, "U2": {"real_name": "Ana"}}
    channels = {name: f"C{100 + n}" for n, name in enumerate(CHANNELS)}
    async with FakeSlack(users=users, channels=channels) as fake:
        fake.hold_answers("chat.postMessage")
        # One post per channel and per person is in flight at once: each waits for its answer.
        in_flight = len(CHANNELS) + len(story.going)
        async with killed_after(tmp_path, "first", slack_env(fake), database):
            await fake.wait_for_calls("chat.postMessage", in_flight, timeout=WAIT)
        assert len(fake.calls_to("chat.postMessage")) == in_flight  # Slack took them...
        assert await database.count("status = 'claimed'") == story.deliveries  # ...none marked sent
        fake.release_answers()

        async with killed_after(tmp_path, "second", slack_env(fake), database) as second:
            await until(database, "status = 'sent'", story.deliveries, second)
        assert "Traceback" not in log_of(tmp_path, "second")
        for name, channel_id in channels.items():
            each_once(story, name, (m["text"] for m in fake.messages_in(channel_id)))
        dms = {str(c.response["channel"]["id"]) for c in fake.calls_to("conversations.open")}
        assert len(dms) == len(story.going)
        for dm in dms:
            each_once(story, CHANNELS[0], (m["text"] for m in fake.messages_in(dm)))
        # What was found was found by reading each channel's and DM's history.
        reads = fake.calls_to("conversations.history")
        assert {c.params["channel"] for c in reads} == {*channels.values(), *dms}
        assert fake.errors == []
        fake.assert_payloads_valid()


async def test_discord_posts_taken_before_a_kill_are_answered_by_their_nonce(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    fake = FakeDiscord()
    for name in CHANNELS:
        fake.guild.add_text_channel(name)
    guild = str(fake.guild.id)
    story = Story(
        CHANNELS,
        2,
        tuple(Identity("discord", guild, str(fake.member(m).id)) for m in ("alice", "bob")),
    )
    await seed(database, story)
    async with fake:
        posts = "/channels/{channel_id}/messages"
        fake.hold_answers("POST", posts)
        in_flight = len(CHANNELS) + len(story.going)
        async with killed_after(tmp_path, "first", discord_env(fake), database):
            await fake.wait_for_calls("POST", posts, in_flight, timeout=WAIT)
        assert len(fake.find_calls("POST", posts)) == in_flight  # Discord made them...
        assert await database.count("status = 'claimed'") == story.deliveries  # ...none marked sent
        fake.release_answers()

        async with killed_after(tmp_path, "second", discord_env(fake), database) as second:
            await until(database, "status = 'sent'", story.deliveries, second)
        assert "Traceback" not in log_of(tmp_path, "second")
        for name in CHANNELS:
            each_once(story, name, map(shown, fake.messages_in(name)))
        for member in ("alice", "bob"):
            dm = fake.messages_in(fake.dm_channel(member))
            each_once(story, CHANNELS[0], map(shown, dm))
        # The second process did post them again, and Discord answered with the first.
        assert len(fake.find_calls("POST", posts)) == in_flight + story.deliveries
        assert fake.server_errors == [] and fake.rejected == []
