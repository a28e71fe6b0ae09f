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
from adapters.slack.retries import delivery_key, event_key
from adapters.slack.runner import http_server
from bot.discussions.ingest import ReplyIngest
from bot.discussions.model import NewDiscussion
from bot.identity import Identity
from bot.membership.model import Profile
from bot.ports import PostedMessage
from storage import Storage
from tests.adapters.slack.harness import SIGNING_SECRET, WAIT, SlackScene, slack_bot
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_payloads import (
    JSON_CONTENT_TYPE,
    events_body,
    message_event,
    sign_request,
)
from tests.harness import START

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


THREAD = "1700000000.000100"  # the opening post of a discussion the bot started in #general


async def a_discussion(storage: Storage) -> int:
    """A discussion whose thread is THREAD in C1, as `discussion start` leaves one."""
    now = START
    async with storage.unit_of_work() as uow:
        member = await uow.members.add(
            Profile("Maria", "Alameda PH"), Identity("slack", "T1", "U1"), pending=False, at=now
        )
        discussion = await uow.discussions.add(
            NewDiscussion("Boards", "How?", (), "discussions"), member.id, now
        )
        await uow.discussions.add_thread(discussion.id, PostedMessage("slack", "C1", THREAD))
        await uow.commit()
    return discussion.id


def reply(ts: str = "1700000200.000200", **fields: Any) -> dict[str, Any]:
    """A person's reply in the discussion's thread, as the Events API delivers it;
    `fields` change the event (a subtype, a bot_id)."""
    body = message_event("C1", "USAM", "me too", ts=ts, thread_ts=THREAD)
    body["event"].update(fields)
    return body


def counted(bots: Sequence[SlackBot]) -> int:
    """Replies every replica has taken in (buffered, not yet written)."""
    return sum(bot.dispatcher.services.get(ReplyIngest).pending for bot in bots)


async def event_claims(storage: Storage) -> int:
    async with storage.engine.connect() as connection:
        found = await connection.scalar(
            text("SELECT count(*) FROM interaction_claims WHERE key LIKE 'event:%'")
        )
    return int(found or 0)


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


async def test_a_thread_reply_delivered_to_both_replicas_over_http_counts_once(
    fake: FakeSlack, storage: Storage
) -> None:
    await a_discussion(storage)
    async with (
        two_replicas(fake, storage) as bots,
        http_server(bots[0].bolt, "127.0.0.1", 0) as first,
        http_server(bots[1].bolt, "127.0.0.1", 0) as second,
        aiohttp.ClientSession() as session,
    ):

        async def deliver(port: int, event: dict[str, Any], **headers: str) -> int:
            body = events_body(event)
            sent = {"Content-Type": JSON_CONTENT_TYPE, **sign_request(SIGNING_SECRET, body)}
            url = f"http://127.0.0.1:{port}/slack/events"
            async with session.post(url, data=body, headers={**sent, **headers}) as response:
                return response.status

        # The same reply behind a load balancer, once to each replica.
        twice = reply()
        statuses = await asyncio.gather(deliver(first, twice), deliver(second, twice))
        assert list(statuses) == [200, 200]
        assert counted(bots) == 1
        assert await event_claims(storage) == 1

        # A retry whose first delivery never reached any replica still counts, once.
        lost = reply(ts="1700000300.000300")
        assert await deliver(second, lost, **{"X-Slack-Retry-Num": "1"}) == 200
        assert await deliver(first, lost, **{"X-Slack-Retry-Num": "2"}) == 200
        assert counted(bots) == 2


async def test_messages_the_bot_does_not_act_on_write_no_claim(
    fake: FakeSlack, storage: Storage
) -> None:
    await a_discussion(storage)
    async with two_replicas(fake, storage) as bots:
        ignored = [
            message_event("C1", "U1", "hello everyone"),  # an ordinary channel message
            reply(subtype="message_changed"),  # an edit in the thread
            reply(bot_id="B2"),  # another bot's reply
        ]
        for event in ignored:
            for bot in bots:
                request = AsyncBoltRequest(body=dict(event), mode="socket_mode")
                response = await asyncio.wait_for(bot.bolt.async_dispatch(request), WAIT)
                assert response.status == 200
        assert counted(bots) == 0
        assert await event_claims(storage) == 0  # not one database write for them


async def test_a_thread_reply_retried_in_socket_mode_after_a_lost_first_delivery_counts(
    fake: FakeSlack, storage: Storage
) -> None:
    await a_discussion(storage)
    async with two_replicas(fake, storage) as bots:
        lost = reply()
        # Bolt's Socket Mode handler turns an envelope's retry_attempt into this header.
        retried: dict[str, str | Sequence[str]] = {
            "x-slack-retry-num": ["1"],
            "x-slack-retry-reason": ["timeout"],
        }
        for bot in bots:
            request = AsyncBoltRequest(body=dict(lost), headers=retried, mode="socket_mode")
            response = await asyncio.wait_for(bot.bolt.async_dispatch(request), WAIT)
            assert response.status == 200
        assert counted(bots) == 1


def test_what_identifies_a_delivery_where_slack_may_resend_it() -> None:
    event = {"event_id": "Ev1", "event": {"type": "message"}}
    click = {"trigger_id": "1.2.3", "type": "block_actions"}
    # Events are claimed by the listener that acts on one, not by the middleware.
    assert delivery_key(event) is None and delivery_key(event, socket_mode=False) is None
    assert event_key(event) == "event:Ev1" and event_key(click) is None
    assert delivery_key(click) == "trigger:1.2.3"
    # Over HTTP Slack never resends a command or a click: nothing to claim.
    assert delivery_key(click, socket_mode=False) is None
    assert delivery_key({"type": "block_suggestion"}) is None


async def test_through_socket_mode_a_retried_thread_reply_counts_once_and_its_repeat_not(
    slack: SlackScene,
) -> None:
    await a_discussion(slack.app.storage)
    event = reply()
    # Slack's first delivery never reached the bot; its first retry does, then a second.
    for attempt in (1, 2):
        sent = await slack.send("events_api", event, retry_attempt=attempt)
        assert sent.ack == {}
    assert counted([slack.bot]) == 1
