"""kill -9 while an evaluation's DMs are going out: each member gets it exactly once.

A real `coalition-bot run` process against the fake Slack. A meeting with an
evaluation ended a minute ago; three members said Going. The fake holds its answer
to the first DM, so the process dies after Slack stored it and before the bot heard
back: every member is claimed, none is marked sent. A second process takes the
claims over once they are stale: for the first member it finds the DM in the
conversation's history (its key is in the message metadata) and does not send it
again; the others get theirs. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.evaluations.model import Question
from bot.identity import Identity
from bot.meetings.model import Answer, Meeting
from bot.membership.model import Profile
from tests.databases import BACKENDS
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack, RecordedCall
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

USERS = ("U1", "U2", "U3")
DISCORD_USERS = ("alice", "bob", "carol")


@pytest.fixture(params=BACKENDS)
async def database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[ProcessDatabase]:
    async with process_database(request.param, tmp_path) as database:
        yield database


async def seed(database: ProcessDatabase, accounts: tuple[Identity, ...]) -> None:
    now = datetime.now(UTC)  # the bot processes run on the wall clock
    start_at = (now - timedelta(minutes=31)).replace(microsecond=0, tzinfo=None)
    created = now - timedelta(days=2)  # long ago: no announcement, no reminders due
    async with database.storage.unit_of_work() as uow:
        admin = await uow.members.add(
            Profile("Dana", "HQ"), Identity("console", "local", "admin"), pending=False, at=created
        )
        meeting = await uow.meetings.add(
            Meeting(
                0, "Office hours", start_at, "UTC", 30, "c0", reminders=(), created_by=admin.id
            ),
            at=created,
        )
        for n, account in enumerate(accounts):
            person = await uow.members.add(
                Profile(f"Member {n}", "Org"), account, pending=False, at=created
            )
            await uow.rsvps.answer(meeting.id, start_at.date(), person.id, Answer.GOING, at=created)
        await uow.evaluations.add(
            meeting.id,
            anonymous=True,
            template="default",
            questions=(Question("How useful was this session?", "scale"),),
            by_member_id=admin.id,
            at=created,
        )
        await uow.commit()


def is_dm(call: RecordedCall) -> bool:
    return str(call.params.get("channel", "")).startswith("D")


async def sends(database: ProcessDatabase, where: str) -> int:
    return await database.count(where, "evaluation_sends")


async def until_sent(database: ProcessDatabase, process: asyncio.subprocess.Process) -> None:
    async def all_sent() -> bool:
        return await sends(database, "sent_at IS NOT NULL") == len(USERS)

    await until_shown(all_sent, lambda: "the evaluations were not all sent", process)


async def test_evaluation_dms_taken_before_a_kill_are_found_not_repeated(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    await seed(database, tuple(Identity("slack", "T1", user) for user in USERS))
    users: dict[str, dict[str, Any]] = {u: {"real_name": f"Member {u}"} for u in USERS}
    async with FakeSlack(users=users, channels={"c0": "C100"}) as fake:
        fake.hold_answers("chat.postMessage")
        async with killed_after(tmp_path, "first", slack_env(fake), database):
            await fake.wait_for_call("chat.postMessage", is_dm, timeout=WAIT)
        # Slack took the first DM... (the channel's "Share your feedback" post goes out
        # beside the DMs, so it may be there too: only DMs are counted)
        assert len([c for c in fake.calls_to("chat.postMessage") if is_dm(c)]) == 1
        assert await sends(database, "sent_at IS NULL") == len(USERS)  # ...none marked sent
        fake.release_answers()

        async with killed_after(tmp_path, "second", slack_env(fake), database) as second:
            await until_sent(database, second)
        assert "Traceback" not in log_of(tmp_path, "second")
        dms = {str(c.response["channel"]["id"]) for c in fake.calls_to("conversations.open")}
        assert len(dms) == len(USERS)
        for dm in dms:
            asked = [m for m in fake.messages_in(dm) if "How was Office hours?" in m["text"]]
            assert len(asked) == 1, fake.messages_in(dm)
        assert fake.errors == []
        fake.assert_payloads_valid()


async def test_discord_evaluation_dms_taken_before_a_kill_are_answered_by_their_nonce(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    fake = FakeDiscord()
    public = f"/channels/{fake.guild.add_text_channel('c0').id}/messages"
    guild = str(fake.guild.id)
    accounts = tuple(Identity("discord", guild, str(fake.member(m).id)) for m in DISCORD_USERS)
    await seed(database, accounts)
    async with fake:
        posts = "/channels/{channel_id}/messages"
        fake.hold_answers("POST", posts)
        # The channel's "Share your feedback" post goes out beside the DMs: only DMs count.
        async with killed_after(tmp_path, "first", discord_env(fake), database):
            await fake.wait_for_call("POST", posts, lambda c: c.path != public, timeout=WAIT)
        dms = [c for c in fake.find_calls("POST", posts) if c.path != public]
        assert len(dms) == 1  # Discord made the first DM...
        assert await sends(database, "sent_at IS NULL") == len(accounts)  # ...none marked sent
        fake.release_answers()

        async with killed_after(tmp_path, "second", discord_env(fake), database) as second:
            await until_sent(database, second)
        assert "Traceback" not in log_of(tmp_path, "second")
        for member in DISCORD_USERS:
            dm = map(shown, fake.messages_in(fake.dm_channel(member)))
            assert sum("How was Office hours?" in text for text in dm) == 1, member
        assert fake.server_errors == [] and fake.rejected == []
