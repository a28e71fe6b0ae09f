"""Polls in Discord end to end: the real discord.py against the fake Discord.

`/poll create` from the catalogue, the poll posted with a button per option, a vote by
button, the result bars edited on the post, a close and the final results in the channel.
"""

from __future__ import annotations

from bot.config import Config
from storage import Storage
from tests.adapters.discord.conftest import (  # noqa: F401 - fixtures
    WAIT,
    buttons_of,
    discord_env,
    fake,
    running_bot,
    text_of,
)
from tests.fakes.discord import FakeDiscord


async def test_create_vote_and_close_a_poll_in_discord(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    fake.guild.add_text_channel("announcements")
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with running_bot(fake, sqlite, config) as bot:
        for user, name in (("alice", "Alice Admin"), ("carol", "Carol Diaz")):
            options = {"name": name, "organization": "County PH", "discipline": "Policy"}
            await bot.command("join", {**options, "region": "West"}, user=user)
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
    fake.guild.add_text_channel("announcements")
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with running_bot(fake, sqlite, config) as bot:
        options = {"name": "Alice Admin", "organization": "County PH", "discipline": "Policy"}
        await bot.command("join", {**options, "region": "West"}, user="alice")
        poll = {
            "question": "Q" * 299 + "?",
            "options": ", ".join(letter * 80 for letter in "ABCDEFGHIJ"),
        }
        created = await bot.command("poll create", poll, user="alice")
        assert "Created poll `#1`" in text_of(created.data)
        post = await fake.wait_for_message("announcements", timeout=WAIT)
        assert len(buttons_of(post)) == 10
        assert all(len(b["custom_id"]) <= 100 for b in buttons_of(post))
