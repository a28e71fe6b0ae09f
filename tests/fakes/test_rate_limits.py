"""The platforms' rate limits as the fakes enforce them (off unless a test asks).

Time is a clock the test moves, so each answer is exactly what the limit allows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .discord import FakeDiscord
from .rate_limits import SlidingWindow, TokenBucket
from .slack import FakeSlack


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- the two shapes ----------------------------------------------------------------------


def test_a_token_bucket_lets_a_burst_through_then_one_per_interval() -> None:
    clock = Clock()
    bucket = TokenBucket(per_second=1.0, burst=3, clock=clock)
    assert [bucket.take() for _ in range(3)] == [None, None, None]
    assert bucket.take() == pytest.approx(1.0)
    clock.now += 0.25
    assert bucket.take() == pytest.approx(0.75)
    clock.now += 0.75
    assert bucket.take() is None
    clock.now += 100  # a quiet spell saves up no more than the burst
    assert [bucket.take() for _ in range(4)].count(None) == 3


def test_a_sliding_window_never_lets_more_than_its_limit_through_in_any_period() -> None:
    clock = Clock()
    window = SlidingWindow(limit=50, per=1.0, clock=clock)
    accepted = 0
    for _ in range(200):  # 200 requests over 2 s, evenly
        accepted += window.take() is None
        clock.now += 0.01
    assert accepted == 100
    clock.now = 2000.0
    assert window.remaining == 50


# -- Slack ---------------------------------------------------------------------------------


@pytest_asyncio.fixture
async def slack() -> AsyncIterator[tuple[FakeSlack, Clock, AsyncWebClient]]:
    clock = Clock()
    users = {f"U{n}": {"real_name": f"Person {n}"} for n in range(10)}
    async with FakeSlack(users=users, clock=clock) as fake:
        # No retry handler: every 429 reaches the test.
        yield fake, clock, AsyncWebClient(token="xoxb-test", base_url=fake.api_url)


async def test_slack_has_no_limits_unless_asked(
    slack: tuple[FakeSlack, Clock, AsyncWebClient],
) -> None:
    fake, _, client = slack
    for n in range(20):
        await client.chat_postMessage(channel="C1", text=f"post {n}")
        await client.conversations_open(users=f"U{n % 10}")
    assert fake.rate_limited_count == 0


async def test_slack_posts_in_a_channel_burst_then_one_a_second(
    slack: tuple[FakeSlack, Clock, AsyncWebClient],
) -> None:
    fake, clock, client = slack
    fake.rate_limit_per_channel(1.0, burst=4)
    refused = await _posts(client, "C1", 6)
    assert refused == ["1", "1"]  # the burst went through; Retry-After in whole seconds
    assert await _posts(client, "C2", 4) == []  # each channel has its own allowance
    clock.now += 1.0
    assert await _posts(client, "C1", 2) == ["1"]
    assert fake.rate_limited_count == 3
    assert len(fake.messages_in("C1")) == 5


async def test_slack_limits_a_tier_3_method_for_the_whole_workspace(
    slack: tuple[FakeSlack, Clock, AsyncWebClient],
) -> None:
    fake, clock, client = slack
    fake.rate_limit_tiers(burst=5)  # conversations.open: Tier 3, 50 a minute
    opened = refused = 0
    for n in range(8):
        try:
            await client.conversations_open(users=f"U{n}")
            opened += 1
        except SlackApiError as error:
            assert error.response.status_code == 429
            assert error.response["error"] == "ratelimited"
            assert error.response.headers["Retry-After"] == "2"  # 1.2 s, rounded up
            refused += 1
    assert (opened, refused) == (5, 3)
    clock.now += 60  # a minute saves up the burst again (no more)
    for n in range(6):
        try:
            await client.conversations_open(users=f"U{n}")
        except SlackApiError:
            refused += 1
    assert refused == 4 and fake.rate_limited_count == 4
    await client.chat_postMessage(channel="C1", text="other methods are not limited")


async def _posts(client: AsyncWebClient, channel: str, count: int) -> list[str]:
    """Post `count` times at once; the Retry-After of each refusal."""
    refused: list[str] = []
    for n in range(count):
        try:
            await client.chat_postMessage(channel=channel, text=f"post {n}")
        except SlackApiError as error:
            assert error.response.status_code == 429
            refused.append(error.response.headers["Retry-After"])
    return refused


# -- Discord -------------------------------------------------------------------------------


@pytest_asyncio.fixture
async def discord_fake() -> AsyncIterator[tuple[FakeDiscord, Clock, aiohttp.ClientSession]]:
    clock = Clock()
    fake = FakeDiscord(clock=clock)
    headers = {"Authorization": f"Bot {fake.token}"}
    async with fake, aiohttp.ClientSession(headers=headers) as session:
        yield fake, clock, session


async def test_discord_refuses_past_50_requests_a_second_with_a_global_429(
    discord_fake: tuple[FakeDiscord, Clock, aiohttp.ClientSession],
) -> None:
    fake, clock, session = discord_fake
    fake.limit_global(50)
    channel = fake.channel("general").id
    statuses = [await _post(fake, session, channel) for _ in range(60)]
    assert statuses.count(200) == 50
    refused = [s for s in statuses if s != 200]
    assert len(refused) == 10 and fake.rate_limited_count == 10
    last = fake.calls[-1]
    assert last.response == {
        "message": "You are being rate limited.",
        "retry_after": 1.0,
        "global": True,
        "code": 0,
    }
    clock.now += 1.0
    assert await _post(fake, session, channel) == 200


async def test_discord_global_limit_spares_interaction_callbacks(
    discord_fake: tuple[FakeDiscord, Clock, aiohttp.ClientSession],
) -> None:
    fake, _, session = discord_fake
    fake.limit_global(2)
    url = f"{fake.api_base}/interactions/1/no-such-token/callback"
    for _ in range(5):
        async with session.post(url, json={"type": 1}) as response:
            assert response.status != 429


async def test_discord_route_bucket_answers_with_its_headers_then_429(
    discord_fake: tuple[FakeDiscord, Clock, aiohttp.ClientSession],
) -> None:
    fake, clock, session = discord_fake
    fake.limit_route("POST", r"/channels/{id}/messages", limit=5, per=5.0)
    general, other = fake.channel("general").id, fake.guild.add_text_channel("other").id
    remaining = []
    for _ in range(5):
        async with session.post(_messages(fake, general), json={"content": "hi"}) as response:
            assert response.status == 200
            remaining.append(response.headers["X-RateLimit-Remaining"])
            assert response.headers["X-RateLimit-Limit"] == "5"
    assert remaining == ["4", "3", "2", "1", "0"]
    async with session.post(_messages(fake, general), json={"content": "hi"}) as response:
        assert response.status == 429
        assert response.headers["X-RateLimit-Scope"] == "user"
        body = await response.json()
        assert body["global"] is False and body["retry_after"] == pytest.approx(5.0)
    assert await _post(fake, session, other) == 200  # another channel, another bucket
    clock.now += 5.0
    assert await _post(fake, session, general) == 200


def _messages(fake: FakeDiscord, channel: int) -> str:
    return f"{fake.api_base}/channels/{channel}/messages"


async def _post(fake: FakeDiscord, session: aiohttp.ClientSession, channel: int) -> int:
    async with session.post(_messages(fake, channel), json={"content": "hi"}) as response:
        return response.status
