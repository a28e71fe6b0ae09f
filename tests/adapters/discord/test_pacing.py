"""The Discord poster's own pacing under the global limit, and its DM channels kept."""

from __future__ import annotations

import asyncio

from adapters.discord.pacing import Pace
from adapters.discord.poster import DiscordPoster
from bot.identity import Identity
from bot.messages import say, text
from tests.adapters.discord.conftest import Bot


class Clock:
    """Time that passes only when the pace sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


async def test_the_pace_lets_a_window_through_then_waits_for_the_next() -> None:
    clock = Clock()
    pace = Pace(50, 1.0, clock=clock, sleep=clock.sleep)
    granted: list[float] = []
    for _ in range(120):
        async with pace():  # each answered at once
            granted.append(clock.now)
    assert granted.count(0.0) == 50 and granted.count(1.0) == 50 and granted.count(2.0) == 20
    assert pace.waits == 2 and len(clock.sleeps) == 2


async def test_a_request_counts_until_a_window_after_its_answer() -> None:
    """One place; the request in it is answered only at 5 s: the next goes at 6 s,
    however early Discord saw the first."""
    clock = Clock()
    pace = Pace(1, 1.0, clock=clock, sleep=clock.sleep)
    slow = pace()
    await slow.__aenter__()
    waiting = asyncio.ensure_future(pace().__aenter__())
    await asyncio.sleep(0)
    assert not waiting.done()  # nothing answered yet: no place free
    clock.now = 5.0
    await slow.__aexit__(None, None, None)
    await waiting
    assert clock.now == 6.0 and clock.sleeps == [1.0] and pace.waits == 1


async def test_callers_at_once_are_served_in_order_within_the_limit() -> None:
    clock = Clock()
    pace = Pace(3, 1.0, clock=clock, sleep=clock.sleep)
    order: list[tuple[int, float]] = []

    async def ask(n: int) -> None:
        async with pace():
            order.append((n, clock.now))

    await asyncio.gather(*(ask(n) for n in range(7)))
    assert [n for n, _ in order] == list(range(7))
    assert [at for _, at in order] == [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0]


async def test_a_fan_out_of_direct_messages_stays_under_the_global_limit(bot: Bot) -> None:
    """20 DMs at once (a DM channel and a post each) against a fake that allows 10 requests
    a second: not one 429, and every message arrives."""
    assert bot.runner.poster is not None
    poster = DiscordPoster(bot.client, bot.app.config, (bot.fake.guild.id,), pace=Pace(10, 1.0))
    people = [bot.fake.guild.add_member(f"person{n}") for n in range(20)]
    bot.fake.limit_global(10)
    sent = await asyncio.gather(
        *(
            poster.post_to_user(Identity("discord", "1", str(p.user.id)), say(text("soon")))
            for p in people
        )
    )
    assert len(sent) == 20 and bot.fake.rate_limited_count == 0
    assert all(bot.fake.messages_in(bot.fake.dm_channel(p.user.id)) for p in people)


async def test_a_second_message_to_someone_opens_no_second_dm_channel(bot: Bot) -> None:
    assert bot.runner.poster is not None
    poster = bot.runner.poster
    carol = Identity("discord", "1", str(bot.fake.member("carol").id))
    first = await poster.post_to_user(carol, say(text("one")))
    second = await poster.post_to_user(carol, say(text("two")))
    assert len(bot.fake.find_calls("POST", "/users/@me/channels")) == 1
    assert first.channel == second.channel == str(bot.fake.dm_channel("carol").id)
    contents = [m["content"] for m in bot.fake.messages_in(bot.fake.dm_channel("carol"))]
    assert contents == ["one", "two"]
