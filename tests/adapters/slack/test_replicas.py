"""Several replicas on one database: what Slack delivers twice runs once, wherever it lands.

Each replica is a bot of its own (its App, its Bolt app, its Storage engine) on the
same database, as two `coalition-bot run` processes are; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import aiohttp
from slack_bolt.request.async_request import AsyncBoltRequest
from sqlalchemy import text

from adapters.slack.app import SlackBot
from adapters.slack.retries import delivery_key
from adapters.slack.runner import http_server
from storage import Storage
from tests.adapters.slack.harness import SIGNING_SECRET, WAIT, SlackScene, slack_bot
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_payloads import (
    JSON_CONTENT_TYPE,
    event_callback,
    events_body,
    sign_request,
)

JOIN = 'join name="Maria Lopez" organization=Org discipline=Nursing region=West'


@asynccontextmanager
async def same_database(storage: Storage) -> AsyncIterator[Storage]:
    """A second Storage (its own engine and connections) on `storage`'s database."""
    if storage.backend == "sqlite":
        other = Storage(storage.url)
    else:
        async with storage.engine.connect() as connection:
            schema = str(await connection.scalar(text("SHOW search_path")))
        other = Storage(storage.url, connect_args={"server_settings": {"search_path": schema}})
    try:
        yield other
    finally:
        await other.dispose()


@asynccontextmanager
async def two_replicas(fake: FakeSlack, storage: Storage) -> AsyncIterator[list[SlackBot]]:
    async with AsyncExitStack() as stack:
        other = await stack.enter_async_context(same_database(storage))
        bots = [
            (await stack.enter_async_context(slack_bot(fake, database, mode=mode)))[1]
            for database, mode in ((storage, "socket"), (other, "socket"))
        ]
        yield bots
        for bot in bots:
            await bot.tasks.wait()


def counting(bots: list[SlackBot]) -> list[str]:
    """A listener for reaction_added on every replica; what it saw, by event id."""
    seen: list[str] = []

    async def reaction(body: dict[str, Any]) -> None:
        seen.append(str(body["event_id"]))

    for bot in bots:
        bot.bolt.event("reaction_added")(reaction)
    return seen


async def test_a_command_resent_to_another_replica_runs_once(
    fake: FakeSlack, storage: Storage
) -> None:
    async with two_replicas(fake, storage) as bots:
        payload = fake.slash_command(text=JOIN, user_id="U1")
        # Slack resends an envelope it saw no ack for, maybe on another connection.
        responses = await asyncio.gather(
            *(
                bot.bolt.async_dispatch(AsyncBoltRequest(body=dict(payload), mode="socket_mode"))
                for bot in bots
            )
        )
        assert sorted(r.status for r in responses) == [200, 200]
        answered = [r for r in responses if r.body]
        assert len(answered) == 1  # one answer; the other delivery was acknowledged empty
        async with storage.engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM members")) == 1


async def test_an_event_delivered_to_both_replicas_over_http_runs_once(
    fake: FakeSlack, storage: Storage
) -> None:
    async with (
        two_replicas(fake, storage) as bots,
        http_server(bots[0].bolt, "127.0.0.1", 0) as first,
        http_server(bots[1].bolt, "127.0.0.1", 0) as second,
        aiohttp.ClientSession() as session,
    ):
        seen = counting(bots)

        async def deliver(port: int, event: dict[str, Any], **headers: str) -> int:
            body = events_body(event)
            sent = {"Content-Type": JSON_CONTENT_TYPE, **sign_request(SIGNING_SECRET, body)}
            url = f"http://127.0.0.1:{port}/slack/events"
            async with session.post(url, data=body, headers={**sent, **headers}) as response:
                return response.status

        reaction = {"type": "reaction_added", "reaction": "tada", "user": "U1"}
        # The same event behind a load balancer, once to each replica.
        twice = event_callback(reaction)
        statuses = await asyncio.gather(deliver(first, twice), deliver(second, twice))
        assert list(statuses) == [200, 200]
        assert seen == [twice["event_id"]]

        # A retry whose first delivery never reached any replica still runs, once.
        lost = event_callback(reaction)
        assert await deliver(second, lost, **{"X-Slack-Retry-Num": "1"}) == 200
        assert await deliver(first, lost, **{"X-Slack-Retry-Num": "2"}) == 200
        assert seen == [twice["event_id"], lost["event_id"]]


async def test_an_event_retried_in_socket_mode_after_a_lost_first_delivery_runs(
    fake: FakeSlack, storage: Storage
) -> None:
    async with two_replicas(fake, storage) as bots:
        seen = counting(bots)
        lost = event_callback({"type": "reaction_added", "reaction": "tada", "user": "U1"})
        # Bolt's Socket Mode handler turns an envelope's retry_attempt into this header.
        retried: dict[str, str | Sequence[str]] = {
            "x-slack-retry-num": ["1"],
            "x-slack-retry-reason": ["timeout"],
        }
        for bot in bots:
            request = AsyncBoltRequest(body=dict(lost), headers=retried, mode="socket_mode")
            response = await asyncio.wait_for(bot.bolt.async_dispatch(request), WAIT)
            assert response.status == 200
        assert seen == [lost["event_id"]]


def test_what_identifies_a_delivery_where_slack_may_resend_it() -> None:
    event = {"event_id": "Ev1", "event": {"type": "app_mention"}}
    click = {"trigger_id": "1.2.3", "type": "block_actions"}
    assert delivery_key(event) == delivery_key(event, socket_mode=False) == "event:Ev1"
    assert delivery_key(click) == "trigger:1.2.3"
    # Over HTTP Slack never resends a command or a click: nothing to claim.
    assert delivery_key(click, socket_mode=False) is None
    assert delivery_key({"type": "block_suggestion"}) is None


async def test_through_socket_mode_a_retried_event_runs_once_and_its_repeat_not(
    slack: SlackScene,
) -> None:
    seen = counting([slack.bot])
    event = event_callback({"type": "reaction_added", "reaction": "tada", "user": "U1"})
    # Slack's first delivery never reached the bot; its first retry does, then a second.
    for attempt in (1, 2):
        sent = await slack.send("events_api", event, retry_attempt=attempt)
        assert sent.ack == {}
    assert seen == [event["event_id"]]
