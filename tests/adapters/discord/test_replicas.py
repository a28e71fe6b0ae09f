"""Two replicas of the bot on one PostgreSQL database, against the fake Discord.

Discord sends every interaction and every message to each gateway session of the
bot; the fake does the same. Each replica is the real runner with its own
discord.py client, gateway session, engine and App: only the database is shared.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import text

from adapters.bootstrap import App
from bot.config import Config
from bot.discussions.ingest import ReplyIngest
from storage import Storage
from tests.adapters.discord.conftest import (
    WAIT,
    Bot,
    buttons_of,
    running_bot,
    text_of,
)
from tests.adapters.discord.test_forms import PAGE_ONE
from tests.adapters.discord.test_membership import button
from tests.databases import postgres_storage
from tests.fakes.discord import FakeDiscord, RecordedCall

pytestmark = pytest.mark.postgres

CLIENT_LOG = "adapters.discord.client"


@asynccontextmanager
async def shared_database() -> AsyncIterator[tuple[Storage, Storage]]:
    """Two Storages (two engines, as two processes have) on one fresh PostgreSQL schema."""
    async with postgres_storage() as first:
        async with first.engine.connect() as connection:
            schema = (await connection.execute(text("SHOW search_path"))).scalar_one()
        second = Storage(first.url, connect_args={"server_settings": {"search_path": schema}})
        try:
            yield first, second
        finally:
            await second.dispose()


class Heard(logging.Handler):
    """What the clients log, to wait for a replica's word that a delivery was another's."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.said: list[str] = []
        self.changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())
        self.changed.set()

    def lost(self, what: str, ident: object) -> int:
        """How many replicas said the delivery was another's."""
        return sum(line.startswith(f"{what} {ident} is ") for line in self.said)

    async def until_lost(self, what: str, ident: object) -> None:
        async with asyncio.timeout(WAIT):
            while self.lost(what, ident) < 1:
                self.changed.clear()
                await self.changed.wait()


@pytest.fixture
def heard() -> Iterator[Heard]:
    handler = Heard()
    logger = logging.getLogger(CLIENT_LOG)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def callbacks(fake: FakeDiscord, interaction_id: int) -> list[RecordedCall]:
    return fake.find_calls("POST", rf"/interactions/{interaction_id}/[^/]+/callback")


async def answered_once(
    bot: Bot, heard: Heard, path: str, options: dict[str, Any], user: str
) -> str:
    """A command both replicas receive: answered by one, the other told it was not theirs."""
    response = await bot.command(path, options, user=user)
    await heard.until_lost("interaction", response.interaction_id)
    assert heard.lost("interaction", response.interaction_id) == 1
    calls = callbacks(bot.fake, response.interaction_id)
    assert [c.status for c in calls] == [200]  # one answer, no 40060 "already acknowledged"
    return text_of(response.data)


async def replies_of(apps: list[App], discussion_id: int, expected: int) -> int:
    """The stored reply count once it reaches `expected` (a replica counts on its own time)."""
    async with asyncio.timeout(WAIT):
        while True:
            for app in apps:  # each replica buffers the replies it counted
                await app.dispatcher.services.get(ReplyIngest).flush()
            async with apps[0].storage.unit_of_work() as uow:
                found = await uow.discussions.get(discussion_id)
            assert found is not None
            if found.replies >= expected:
                return found.replies
            await asyncio.sleep(0.01)


async def test_both_replicas_receive_everything_and_each_thing_happens_once(
    fake: FakeDiscord, heard: Heard
) -> None:
    fake.guild.add_text_channel("discussions")
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with (
        shared_database() as (one, two),
        running_bot(fake, one, config) as first,
        running_bot(fake, two, config) as second,
    ):
        assert fake.identify_count == 2  # two gateway sessions
        for user, name in (("alice", "Alice Admin"), ("carol", "Carol Diaz")):
            options = {"name": name, "organization": "County PH", "discipline": "Policy"}
            welcome = await answered_once(first, heard, "join", {**options, "region": "West"}, user)
            assert "Welcome" in welcome
        started = await answered_once(
            second,
            heard,
            "discussion start",
            {"title": "Advisory boards", "question": "How did you set yours up?"},
            "alice",
        )
        assert "Started discussion `#1`" in started
        opening = await fake.wait_for_message("discussions", timeout=WAIT)
        thread = fake.channel(int(opening["id"]))
        assert len(fake.messages_in("discussions")) == 1  # one discussion, not one a replica

        for words in ("We used a survey.", "Pay members.", "Meet quarterly."):
            message_id = (await fake.message_create("discussions", "carol", words, thread=thread))[
                "id"
            ]
            await heard.until_lost("message", message_id)
            assert heard.lost("message", message_id) == 1
        # Every message was left to the other by one replica; none was counted twice.
        assert await replies_of([first.app, second.app], 1, 3) == 3

        # A form in steps: each step goes to whichever replica claims it.
        opened = await first.command("join", user="bob")
        assert opened.data is not None
        step = await first.submit(opened.data, {**PAGE_ONE, "name": "Bob Builder"}, user="bob")
        assert step.message is not None
        more = await second.click(
            button(step.data, ":open:")["custom_id"], step.message, user="bob"
        )
        assert more.data is not None
        rest: dict[str, str | list[str]] = {
            "interests": [],
            "timezone": "America/Denver",
            "language": ["en"],
        }
        done = await first.submit(more.data, rest, user="bob", message=step.message)
        assert "Welcome to Our Coalition" in text_of(done.data)
        answers = fake.find_calls("POST", r"/interactions/\d+/[^/]+/callback")
        assert [c for c in answers if c.status != 200] == []  # never a second answer


async def test_a_form_half_filled_on_one_replica_is_finished_on_another(
    fake: FakeDiscord,
) -> None:
    async with shared_database() as (one, two):
        async with running_bot(fake, one) as first:
            opened = await first.command("join", user="carol")
            assert opened.data is not None
            step = await first.submit(opened.data, PAGE_ONE, user="carol")
            assert step.message is not None
            assert "Step 1 of 2 is saved" in text_of(step.data)
        # The first replica is gone (stopped, or it lost the race): the other goes on.
        async with running_bot(fake, two) as second:
            await fake.wait_ready(identifies=2)
            more = button(step.data, ":open:")["custom_id"]
            second_step = await second.click(more, step.message, user="carol")
            assert second_step.data is not None
            done = await second.submit(
                second_step.data,
                {"interests": [], "timezone": "America/Denver", "language": ["en"]},
                user="carol",
                message=step.message,
            )
            assert "Welcome to Our Coalition" in text_of(done.data)
            assert buttons_of(done.data) == []
            profile = text_of((await second.command("profile view", user="carol")).data)
            assert "Carol Diaz" in profile and "Denver Public Health" in profile
