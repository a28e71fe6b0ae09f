"""Many members writing at once: on SQLite none is refused for the database being busy.

A unit of work that reads first and then writes could not wait for SQLite's write
lock (storage/database.py `_sqlite_begin`): "database unavailable" for a vote or an
RSVP that was only unlucky. Here votes and RSVPs arrive together, through the
dispatcher, on a file database (and on PostgreSQL), and every one is taken.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.members import Profile
from bot.polls.edits import PollEdits
from storage import database
from tests.databases import sqlite_storage
from tests.harness import Harness, text_of
from tests.scheduling.support import reminder_service, with_ref_poster

VOTERS = 40
POLL = 'poll create question="Which day suits the training?" options="Tuesday, Wednesday, Thursday"'
MEETING = (
    'meeting schedule title="Office hours" date=2026-03-05 time=9am '
    "timezone=America/Los_Angeles link=https://zoom.us/j/1"
)


async def voters(harness: Harness) -> list[str]:
    users = [f"v{n}" for n in range(VOTERS)]
    async with harness.storage.unit_of_work() as uow:
        for user in users:
            profile = Profile(f"Voter {user}", "County Health", region="West")
            await uow.members.add(profile, harness.who(user), pending=False, at=harness.clock.now())
        await uow.commit()
    return users


@pytest.mark.both_databases
async def test_votes_and_rsvps_at_once_are_all_taken(harness: Harness) -> None:
    poster = with_ref_poster(harness)
    services = harness.dispatcher.services
    services.add(PollEdits(services, interval=0))  # each vote also reads the poll to edit it
    await harness.join("admin", "Admin")
    assert "Created poll" in text_of(await harness.say("admin", POLL))
    assert "Scheduled" in text_of(await harness.say("admin", MEETING))
    await reminder_service(harness).run_due()
    poll = poster.to("#announcements")[0]
    meeting = poster.to("#announcements")[1]
    users = await voters(harness)
    days, answers = ("Tuesday", "Wednesday", "Thursday"), ("Going", "Maybe")

    replies = await asyncio.gather(
        *(harness.click(user, poll.button(days[n % 3])) for n, user in enumerate(users)),
        *(harness.click(user, meeting.button(answers[n % 2])) for n, user in enumerate(users)),
    )

    texts = [text_of(reply) for reply in replies]
    assert [t for t in texts[:VOTERS] if "You voted for" not in t] == []
    assert [t for t in texts[VOTERS:] if "You're going" not in t and "maybe" not in t] == []
    async with harness.storage.engine.connect() as connection:
        counts = (
            await connection.execute(
                text("SELECT votes FROM poll_options WHERE poll_id = 1 ORDER BY position")
            )
        ).scalars()
        assert list(counts) == [14, 13, 13]
    assert await harness.storage_count("poll_voters") == VOTERS
    assert await harness.storage_count("meeting_rsvps") == VOTERS


async def test_a_writer_holding_sqlite_past_its_busy_timeout_refuses_no_vote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's busy handler gives up after its timeout; the bot's own writers queue
    for their turn instead (storage/write_turn.py), however long the one before takes."""
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 20)
    async with sqlite_storage(tmp_path) as storage:
        harness = Harness(storage)
        poster = with_ref_poster(harness)
        await harness.join("admin", "Admin")
        await harness.say("admin", POLL)
        users = await voters(harness)
        holding, release = asyncio.Event(), asyncio.Event()

        async def slow_writer() -> None:
            async with storage.unit_of_work() as uow:
                await uow.session.execute(text("UPDATE polls SET question = question"))
                holding.set()
                await release.wait()
                await uow.commit()

        writer = asyncio.create_task(slow_writer())
        await holding.wait()
        votes = [
            asyncio.create_task(
                harness.click(user, poster.to("#announcements")[0].button("Tuesday"))
            )
            for user in users[:10]
        ]
        # Many busy timeouts pass while the lock is held: that is what is tested.
        await asyncio.sleep(0.5)
        release.set()
        replies = await asyncio.gather(writer, *votes)
    assert [
        text_of(r) for r in replies[1:] if r is not None and "You voted" not in text_of(r)
    ] == []
