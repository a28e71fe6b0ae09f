"""The Discord poster: what the core sends unprompted, and what it may edit later."""

from __future__ import annotations

import discord
import pytest

from adapters.discord.poster import NONCE_MAX, ChannelNotFound, DiscordPoster, nonce_for
from bot.identity import Identity
from bot.messages import Actions, Button, Message, Notice, ToChannel, ToMember, say, text
from bot.ports import Undeliverable
from tests.adapters.discord.conftest import Bot, buttons_of


def poster_of(bot: Bot) -> DiscordPoster:
    assert bot.runner.poster is not None
    return bot.runner.poster


async def test_a_post_can_be_found_and_edited_later(bot: Bot) -> None:
    poster = poster_of(bot)
    counting = Message(
        (*say(text("3 going")).blocks, Actions((Button("Going", "join.approve", "1"),)))
    )
    posted = await poster.post_to_channel("#Announcements", counting)

    stored = bot.fake.messages[int(posted.message_id)]
    assert (posted.platform, posted.channel) == (
        "discord",
        str(bot.fake.channel("announcements").id),
    )
    assert stored["content"] == "3 going" and len(buttons_of(stored)) == 1

    await poster.edit(posted, say(text("4 going")))
    assert bot.fake.messages[int(posted.message_id)]["content"] == "4 going"
    assert buttons_of(bot.fake.messages[int(posted.message_id)]) == []


async def test_a_missing_channel_is_a_failure_that_says_what_to_do(bot: Bot) -> None:
    with pytest.raises(ChannelNotFound, match="Create it, or name an existing channel"):
        await poster_of(bot).post_to_channel("no-such-channel", say(text("hello")))


async def test_a_direct_message_refused_by_discord_is_undeliverable(bot: Bot) -> None:
    bob = bot.fake.member("bob").id
    bot.fake.dms_disabled.add(bob)
    with pytest.raises(Undeliverable) as raised:
        await poster_of(bot).post_to_user(Identity("discord", "1", str(bob)), say(text("hi")))
    assert isinstance(raised.value.__cause__, discord.Forbidden)
    assert raised.value.__cause__.code == 50007
    notice = Notice(ToMember((Identity("discord", "1", str(bob)),)), say(text("hi")))
    assert await bot.app.broadcaster.deliver([notice]) == 1  # counted, logged, not raised


async def test_a_direct_message_arrives(bot: Bot) -> None:
    carol = bot.fake.member("carol").id
    posted = await poster_of(bot).post_to_user(
        Identity("discord", "1", str(carol)), say(text("hi"))
    )
    assert [m["content"] for m in bot.fake.messages_in(bot.fake.dm_channel("carol"))] == ["hi"]
    assert posted.channel == str(bot.fake.dm_channel("carol").id)


KEY = "7/20300107T150000/remind/0/discord:#"


async def test_a_keyed_post_is_made_once_however_often_it_is_sent(bot: Bot) -> None:
    """The key becomes the message's nonce, with enforce_nonce: a second instance that
    takes the claim over after a crash gets the message the first one made."""
    reminder = say(text("Soon"))
    first = await bot.app.broadcaster.send("discord", ToChannel("announcements"), reminder, key=KEY)
    again = await bot.app.broadcaster.send(
        "discord", ToChannel("announcements"), reminder, key=KEY, recheck=True
    )
    assert first == again
    assert [m["content"] for m in bot.fake.messages_in("announcements")] == ["Soon"]
    posts = bot.fake.find_calls("POST", "/channels/{channel_id}/messages")
    assert [(c.json["nonce"], c.json["enforce_nonce"]) for c in posts] == [
        (nonce_for(KEY, 0), True)
    ] * 2
    # Another key is another post.
    await bot.app.broadcaster.send("discord", ToChannel("announcements"), reminder, key="other")
    assert len(bot.fake.messages_in("announcements")) == 2


async def test_a_keyed_direct_message_is_made_once(bot: Bot) -> None:
    carol = Identity("discord", "1", str(bot.fake.member("carol").id))
    for _ in range(2):
        await bot.app.broadcaster.send("discord", ToMember((carol,)), say(text("Soon")), key="@3")
    assert [m["content"] for m in bot.fake.messages_in(bot.fake.dm_channel("carol"))] == ["Soon"]


def test_a_nonce_fits_discord_and_is_the_same_on_every_instance() -> None:
    nonces = {nonce_for(KEY, part) for part in range(3)}
    assert len(nonces) == 3
    assert all(len(n) <= NONCE_MAX for n in nonces)
    assert nonce_for(KEY + "x", 0) not in nonces


async def test_past_discords_nonce_window_a_repeat_is_possible(bot: Bot) -> None:
    """What is left: Discord remembers a nonce only a few minutes (docs/ARCHITECTURE.md)."""
    bot.fake.nonce_window = 0.0
    for _ in range(2):
        await bot.app.broadcaster.send(
            "discord", ToChannel("announcements"), say(text("Soon")), key=KEY, recheck=True
        )
    assert len(bot.fake.messages_in("announcements")) == 2
