"""Polls in Discord end to end: the real discord.py against the fake Discord.

`/poll create` from the catalogue, the poll posted with a button per option, a vote by
button, the result bars edited on the post, a close and the final results in the channel.
"""

from __future__ import annotations

import asyncio
import math
import time

from bot.config import Config
from bot.identity import Identity
from bot.membership.model import Profile
from bot.polls.edits import PollEdits
from storage import Storage
from tests.adapters.discord.conftest import (  # noqa: F401 - fixtures
    WAIT,
    buttons_of,
    discord_env,
    fake,
    running_bot,
    text_of,
)
from tests.adapters.discord.opening import admin_bot
from tests.fakes.discord import FakeDiscord
from tests.harness import START


async def test_create_vote_and_close_a_poll_in_discord(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    async with admin_bot(fake, sqlite, ("carol", "Carol Diaz")) as bot:
        poll = {"question": "Which day suits the training?", "options": "Tuesday, Wednesday"}
        created = await bot.command("poll create", poll, user="alice")
        assert "Created poll `#1`" in text_of(created.data)
        post = await fake.wait_for_message("announcements", timeout=WAIT)
        assert "Which day suits the training?" in text_of(post)
        tuesday = next(b for b in buttons_of(post) if b["label"] == "Tuesday")

        answer = await bot.click(tuesday["custom_id"], post, user="carol")
        assert "You voted for" in text_of(answer.data)
        await fake.wait_for_message(
            "announcements",
            lambda m: m["id"] == post["id"] and "1 vote (100%)" in text_of(m),
            timeout=WAIT,
        )

        closed = await bot.command("poll close", {"id": 1}, user="alice")
        assert "Closed poll `#1`" in text_of(closed.data)
        results = await fake.wait_for_message(
            "announcements", lambda m: "Poll closed" in text_of(m), timeout=WAIT
        )
        assert "1 vote (100%)" in text_of(results)


async def test_the_longest_question_and_options_fit_discord(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    """A 300-character question and ten 80-character options within Discord's limits."""
    async with admin_bot(fake, sqlite) as bot:
        poll = {
            "question": "Q" * 299 + "?",
            "options": ", ".join(letter * 80 for letter in "ABCDEFGHIJ"),
        }
        created = await bot.command("poll create", poll, user="alice")
        assert "Created poll `#1`" in text_of(created.data)
        post = await fake.wait_for_message("announcements", timeout=WAIT)
        assert len(buttons_of(post)) == 10
        assert all(len(b["custom_id"]) <= 100 for b in buttons_of(post))


async def test_rapid_votes_edit_the_post_at_most_once_per_interval_in_discord(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    """30 members click at once: a few message edits, paced, the last one with all 30."""
    fake.guild.add_text_channel("announcements")
    people = [fake.guild.add_member(f"voter{n}") for n in range(30)]
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with running_bot(fake, sqlite, config) as bot:
        guild = str(fake.guild.id)
        async with bot.app.storage.unit_of_work() as uow:
            for member in [fake.member("alice"), *people]:
                profile = Profile(f"Voter {member.id}", "County PH", region="West")
                identity = Identity("discord", guild, str(member.id))
                await uow.members.add(profile, identity, pending=False, at=START)
            await uow.commit()
        services = bot.app.dispatcher.services
        interval = 0.25  # the pace under test, shorter than a second to keep the test quick
        edits = PollEdits(services, interval=interval)
        services.add(edits)
        poll = {"question": "Which day?", "options": "Tuesday, Wednesday"}
        await bot.command("poll create", poll, user="alice")
        post = await fake.wait_for_message("announcements", timeout=WAIT)
        tuesday = next(b for b in buttons_of(post) if b["label"] == "Tuesday")

        started = time.monotonic()
        answers = await asyncio.gather(
            *(bot.click(tuesday["custom_id"], post, user=p.user.username) for p in people)
        )
        duration = time.monotonic() - started  # each click answered after its commit
        assert all("You voted for" in text_of(a.data) for a in answers)
        await edits.settled()

        path = f"/channels/{post['channel_id']}/messages/{post['id']}"
        updates = fake.find_calls("PATCH", path)
        assert 1 <= len(updates) <= math.ceil(duration / interval) + 1, (len(updates), duration)
        assert len(updates) < len(people)  # not one per vote
        final = next(m for m in fake.messages_in("announcements") if m["id"] == post["id"])
        assert "30 votes (100%)" in text_of(final)
