"""Peer matching end to end: a round's introductions and the check-in, on the real
slack-bolt / slack_sdk and discord.py against the fakes, and across the two.

Slack: one group DM (conversations.open with every member). Discord, where bots
cannot make group DMs: one DM to each, mentioning the others. Members on different
platforms: each on their own, with the other's platform and account.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.poster import SlackPoster
from bot.clock import ManualClock
from bot.config import Config
from bot.identity import Identity, Place
from bot.invocation import ActorHints
from bot.matching.rounds import MatchingRounds
from bot.matching.schedule import instants_between
from bot.messages import Reply
from storage import Storage
from tests.adapters.discord.conftest import (  # noqa: F401 - fixtures
    buttons_of,
    discord_env,
    fake,
    running_bot,
    text_of,
)
from tests.adapters.slack.harness import BOT_TOKEN, CHANNELS, USERS, SlackScene, socket_scene
from tests.fakes.discord import FakeDiscord
from tests.fakes.slack import FakeSlack

CONFIG = Config(admins=("slack:UDANA",))
PROFILE = 'organization="{org}" discipline=Policy region=West interests="Housing, Workforce"'


def round_instant(config: Config, clock: ManualClock) -> datetime:
    now = clock.now()
    (first, *_) = instants_between(
        config.matching, config.coalition.timezone, now, now + timedelta(weeks=3)
    )
    return first


def all_text(message: dict[str, Any]) -> str:
    return str(message.get("text", "")) + str(message.get("blocks", ""))


@pytest.fixture
async def scene(sqlite: Storage) -> AsyncIterator[SlackScene]:
    async with (
        FakeSlack(users=USERS, channels=CHANNELS) as fake_slack,
        socket_scene(fake_slack, sqlite, CONFIG) as scene,
    ):
        yield scene
        assert fake_slack.errors == [], "the fake itself raised"
        fake_slack.assert_payloads_valid()


async def test_a_round_in_slack_is_one_group_dm_then_a_checkin(scene: SlackScene) -> None:
    slack, app = scene.fake, scene.app
    for user, name in (("U1", "Maria Lopez"), ("USAM", "Sam Okafor"), ("UDANA", "Dana Reyes")):
        org = f"{name} County"
        await scene.command(f'join name="{name}" ' + PROFILE.format(org=org), user=user)
        await scene.command("match join region=any", user=user)
    await scene.settled()
    assert isinstance(app.clock, ManualClock)
    app.clock.set(round_instant(app.config, app.clock))
    rounds = app.dispatcher.services.get(MatchingRounds)
    assert await rounds.run_due() == 1  # three people: one group of three
    ((channel, people),) = slack.group_dms.items()
    assert people == ("U1", "UDANA", "USAM")
    (intro,) = slack.messages_in(channel)
    shown = all_text(intro)
    assert "Meet your peer match" in shown
    assert all(f"<@{u}>" in shown for u in people)
    assert "You share an interest in" in shown and "Housing, Workforce" in shown

    app.clock.advance(timedelta(days=7))
    await rounds.run_due()
    await rounds.run_due()
    (asked,) = [m for m in slack.messages_in("U1") if "Did you meet" in all_text(m)]
    dm = next(
        c.response["channel"]["id"]
        for c in slack.calls_to("conversations.open")
        if c.params.get("users") == "U1"
    )
    answered = await scene.click(dm, asked, "Yes", user="U1")
    assert "noted that you met" in (await scene.answer(answered)).params["text"]
    stats = await scene.command("match stats", user="UDANA")
    assert "met 1 (100%)" in (await scene.answer(stats)).params["text"]


async def test_a_slack_group_dm_says_it_in_each_members_language(scene: SlackScene) -> None:
    slack, app = scene.fake, scene.app
    for user, name in (("U1", "Maria Lopez"), ("UANA", "Ana Ruiz")):
        await scene.command(f'join name="{name}" ' + PROFILE.format(org=name), user=user)
        await scene.command("match join region=any", user=user)
    await scene.command("profile edit language=es", user="UANA")
    await scene.settled()
    assert isinstance(app.clock, ManualClock)
    app.clock.set(round_instant(app.config, app.clock))
    assert await app.dispatcher.services.get(MatchingRounds).run_due() == 1
    ((channel, people),) = slack.group_dms.items()
    assert people == ("U1", "UANA")
    english, spanish = slack.messages_in(channel)
    assert "Meet your peer match" in all_text(english)
    assert "Conozca a su pareja de intercambio" in all_text(spanish)


async def test_a_slack_group_dm_taken_before_a_crash_is_not_sent_again(
    scene: SlackScene,
) -> None:
    slack, app = scene.fake, scene.app
    for user, name in (("U1", "Maria Lopez"), ("USAM", "Sam Okafor")):
        await scene.command(f'join name="{name}" ' + PROFILE.format(org=name), user=user)
        await scene.command("match join region=any", user=user)
    await scene.settled()
    assert isinstance(app.clock, ManualClock)
    app.clock.set(round_instant(app.config, app.clock))
    rounds = app.dispatcher.services.get(MatchingRounds)
    # Slack takes the introduction, and the instance dies before it hears back: the
    # post exists, its place is not marked introduced.
    slack.hold_answers("chat.postMessage")
    first = asyncio.create_task(rounds.run_due())
    posted = await slack.wait_for_call(
        "chat.postMessage", lambda c: str(c.params.get("channel", "")).startswith("G"), timeout=5
    )
    first.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await first
    slack.release_answers()
    channel = str(posted.params["channel"])
    assert len(slack.messages_in(channel)) == 1

    # Past the claim timeout the sweep takes it over (a second try, so it looks first).
    app.clock.advance(timedelta(seconds=app.config.meetings.claim_timeout_seconds + 1))
    await rounds.send_owed()
    (intro,) = slack.messages_in(channel)  # found in the group DM's history, not repeated
    assert intro["metadata"]["event_payload"]["key"].endswith("/intro/en")
    assert [c for c in slack.calls_to("conversations.history") if c.ok]
    async with app.storage.unit_of_work() as uow:
        assert await uow.matching.unintroduced(app.clock.now()) == []  # marked done now


async def test_a_round_in_discord_is_a_dm_to_each_naming_the_other(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    async with running_bot(fake, sqlite, Config()) as bot:
        for user, name in (("alice", "Alice Admin"), ("carol", "Carol Diaz")):
            options = {"name": name, "organization": f"{name} County", "discipline": "Policy"}
            await bot.command(
                "join", {**options, "region": "West", "interests": "Housing"}, user=user
            )
            joined = await bot.command("match join", {"region": "any"}, user=user)
            assert "You are in peer matching" in text_of(joined.data)
        app = bot.app
        assert isinstance(app.clock, ManualClock)
        app.clock.set(round_instant(app.config, app.clock))
        rounds = app.dispatcher.services.get(MatchingRounds)
        assert await rounds.run_due() == 1
        to_alice = fake.messages_in(fake.dm_channel("alice"))
        to_carol = fake.messages_in(fake.dm_channel("carol"))
        assert len(to_alice) == 1 and len(to_carol) == 1
        assert f"<@{bot.user_id('carol')}>" in text_of(to_alice[0]) + str(to_alice[0])
        assert f"<@{bot.user_id('alice')}>" in text_of(to_carol[0]) + str(to_carol[0])
        assert "Meet your peer match" in text_of(to_alice[0])

        app.clock.advance(timedelta(days=7))
        await rounds.run_due()
        asked = fake.messages_in(fake.dm_channel("carol"))[-1]
        assert "Did you meet" in text_of(asked)
        skip = next(b for b in buttons_of(asked) if b["label"] == "Skip")
        answer = await bot.click(skip["custom_id"], asked, user="carol")
        assert "skipped this round" in text_of(answer.data)


async def say_as_slack(app: Any, user: str, text: str) -> Reply:
    who = Identity("slack", "T1", user)
    place = Place("slack", "T1", "C1")
    return await app.dispatcher.run_text(who, place, text, ActorHints())  # type: ignore[no-any-return]


async def test_members_on_different_platforms_each_get_a_dm_on_their_own(
    fake: FakeDiscord,  # noqa: F811 - the fixture imported above
    sqlite: Storage,
) -> None:
    async with (
        FakeSlack(users=USERS, channels=CHANNELS) as slack,
        running_bot(fake, sqlite, Config()) as bot,
    ):
        app = bot.app
        poster = SlackPoster(AsyncWebClient(token=BOT_TOKEN, base_url=slack.api_url), interval=0)
        app.broadcaster.connect(poster)
        options = {"name": "Alice Admin", "organization": "County A", "discipline": "Policy"}
        await bot.command(
            "join", {**options, "region": "West", "interests": "Housing"}, user="alice"
        )
        await bot.command("match join", {"region": "any"}, user="alice")
        joined = await say_as_slack(
            app, "U1", 'join name="Maria Lopez" ' + PROFILE.format(org="County B")
        )
        assert joined.message is not None
        await say_as_slack(app, "U1", "match join region=any")
        assert isinstance(app.clock, ManualClock)
        app.clock.set(round_instant(app.config, app.clock))
        assert await app.dispatcher.services.get(MatchingRounds).run_due() == 1
        (to_alice,) = fake.messages_in(fake.dm_channel("alice"))
        assert "Maria Lopez" in text_of(to_alice) and "on Slack" in text_of(to_alice)
        assert "U1" in text_of(to_alice)
        (to_maria,) = slack.messages_in("U1")
        shown = all_text(to_maria)
        assert "Alice Admin" in shown and "on Discord" in shown
        assert str(bot.user_id("alice")) in shown
        assert slack.group_dms == {}
        app.broadcaster.disconnect("slack")
        assert slack.errors == []
        slack.assert_payloads_valid()
