"""Discord's 3-second window and its rate limits.

Slowness is made deterministic: the core's work waits on an event that the test
sets only once it has seen the deferral, so no test depends on how fast the
machine is.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.invocation import Click, CommandCall
from bot.messages import Notice, Reply, ToChannel, say, text
from storage import Storage
from tests.adapters.discord.conftest import WAIT, Bot, buttons_of, running_bot, text_of
from tests.adapters.discord.test_membership import approval_config, button, join_with_options
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_payloads import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    MODAL,
)


class HeldDispatcher:
    """The real dispatcher, but each call waits until the test lets it go."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.catalogue = inner.catalogue
        self.go = asyncio.Event()

    async def run(self, call: CommandCall) -> Reply:
        await self.go.wait()
        return await self.inner.run(call)  # type: ignore[no-any-return]

    async def click(self, click: Click) -> Reply:
        await self.go.wait()
        return await self.inner.click(click)  # type: ignore[no-any-return]


async def test_quick_work_is_answered_directly(bot: Bot) -> None:
    answered = await bot.command("help")
    assert answered.type == CHANNEL_MESSAGE and answered.accepted


async def test_slow_work_defers_then_follows_up_in_place(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    held: list[HeldDispatcher] = []

    def hold(dispatcher: Any) -> HeldDispatcher:
        held.append(HeldDispatcher(dispatcher))
        return held[0]

    async with running_bot(fake, sqlite, defer_after=0.05, wrap=hold) as bot:
        deferred = await bot.command("help")
        assert deferred.type == DEFERRED_CHANNEL_MESSAGE
        assert deferred.accepted  # within the fake's 3 seconds
        assert deferred.data is not None and deferred.data["flags"] & FLAG_EPHEMERAL
        held[0].go.set()
        answer = await bot.followup(deferred)

    assert "What I can do in Our Coalition" in text_of(answer.json)
    # The answer took the place of "thinking…", privately.
    assert deferred.message is not None
    placeholder = fake.messages[int(deferred.message["id"])]
    assert "What I can do" in text_of(placeholder)
    assert not placeholder["flags"] & FLAG_LOADING and placeholder["flags"] & FLAG_EPHEMERAL


async def test_a_slow_click_acknowledges_then_edits_the_card(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    held: list[HeldDispatcher] = []

    def hold(dispatcher: Any) -> HeldDispatcher:
        held.append(HeldDispatcher(dispatcher))
        held[0].go.set()  # joining is quick; the click below is held
        return held[0]

    async with running_bot(fake, sqlite, approval_config(fake), defer_after=0.05, wrap=hold) as bot:
        await join_with_options(bot, "alice", "Alice Admin")
        await join_with_options(bot, "bob", "Bob Okafor")
        card = await fake.wait_for_message("coordinators", lambda m: "Bob Okafor" in text_of(m))
        held[0].go.clear()
        acknowledged = await bot.click(
            button(card, "join.approve")["custom_id"], card, user="alice"
        )
        assert acknowledged.type == DEFERRED_UPDATE_MESSAGE and acknowledged.accepted
        held[0].go.set()
        edit = await fake.wait_for_call(
            "PATCH", r"/webhooks/\d+/[^/]+/messages/@original", timeout=WAIT
        )
        told = await bot.followup(acknowledged)

    assert "Approved by **Alice Admin**" in text_of(edit.json)
    assert buttons_of(fake.messages[int(card["id"])]) == []
    assert told.json["flags"] & FLAG_EPHEMERAL and "You approved" in text_of(told.json)


async def test_a_form_that_comes_after_a_deferral_opens_from_a_button(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    held: list[HeldDispatcher] = []

    def hold(dispatcher: Any) -> HeldDispatcher:
        held.append(HeldDispatcher(dispatcher))
        return held[0]

    async with running_bot(fake, sqlite, defer_after=0.05, wrap=hold) as bot:
        deferred = await bot.command("join", user="carol")
        assert deferred.type == DEFERRED_CHANNEL_MESSAGE
        held[0].go.set()
        offer = await bot.followup(deferred)
        (open_form,) = buttons_of(offer.json)
        assert deferred.message is not None
        opened = await bot.click(open_form["custom_id"], int(deferred.message["id"]), user="carol")
    assert opened.type == MODAL and opened.data is not None
    assert opened.data["title"] == "Join the coalition (1/2)"


async def test_a_burst_of_posts_is_waited_out_and_all_arrive(bot: Bot) -> None:
    fake = bot.fake
    fake.limit_channel_messages("coordinators", limit=3, per=0.5)
    fake.rate_limit_next("/channels/{channel_id}/messages", retry_after=0.2, method="POST", count=2)
    notices = [Notice(ToChannel("coordinators"), say(text(f"Notice {n}"))) for n in range(12)]

    failures = await bot.app.broadcaster.deliver(notices)

    assert failures == 0
    assert fake.rate_limited_count >= 2  # Discord said "slow down", and discord.py waited
    posted = [m["content"] for m in fake.messages_in("coordinators")]
    assert posted == [f"Notice {n}" for n in range(12)]
