"""The resource library in Discord end to end: the real discord.py against the fake Discord.

Suggest, the review post with buttons in #coordinators, a refused click by a
member, approval by a coordinator (post replaced, card in #resources, the
suggester told), rejection with a reason typed in a modal, and search.
"""

from __future__ import annotations

from bot.config import Config
from storage import Storage
from tests.adapters.discord.conftest import WAIT, Bot, buttons_of, running_bot, text_of
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_payloads import CHANNEL_MESSAGE, FLAG_EPHEMERAL, JSON, MODAL

SUGGESTION = {
    "url": "https://www.example.org/housing-toolkit?utm_source=newsletter",
    "title": "Housing and Health Toolkit",
    "description": "Working with housing authorities",
    "type": "toolkit",
    "topics": "housing, eviction prevention",
}


def button(payload: JSON | None, action: str) -> JSON:
    return next(b for b in buttons_of(payload) if f":{action}:" in b["custom_id"])


async def join(bot: Bot, user: str, name: str) -> None:
    options = {"name": name, "organization": "County PH", "discipline": "Policy", "region": "West"}
    await bot.command("join", options, user=user)


async def test_suggest_review_approve_reject_and_search(
    fake: FakeDiscord, storage: Storage
) -> None:
    fake.guild.add_text_channel("resources")
    config = Config(admins=(f"discord:{fake.member('alice').id}",))  # alice reviews
    async with running_bot(fake, storage, config) as bot:
        for user, name in (
            ("alice", "Alice Admin"),
            ("bob", "Bob Okafor"),
            ("carol", "Carol Diaz"),
        ):
            await join(bot, user, name)

        thanks = await bot.command("resource suggest", SUGGESTION, user="carol")
        assert "sent **Housing and Health Toolkit** to the coordinators" in text_of(thanks.data)
        post = await fake.wait_for_message(
            "coordinators", lambda m: "Housing and Health Toolkit" in text_of(m), timeout=WAIT
        )
        assert [b["label"] for b in buttons_of(post)] == ["Approve", "Edit", "Reject"]

        refused = await bot.click(button(post, "resource.approve")["custom_id"], post, user="bob")
        assert refused.type == CHANNEL_MESSAGE
        assert (refused.data or {}).get("flags", 0) & FLAG_EPHEMERAL
        assert "Only **coordinators** can do that" in text_of(refused.data)
        assert fake.messages_in("resources") == []

        await bot.click(button(post, "resource.approve")["custom_id"], post, user="alice")
        decided = fake.messages[int(post["id"])]
        assert "Approved by **Alice Admin**" in text_of(decided)
        assert buttons_of(decided) == []
        card = await fake.wait_for_message("resources", timeout=WAIT)
        assert "Housing and Health Toolkit" in text_of(card)
        told = await fake.wait_for_message(fake.dm_channel("carol"), timeout=WAIT)
        assert "approved your suggestion" in text_of(told)

        flyer_options = {"url": "https://example.org/flyer", "title": "Housing fair flyer"}
        await bot.command("resource suggest", {**flyer_options, "type": "other"}, user="carol")
        flyer = await fake.wait_for_message(
            "coordinators", lambda m: "Housing fair flyer" in text_of(m), timeout=WAIT
        )
        asked = await bot.click(button(flyer, "resource.reject")["custom_id"], flyer, user="alice")
        assert asked.type == MODAL and asked.data is not None
        await bot.submit(asked.data, {"reason": "Out of scope"}, user="alice", message=flyer)
        await fake.wait_for_message(
            fake.dm_channel("carol"), lambda m: "Out of scope" in text_of(m), timeout=WAIT
        )

        found = await bot.command("resource search", {"query": "housing"}, user="bob")
        assert "1 resource found" in text_of(found.data)
        assert "Housing and Health Toolkit" in text_of(found.data)
        assert "flyer" not in text_of(found.data)


async def test_rejecting_from_the_review_post_leaves_the_outcome_on_it(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    config = Config(admins=(f"discord:{fake.member('alice').id}",))
    async with running_bot(fake, sqlite, config) as bot:
        await join(bot, "alice", "Alice Admin")
        await join(bot, "carol", "Carol Diaz")
        await bot.command("resource suggest", SUGGESTION, user="carol")
        post = await fake.wait_for_message("coordinators", timeout=WAIT)
        asked = await bot.click(button(post, "resource.reject")["custom_id"], post, user="alice")
        assert asked.data is not None
        await bot.submit(asked.data, {"reason": "Out of scope"}, user="alice", message=post)
        await fake.wait_for_message(fake.dm_channel("carol"), timeout=WAIT)
        shown = text_of(fake.messages[int(post["id"])])
        assert "Rejected by **Alice Admin**" in shown and "You rejected" not in shown
