"""kill -9 while a matching round's introductions are taken but unmarked: none doubled.

A matching round and its introductions are exactly once, like reminders
(test_kill_posting.py). Real `coalition-bot run` processes against the fake Slack
and the fake Discord, with a round due a minute ago: the first process pairs the
round and takes the first group's introduction; the fake stores the post but holds
its answer, and the process is killed there, so nothing is marked introduced. A
second process takes the lease over (attempt 2, so it rechecks) and sends what is
owed. Every introduction exists exactly once, on SQLite and on PostgreSQL: on Slack
one group DM per group, once in each of its members' languages (the keys in the
messages' metadata are found in the group DM's history); on Discord one DM to each
member (the repeated nonce is answered with the message already made).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.capability_settings import WEEKDAYS
from bot.identity import Identity
from bot.matching.model import Preferences
from bot.membership.model import Profile
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

HEADINGS = {"en": "Meet your peer match", "es": "Conozca a su pareja de intercambio"}


@pytest.fixture(params=BACKENDS)
async def database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[ProcessDatabase]:
    async with process_database(request.param, tmp_path) as database:
        yield database


def round_due_a_minute_ago() -> str:
    """A [matching] section whose latest round fell a minute ago (UTC), so the first
    sweep of a process holds it (within `grace_hours`)."""
    due = (datetime.now(UTC) - timedelta(minutes=1)).replace(second=0, microsecond=0)
    return (
        '[coalition]\ntimezone = "UTC"\n'
        f'[matching]\nevery_weeks = 1\nday = "{WEEKDAYS[due.weekday()]}"\n'
        f'time = "{due:%H:%M}"\n'
    )


async def seed(database: ProcessDatabase, people: Sequence[tuple[Identity, str]]) -> None:
    """Members opted in to peer matching, each with an account and a language."""
    created = datetime.now(UTC) - timedelta(days=2)
    async with database.storage.unit_of_work() as uow:
        for n, (who, language) in enumerate(people):
            profile = Profile(
                f"Member {n}", f"County {n}", interests=("Housing",), language=language
            )
            member = await uow.members.add(profile, who, pending=False, at=created)
            await uow.matching.opt_in(member.id, Preferences(), created)
        await uow.commit()


async def places(database: ProcessDatabase, where: str) -> int:
    return await database.count(where, "match_places")


async def groups(database: ProcessDatabase) -> list[list[int]]:
    """Each group of the one round, as the members' ids."""
    query = text("SELECT grp, member_id FROM match_places ORDER BY grp, member_id")
    async with database.storage.engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    found: dict[int, list[int]] = {}
    for group, member in rows:
        found.setdefault(int(group), []).append(int(member))
    return list(found.values())


async def all_introduced(database: ProcessDatabase, *processes: asyncio.subprocess.Process) -> None:
    """Wait until every place of the round is marked introduced."""

    async def introduced() -> bool:
        owed = await places(database, "introduced_at IS NULL")
        return not owed and bool(await places(database, "1 = 1"))

    await until_shown(introduced, lambda: "the round was not all introduced", *processes)


async def rounds_held(database: ProcessDatabase) -> int:
    return await database.count("1 = 1", "match_rounds")


async def taken_unmarked(database: ProcessDatabase) -> int:
    return await places(database, "intro_claimed_at IS NOT NULL AND introduced_at IS NULL")


async def test_slack_group_introductions_taken_before_a_kill_are_not_repeated(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    languages = ("en", "es", "en", "es", "en", "es")
    people = [(Identity("slack", "T1", f"U{n}"), language) for n, language in enumerate(languages)]
    await seed(database, people)
    users = {f"U{n}": {"real_name": f"Member {n}"} for n in range(len(people))}
    config = round_due_a_minute_ago()
    async with FakeSlack(users=users, channels={"general": "C1"}) as fake:
        fake.hold_answers("chat.postMessage")
        async with killed_after(tmp_path, "first", slack_env(fake), database, config):
            await fake.wait_for_calls("chat.postMessage", 1, timeout=WAIT)
        assert len(fake.calls_to("chat.postMessage")) >= 1  # Slack took it...
        assert await taken_unmarked(database) >= 2  # ...the group's places are not marked
        fake.release_answers()

        async with killed_after(tmp_path, "second", slack_env(fake), database, config) as second:
            await all_introduced(database, second)
        assert "Traceback" not in log_of(tmp_path, "second")
        assert await rounds_held(database) == 1  # the second process did not pair it again
        rounds = await groups(database)
        assert sorted(m for g in rounds for m in g) == list(range(1, len(people) + 1))
        assert len(fake.group_dms) == len(rounds)  # one conversation per group
        language_of = {n + 1: language for n, (_, language) in enumerate(people)}
        by_people = {members: channel for channel, members in fake.group_dms.items()}
        for group in rounds:
            channel = by_people[tuple(sorted(f"U{m - 1}" for m in group))]
            texts = [
                str(m.get("text", "")) + str(m.get("blocks", "")) for m in fake.messages_in(channel)
            ]
            wanted = {language_of[m] for m in group}
            # Once in each of the group's languages: 0 doubled, 0 missing.
            assert len(texts) == len(wanted), texts
            for language in wanted:
                assert sum(HEADINGS[language] in t for t in texts) == 1, (language, texts)
        # What was found was found in the group DMs' history, read for the taken-over ones.
        reads = {c.params["channel"] for c in fake.calls_to("conversations.history")}
        assert reads and reads <= set(fake.group_dms)
        assert fake.errors == []
        fake.assert_payloads_valid()


async def test_discord_introductions_taken_before_a_kill_are_answered_by_their_nonce(
    tmp_path: Path, database: ProcessDatabase
) -> None:
    fake = FakeDiscord()
    fake.guild.add_member("dave")
    names = ("alice", "bob", "carol", "dave")
    guild = str(fake.guild.id)
    people = [(Identity("discord", guild, str(fake.member(n).id)), "en") for n in names]
    await seed(database, people)
    config = round_due_a_minute_ago()
    async with fake:
        posts = "/channels/{channel_id}/messages"
        fake.hold_answers("POST", posts)
        async with killed_after(tmp_path, "first", discord_env(fake), database, config):
            await fake.wait_for_calls("POST", posts, 1, timeout=WAIT)
        made = len(fake.find_calls("POST", posts))  # Discord made them...
        assert made >= 1
        assert await taken_unmarked(database) >= 2  # ...none of their places is marked
        fake.release_answers()

        async with killed_after(tmp_path, "second", discord_env(fake), database, config) as second:
            await all_introduced(database, second)
        assert "Traceback" not in log_of(tmp_path, "second")
        assert await rounds_held(database) == 1  # the second process did not pair it again
        assert len(await groups(database)) == 2
        for name in names:
            dm = [shown(m) for m in fake.messages_in(fake.dm_channel(name))]
            # One introduction each: 0 doubled, 0 missing.
            assert len(dm) == 1 and HEADINGS["en"] in dm[0], (name, dm)
        # The second process posted the taken one again, and Discord answered with the first.
        assert len(fake.find_calls("POST", posts)) == len(names) + made
        assert fake.server_errors == [] and fake.rejected == []
