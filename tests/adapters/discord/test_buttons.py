"""Persistent buttons: a click is handled by whichever process is running, and re-checked."""

from __future__ import annotations

import copy

import discord

from adapters.discord.buttons import ActionButton
from storage import Storage
from tests.adapters.discord.conftest import WAIT, running_bot, text_of
from tests.adapters.discord.test_membership import approval_config, button, join_with_options
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_payloads import CHANNEL_MESSAGE, FLAG_EPHEMERAL, UPDATE_MESSAGE


async def test_a_button_posted_before_a_restart_works_after_it(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    config = approval_config(fake)
    async with running_bot(fake, sqlite, config) as first:
        await join_with_options(first, "alice", "Alice Admin")
        await join_with_options(first, "bob", "Bob Okafor")
        card = await fake.wait_for_message("coordinators", lambda m: "Bob Okafor" in text_of(m))
        first_connection = await fake.wait_ready(WAIT)
    assert first_connection.ws.closed

    # A new client: a new process would have nothing more than the database and Discord.
    async with running_bot(fake, sqlite, config) as second:
        assert second.client is not first.client
        assert (await fake.wait_ready(WAIT, identifies=2)) is not first_connection
        approved = await second.click(button(card, "join.approve")["custom_id"], card, user="alice")

    assert approved.type == UPDATE_MESSAGE
    assert "Approved by **Alice Admin**" in text_of(fake.messages[int(card["id"])])
    assert fake.messages[int(card["id"])]["components"] == []


async def test_a_second_click_says_who_decided_first(fake: FakeDiscord, sqlite: Storage) -> None:
    async with running_bot(fake, sqlite, approval_config(fake)) as bot:
        await join_with_options(bot, "alice", "Alice Admin")
        await join_with_options(bot, "bob", "Bob Okafor")
        card = await fake.wait_for_message("coordinators", lambda m: "Bob Okafor" in text_of(m))
        # The card as a second coordinator still has it on screen, buttons and all.
        stale = copy.deepcopy(card)
        await bot.click(button(card, "join.approve")["custom_id"], card, user="alice")
        again = await bot.click(button(stale, "join.decline")["custom_id"], stale, user="alice")
        told = await bot.followup(again)
    assert again.type == UPDATE_MESSAGE
    assert "already approved this request" in text_of(told.json)
    assert told.json["flags"] & FLAG_EPHEMERAL


async def test_a_button_of_an_unknown_action_explains_what_to_do(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    async with running_bot(fake, sqlite) as bot:
        # A button posted by a version of the bot that had an action this one lacks.
        channel = bot.client.get_channel(fake.channel("general").id)
        assert isinstance(channel, discord.TextChannel)
        view = discord.ui.View(timeout=None)
        view.add_item(ActionButton("survey.answer", "3", label="Answer"))
        view.stop()
        old = await channel.send("An old survey", view=view)
        answered = await bot.click("cb:survey.answer:3", old.id, user="bob")
    assert answered.type == CHANNEL_MESSAGE
    assert "That button no longer works" in text_of(answered.data)
    assert answered.data is not None and answered.data["flags"] & FLAG_EPHEMERAL
