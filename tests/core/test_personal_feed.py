"""`/coalition meeting feed`: a secret address made once, stored hashed, revoked, and
gone when the member leaves."""

from __future__ import annotations

import asyncio
import hashlib
import re

import pytest
from sqlalchemy import text

from bot.config import Config, WebSettings
from bot.meetings.personal import export_feed
from storage import Storage
from tests.harness import Harness, text_of

WEB = Config(web=WebSettings(enabled=True, public_url="https://coalition.example.org"))
ADDRESS = re.compile(r"https://coalition\.example\.org/calendar/([A-Za-z0-9_-]+)\.ics")

pytestmark = pytest.mark.both_databases


async def stored_hashes(storage: Storage) -> list[str]:
    async with storage.engine.connect() as connection:
        rows = await connection.execute(text("SELECT token_hash FROM calendar_feeds"))
        return [row[0] for row in rows]


async def test_with_the_web_off_the_command_says_how_to_turn_it_on(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    reply = await harness.say("maria", "meeting feed")
    assert reply.private
    assert "The web pages are off" in text_of(reply) and "enabled = true" in text_of(reply)
    assert await harness.storage_count("calendar_feeds") == 0


async def test_the_address_is_shown_once_and_only_its_hash_is_kept(database: Storage) -> None:
    harness = Harness(database, WEB)
    await harness.join("maria", "Maria Lopez")
    reply = await harness.say("maria", "meeting feed")
    assert reply.private
    found = ADDRESS.search(text_of(reply))
    assert found, text_of(reply)
    token = found.group(1)
    assert f"webcal://coalition.example.org/calendar/{token}.ics" in text_of(reply)
    assert await stored_hashes(database) == [hashlib.sha256(token.encode()).hexdigest()]
    again = text_of(await harness.say("maria", "meeting feed"))
    assert "already have a calendar feed" in again and token not in again
    assert "revoke=yes" in again
    assert len(await stored_hashes(database)) == 1


async def test_revoking_ends_the_feed_and_a_new_one_can_be_made(database: Storage) -> None:
    harness = Harness(database, WEB)
    await harness.join("maria", "Maria Lopez")
    first = ADDRESS.search(text_of(await harness.say("maria", "meeting feed")))
    assert first
    revoked = await harness.say("maria", "meeting feed revoke=yes")
    assert revoked.private and "revoked" in text_of(revoked)
    assert await stored_hashes(database) == []
    assert "no calendar feed to revoke" in text_of(
        await harness.say("maria", "meeting feed revoke=yes")
    )
    second = ADDRESS.search(text_of(await harness.say("maria", "meeting feed")))
    assert second and second.group(1) != first.group(1)


async def test_leaving_deletes_the_members_feed(database: Storage) -> None:
    harness = Harness(database, WEB)
    await harness.join("maria", "Maria Lopez")
    await harness.join("sam", "Sam Okafor")
    await harness.say("maria", "meeting feed")
    await harness.say("sam", "meeting feed")
    question = await harness.say("maria", "leave")
    assert question.message is not None
    await harness.click("maria", question.message.buttons[0])  # confirm
    async with database.unit_of_work() as uow:
        sam = await uow.members.by_identity(harness.who("sam"))
        assert sam is not None
        assert await uow.calendar_feeds.created(sam.id) is not None
    assert len(await stored_hashes(database)) == 1  # Sam's only


async def test_two_requests_at_once_make_one_feed(database: Storage) -> None:
    harness = Harness(database, WEB)
    await harness.join("maria", "Maria Lopez")
    replies = await asyncio.gather(*(harness.say("maria", "meeting feed") for _ in range(2)))
    made = [r for r in replies if ADDRESS.search(text_of(r))]
    told = [r for r in replies if "already have a calendar feed" in text_of(r)]
    assert len(made) == 1 and len(told) == 1
    assert len(await stored_hashes(database)) == 1


async def test_the_export_says_a_feed_exists_but_not_its_address(database: Storage) -> None:
    harness = Harness(database, WEB)
    await harness.join("maria", "Maria Lopez")
    found = ADDRESS.search(text_of(await harness.say("maria", "meeting feed")))
    assert found
    async with database.unit_of_work() as uow:
        maria = await uow.members.by_identity(harness.who("maria"))
        assert maria is not None
        data = await export_feed(uow, maria.id)
    assert data == {"calendar_feed": {"created": harness.clock.now().isoformat()}}
    assert found.group(1) not in repr(data)
