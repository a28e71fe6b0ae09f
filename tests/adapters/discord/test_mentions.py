"""No message the bot sends can ping @everyone, @here or a role because of what a member typed."""

from __future__ import annotations

from storage import Storage
from tests.adapters.discord.conftest import running_bot, texts_of
from tests.adapters.discord.test_membership import approval_config, button, join_with_options
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_payloads import JSON


def sent_bodies(fake: FakeDiscord) -> list[JSON]:
    """Every message body the bot sent: replies, follow-ups, edits, posts and DMs."""
    bodies = []
    for call in fake.calls:
        if call.method not in ("POST", "PATCH") or not isinstance(call.json, dict):
            continue
        body = call.json.get("data") if call.path.endswith("/callback") else call.json
        if isinstance(body, dict) and ("content" in body or "embeds" in body):
            bodies.append(body)
    return bodies


async def test_a_member_named_like_a_ping_pings_nobody(fake: FakeDiscord, sqlite: Storage) -> None:
    role = fake.role("Organizer")
    evil = f"@everyone <@&{role.id}> @here"
    async with running_bot(fake, sqlite, approval_config(fake)) as bot:
        await join_with_options(bot, "alice", "Alice Admin")
        await join_with_options(bot, "bob", evil, organization=evil, jurisdiction=evil)
        card = await fake.wait_for_message("coordinators", lambda m: "Request to join" in str(m))
        approved = await bot.click(button(card, "join.approve")["custom_id"], card, user="alice")
        await bot.followup(approved)
        await fake.wait_for_message(fake.dm_channel("bob"))
        await bot.command("directory", user="alice")
        await bot.command("profile view", {"member": "bob"}, user="alice")

    bodies = sent_bodies(fake)
    # Replies, the notice in #coordinators, the edit, the follow-up, the DM, the listings.
    assert len(bodies) >= 7
    shown = [t for body in bodies for t in texts_of(body)]
    assert any("everyone" in t for t in shown)  # the name is shown...
    for body in bodies:
        # ...but each message allows no @everyone, @here or role pings at all.
        assert body["allowed_mentions"]["parse"] == [], body
        assert "roles" not in body["allowed_mentions"]
    for text in shown:
        assert "@everyone" not in text and "@here" not in text, text
        assert f"<@&{role.id}>" not in text, text
    for message in fake.messages.values():
        assert message["mention_everyone"] is False
        assert message["mention_roles"] == []
