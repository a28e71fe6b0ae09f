"""The fake Slack driven by the real slack-bolt AsyncApp + aiohttp Socket Mode handler.

Nothing in slack_bolt/slack_sdk is patched: the app's AsyncWebClient gets the fake's
base_url and Socket Mode connects to whatever URL apps.connections.open returns.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from .slack import (
    FORM_CONTENT_TYPE,
    FakeSlack,
    RecordedCall,
    plain_text_state,
    sign_request,
    signed_headers,
    slash_command,
    slash_command_body,
)

WAIT = 5.0  # upper bound for every wait, so a broken test fails instead of hanging
SIGNING_SECRET = "test-signing-secret"

HELP_BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Coalition bot* commands"}}
]
JOIN_BLOCKS: list[dict[str, Any]] = [
    {
        "type": "section",
        "block_id": "intro",
        "text": {"type": "mrkdwn", "text": "Join the campaign?"},
    },
    {
        "type": "actions",
        "block_id": "join_actions",
        "elements": [
            {
                "type": "button",
                "action_id": "join",
                "text": {"type": "plain_text", "text": "Join"},
                "value": "campaign-1",
            }
        ],
    },
]


@dataclass
class Bot:
    fake: FakeSlack
    app: AsyncApp
    client: AsyncWebClient
    handler: AsyncSocketModeHandler


def posted_to(channel: str) -> Callable[[RecordedCall], bool]:
    return lambda call: call.params.get("channel") == channel


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    users = {
        "U1": {"real_name": "Maria", "tz": "Europe/Madrid", "tz_offset": 3600, "locale": "es-ES"}
    }
    async with FakeSlack(users=users, channels={"general": "C1", "organizing": "C2"}) as fake:
        yield fake
        assert fake.errors == [], "the fake itself raised"
        fake.assert_payloads_valid()


@pytest_asyncio.fixture
async def bot(fake: FakeSlack) -> AsyncIterator[Bot]:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    # Passing token= as well would only log "client prioritized, token skipped".
    app = AsyncApp(client=client)
    # web_client defaults to app.client, so apps.connections.open also goes to the fake.
    handler = AsyncSocketModeHandler(app, app_token="xapp-test")
    try:
        await asyncio.wait_for(handler.connect_async(), WAIT)  # type: ignore[no-untyped-call]
        await fake.wait_connected(WAIT)
        yield Bot(fake, app, client, handler)
    finally:
        # Close the client before the fake stops, or it would try to reconnect.
        await handler.close_async()  # type: ignore[no-untyped-call]
        await asyncio.sleep(0)  # let the cancelled client tasks finish


@pytest.mark.asyncio
async def test_slash_command_is_acked_and_replies_reach_the_fake(bot: Bot) -> None:
    fake, app = bot.fake, bot.app

    @app.command("/coalition")
    async def coalition(
        ack: Any, command: dict[str, str], say: Any, respond: Any, client: AsyncWebClient
    ) -> None:
        await ack(text=f"Working on `{command['text']}`")
        await say(text="Coalition help", blocks=HELP_BLOCKS)
        await respond(text="Only you can see this")
        await client.chat_postMessage(channel=command["user_id"], text="Sent you the details")

    envelope_id = await fake.send_envelope("slash_commands", fake.slash_command(text="help"))
    ack = await fake.wait_ack(envelope_id, timeout=WAIT)
    assert ack.payload == {"text": "Working on `help`"}
    assert 0 <= ack.seconds < WAIT

    said = await fake.wait_for_call("chat.postMessage", posted_to("C1"), timeout=WAIT)
    assert said.ok and said.token == "xoxb-test"
    assert said.params["text"] == "Coalition help"
    assert said.params["blocks"] == HELP_BLOCKS
    assert said.headers["Content-Type"].startswith("application/json")  # chat.* go as JSON
    assert fake.messages_in("#general")[0]["blocks"] == HELP_BLOCKS

    responded = await fake.wait_for_call("response_url", timeout=WAIT)
    assert responded.params["text"] == "Only you can see this"
    # The ack's text is shown privately too; which of the two lands first is a race.
    assert "Only you can see this" in [e["text"] for e in fake.ephemerals_for("U1")]

    dm = await fake.wait_for_call("chat.postMessage", posted_to("U1"), timeout=WAIT)
    assert dm.response["channel"].startswith("D")  # posting to a user id lands in their DM
    assert [m["text"] for m in fake.messages_in("U1")] == ["Sent you the details"]

    # Bolt authorizes once with auth.test; Socket Mode used the app-level token.
    assert [c.token for c in fake.calls_to("auth.test")] == ["xoxb-test"]
    assert [c.token for c in fake.calls_to("apps.connections.open")] == ["xapp-test"]


@pytest.mark.asyncio
async def test_block_action_is_acked_and_updates_the_message(bot: Bot) -> None:
    fake, app = bot.fake, bot.app
    posted = await bot.client.chat_postMessage(channel="C1", text="Join?", blocks=JOIN_BLOCKS)

    @app.action("join")
    async def join(
        ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        await client.chat_update(
            channel=body["channel"]["id"],
            ts=body["message"]["ts"],
            text=f"<@{body['user']['id']}> joined {action['value']}",
            blocks=[],
        )

    payload = fake.block_actions("join", "campaign-1", channel_id="C1", message_ts=posted["ts"])
    assert payload["actions"][0]["block_id"] == "join_actions"  # found in the posted message
    envelope_id = await fake.send_envelope("interactive", payload)
    ack = await fake.wait_ack(envelope_id, timeout=WAIT)
    assert ack.payload == {}

    update = await fake.wait_for_call("chat.update", timeout=WAIT)
    assert update.ok, update.response
    assert update.params["ts"] == posted["ts"]
    [message] = fake.messages_in("C1")
    assert message["text"] == "<@U1> joined campaign-1"
    assert "edited" in message


@pytest.mark.asyncio
async def test_view_submission_errors_come_back_in_the_ack(bot: Bot) -> None:
    fake, app = bot.fake, bot.app
    modal = {
        "type": "modal",
        "callback_id": "pledge",
        "private_metadata": "campaign-1",
        "title": {"type": "plain_text", "text": "Pledge hours"},
        "submit": {"type": "plain_text", "text": "Pledge"},
        "blocks": [
            {
                "type": "input",
                "block_id": "hours",
                "label": {"type": "plain_text", "text": "Hours"},
                "element": {"type": "plain_text_input", "action_id": "hours_input"},
            }
        ],
    }

    @app.command("/coalition")
    async def open_modal(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=modal)

    @app.view("pledge")
    async def pledge(ack: Any, view: dict[str, Any]) -> None:
        hours = view["state"]["values"]["hours"]["hours_input"]["value"]
        if not hours.isdigit():
            await ack(response_action="errors", errors={"hours": "Enter a whole number of hours"})
            return
        await ack()

    await fake.send_envelope("slash_commands", fake.slash_command(text="pledge"))
    opened = await fake.wait_for_call("views.open", timeout=WAIT)
    assert opened.ok, opened.response
    view_id = opened.response["view"]["id"]

    payload = fake.view_submission(
        "pledge", view_id=view_id, state_values=plain_text_state("hours", "hours_input", "lots")
    )
    assert payload["view"]["private_metadata"] == "campaign-1"  # carried over from views.open
    ack = await fake.wait_ack(await fake.send_envelope("interactive", payload), timeout=WAIT)
    assert ack.payload == {
        "response_action": "errors",
        "errors": {"hours": "Enter a whole number of hours"},
    }


@pytest.mark.asyncio
async def test_429_is_waited_out_by_the_rate_limit_retry_handler(bot: Bot) -> None:
    fake, app = bot.fake, bot.app
    # Bolt copies the app client's retry handlers into each request's client.
    bot.client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=1))
    fake.fail_with_429_once("chat.postMessage", retry_after=1)

    @app.command("/coalition")
    async def thanks(ack: Any, say: Any) -> None:
        await ack()
        await say("Thanks for joining!")

    await fake.wait_ack(
        await fake.send_envelope("slash_commands", fake.slash_command(text="join")), timeout=WAIT
    )
    delivered = await fake.wait_for_call("chat.postMessage", lambda c: c.ok, timeout=WAIT)

    first, *rest = fake.calls_to("chat.postMessage")
    assert first.status == 429 and first.response == {"ok": False, "error": "ratelimited"}
    assert rest == [delivered]
    assert delivered.timestamp - first.timestamp >= 1.0  # Retry-After was honoured
    assert fake.rate_limited_count == 1
    assert [m["text"] for m in fake.messages_in("C1")] == ["Thanks for joining!"]


@pytest.mark.asyncio
async def test_per_channel_rate_limit(fake: FakeSlack) -> None:
    fake.rate_limit_per_channel(posts_per_second=1.0)
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)

    await client.chat_postMessage(channel="C1", text="first")
    await client.chat_postMessage(channel="C2", text="other channel: not limited")
    with pytest.raises(SlackApiError) as excinfo:
        await client.chat_postMessage(channel="C1", text="too soon")  # no retry handler
    assert excinfo.value.response.status_code == 429
    assert excinfo.value.response.headers["Retry-After"] == "1"

    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    await client.chat_postMessage(channel="C1", text="second")
    assert [m["text"] for m in fake.messages_in("C1")] == ["first", "second"]
    assert fake.rate_limited_count >= 1


@pytest.mark.asyncio
async def test_message_event_and_reaction(bot: Bot) -> None:
    fake, app = bot.fake, bot.app

    @app.message("hello")
    async def wave(message: dict[str, Any], client: AsyncWebClient) -> None:
        await client.reactions_add(channel=message["channel"], timestamp=message["ts"], name="wave")

    payload = fake.message_event("C1", "U1", "hello everyone", ts="1700000100.000200")
    envelope_id = await fake.send_envelope("events_api", payload)
    assert (await fake.wait_ack(envelope_id, timeout=WAIT)).payload == {}  # Bolt acks events itself

    reaction = await fake.wait_for_call("reactions.add", timeout=WAIT)
    assert reaction.ok, reaction.response
    # The event's message exists in the fake now, so the reaction is attached to it.
    assert fake.messages_in("C1")[0]["reactions"] == [
        {"name": "wave", "users": ["UBOT"], "count": 1}
    ]


@pytest.mark.asyncio
async def test_web_api_surface(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)

    user = (await client.users_info(user="U1", include_locale=True))["user"]
    assert (user["tz"], user["tz_offset"], user["real_name"], user["locale"]) == (
        "Europe/Madrid",
        3600,
        "Maria",
        "es-ES",
    )
    assert "locale" not in (await client.users_info(user="U1"))["user"]  # as Slack: opt-in
    assert fake.calls_to("users.info")[0].http_method == "GET"  # sent as a query string
    fake.add_user("U3", email="lee@example.org")
    assert (await client.users_info(user="U3"))["user"]["profile"]["email"] == "lee@example.org"
    fake.scopes.discard("users:read.email")  # Slack leaves the email out, nothing fails
    assert "email" not in (await client.users_info(user="U3"))["user"]["profile"]

    dm1 = (await client.conversations_open(users="U1"))["channel"]["id"]
    dm2 = (await client.conversations_open(users="U1"))["channel"]["id"]
    assert dm1 == dm2 and dm1.startswith("D")

    channels = (await client.conversations_list(limit=1))["channels"]
    assert [c["name"] for c in channels] == ["general"]
    await client.conversations_join(channel="C2")
    assert (await client.conversations_info(channel="C2"))["channel"]["is_member"] is True

    upload = await client.files_upload_v2(
        channel="C1",
        content="name,hours\nmaria,3\n",
        filename="pledges.csv",
        initial_comment="Pledges",
    )
    [stored] = fake.files.values()
    assert upload["file"]["id"] == stored.file_id
    assert stored.content == b"name,hours\nmaria,3\n" and stored.completed
    assert [c.method for c in fake.calls if c.method.startswith("file")] == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]
    assert fake.messages_in("C1")[-1]["text"] == "Pledges"

    fake.fail_next("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError) as excinfo:
        await client.chat_postMessage(channel="C1", text="hi")
    assert excinfo.value.response["error"] == "channel_not_found"
    with (
        pytest.raises(SlackApiError) as excinfo,
        pytest.warns(UserWarning, match="`text` argument is missing"),
    ):
        await client.chat_postMessage(channel="C1")
    assert excinfo.value.response["error"] == "no_text"
    with pytest.raises(SlackApiError) as excinfo:
        await client.api_call("chat.unfurlEverything", json={})
    assert excinfo.value.response["error"] == "unknown_method"
    assert fake.calls_to("chat.unfurlEverything")

    # Form-encoded bodies (data=, and the sync WebClient for params= methods) carry
    # JSON fields as strings; the fake decodes them like JSON bodies.
    await client.api_call(
        "chat.postEphemeral",
        data={"channel": "C1", "user": "U1", "text": "psst", "blocks": json.dumps(HELP_BLOCKS)},
    )
    ephemeral = fake.calls_to("chat.postEphemeral")[0]
    assert ephemeral.headers["Content-Type"].startswith(FORM_CONTENT_TYPE)
    assert ephemeral.params["blocks"] == HELP_BLOCKS
    sync_client = WebClient(token="xoxb-test", base_url=fake.api_url)
    ts = fake.messages_in("C1")[-1]["ts"]
    await asyncio.to_thread(sync_client.reactions_add, channel="C1", timestamp=ts, name="tada")
    assert fake.calls_to("reactions.add")[0].headers["Content-Type"].startswith(FORM_CONTENT_TYPE)
    # ...while the async client sent files.completeUploadExternal's JSON in the query string.
    complete = fake.calls_to("files.completeUploadExternal")[0]
    assert complete.body == b"" and complete.params["files"][0]["id"] == stored.file_id


@pytest.mark.asyncio
async def test_fake_survives_its_own_handler_errors(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)

    def broken(call: RecordedCall) -> dict[str, Any]:
        raise RuntimeError("bug in the fake")

    fake._handlers["conversations.info"] = broken
    with pytest.raises(SlackApiError) as excinfo:
        await client.conversations_info(channel="C1")
    assert excinfo.value.response.status_code == 500
    assert fake.calls_to("conversations.info")[0].status == 500
    assert [str(e) for e in fake.errors] == ["bug in the fake"]
    fake.errors.clear()  # expected here; the fixture fails tests that leave errors behind
    assert (await client.auth_test())["user_id"] == "UBOT"  # still serving


@pytest.mark.asyncio
async def test_wait_for_call_times_out_with_context(fake: FakeSlack) -> None:
    with pytest.raises(TimeoutError, match=r"chat\.postMessage"):
        await fake.wait_for_call("chat.postMessage", timeout=0.05)


def test_sign_request_verifies_with_slack_sdk() -> None:
    body = slash_command_body(slash_command(text="help"))
    headers = sign_request(SIGNING_SECRET, body, int(time.time()))
    assert SignatureVerifier(SIGNING_SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)
    assert not SignatureVerifier(SIGNING_SECRET).is_valid_request(body + b"&x=1", headers)


@pytest.mark.asyncio
async def test_http_mode_dispatch_accepts_signed_requests(fake: FakeSlack) -> None:
    app = AsyncApp(
        client=AsyncWebClient(token="xoxb-test", base_url=fake.api_url),
        signing_secret=SIGNING_SECRET,
    )

    @app.command("/coalition")
    async def coalition(ack: Any) -> None:
        await ack("ok!")

    body = slash_command_body(fake.slash_command(text="help")).decode()

    async def dispatch(secret: str) -> tuple[int, str]:
        headers: dict[str, str | Sequence[str]] = {
            **signed_headers(secret, body.encode(), FORM_CONTENT_TYPE)
        }
        response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
        return response.status, response.body

    assert await dispatch(SIGNING_SECRET) == (200, "ok!")
    assert (await dispatch("wrong-secret"))[0] == 401


@pytest.mark.asyncio
async def test_permalinks_as_slack_builds_them(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    parent = await client.chat_postMessage(channel="C1", text="Opening")
    reply = await client.chat_postMessage(channel="C1", text="Reply", thread_ts=parent["ts"])

    link = await client.chat_getPermalink(channel="C1", message_ts=parent["ts"])
    digits = str(parent["ts"]).replace(".", "")
    assert link["permalink"] == f"https://{fake.team_domain}.slack.com/archives/C1/p{digits}"
    in_thread = await client.chat_getPermalink(channel="C1", message_ts=reply["ts"])
    assert str(in_thread["permalink"]).endswith(f"?thread_ts={parent['ts']}&cid=C1")
    with pytest.raises(SlackApiError) as excinfo:
        await client.chat_getPermalink(channel="C1", message_ts="1.000001")
    assert excinfo.value.response["error"] == "message_not_found"


@pytest.mark.asyncio
async def test_metadata_is_kept_and_shown_in_history_only_when_asked_for(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    metadata = {"event_type": "coalition_delivery", "event_payload": {"key": "k", "part": 0}}
    await client.chat_postMessage(channel="C1", text="first", metadata=metadata)
    await client.chat_postMessage(channel="C1", text="second")
    fake.add_message("C1", "a reply", thread_ts=fake.messages_in("C1")[0]["ts"])
    with pytest.raises(SlackApiError, match="not_in_channel"):  # a bot reads where it is in
        await client.conversations_history(channel="C1")
    await client.conversations_join(channel="C1")

    plain = await client.conversations_history(channel="C1")
    assert [m["text"] for m in plain["messages"]] == ["second", "first"]  # newest first
    assert all("metadata" not in m for m in plain["messages"])
    full = await client.conversations_history(channel="C1", include_all_metadata=True, limit=1)
    assert [m["text"] for m in full["messages"]] == ["second"] and full["has_more"] is True
    older = await client.conversations_history(
        channel="C1", include_all_metadata=True, latest=full["messages"][0]["ts"]
    )
    assert [m.get("metadata") for m in older["messages"]] == [metadata]


@pytest.mark.asyncio
async def test_metadata_of_the_wrong_shape_is_refused(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    for wrong, error in (
        ({"event_type": "x"}, "invalid_metadata_schema"),
        ({"event_type": 3, "event_payload": {}}, "invalid_metadata_schema"),
        ("not an object", "invalid_metadata_format"),
    ):
        with pytest.raises(SlackApiError, match=error):
            await client.chat_postMessage(channel="C1", text="x", metadata=wrong)  # type: ignore[arg-type]
    assert fake.messages_in("C1") == []
    fake.invalid_payloads.clear()  # expected here; the fixture fails tests that leave them


@pytest.mark.asyncio
async def test_group_dms_are_one_conversation_per_set_of_people(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    fake.users["U2"] = {"real_name": "Lee", "tz": "Europe/Madrid", "tz_offset": 3600}
    users = "U2,U1"
    first = (await client.conversations_open(users=users))["channel"]["id"]
    again = await client.conversations_open(users="U1,U2")
    assert again["channel"]["id"] == first and first.startswith("G")
    assert fake.group_dms[first] == ("U1", "U2")
    await client.chat_postMessage(channel=first, text="hello both")
    assert [m["text"] for m in fake.messages_in(first)] == ["hello both"]
    with pytest.raises(SlackApiError) as refused:
        await client.conversations_open(users=f"{users},UNOBODY")
    assert refused.value.response["error"] == "user_not_found"
