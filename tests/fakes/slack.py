"""A fake Slack that the real slack-bolt/slack_sdk stack talks to over loopback.

Nothing inside slack_bolt or slack_sdk is patched. Tests point the clients at it:

    async with FakeSlack() as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
        app = AsyncApp(client=client)
        handler = AsyncSocketModeHandler(app, app_token="xapp-test")
        await handler.connect_async()          # apps.connections.open -> fake's websocket
        envelope_id = await fake.send_envelope("slash_commands", fake.slash_command(text="help"))
        ack = await fake.wait_ack(envelope_id)
        call = await fake.wait_for_call("chat.postMessage")
        await handler.close_async()            # close the client before stopping the fake

What it serves on 127.0.0.1:<random port>:

* ``/api/<method>``        Web API (GET or POST; query string, form, JSON or multipart)
* ``/link/``               Socket Mode websocket (the URL apps.connections.open returns)
* ``/response/<id>``       response_url endpoints (see :meth:`FakeSlack.make_response_url`)
* ``/upload/v1/<file_id>`` upload URLs handed out by files.getUploadURLExternal

State is kept the way Slack would show it (messages per channel, views, files, DMs),
and where cheap it enforces Slack's rules that bots trip over in production:
``no_text``, block limits, modal title length, trigger_ids expiring after 3 seconds,
bots editing messages they did not post, app tokens used for Web API calls. Every
block, view and ack is also read with slack_sdk's own models (slack_blockkit.py);
what Slack would refuse is answered as Slack does and recorded in
``invalid_payloads``, which fixtures assert empty (``assert_payloads_valid``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import math
import re
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, NamedTuple, TypeVar, cast
from urllib.parse import parse_qsl

from aiohttp import WSCloseCode, WSMsgType, web

from adapters.slack.payloads import BlockActions, EventCallback, SlashCommand, ViewSubmission

from . import slack_payloads as payloads
from .rate_limits import Clock, TokenBucket
from .slack_blockkit import ack_problems, blocks_problems, view_problems
from .slack_payloads import (
    FORM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    UNSET_RESPONSE_URL,
    block_actions,
    event_callback,
    events_body,
    interactive_body,
    message_event,
    plain_text_state,
    sign_request,
    signed_headers,
    slash_command,
    slash_command_body,
    view_submission,
)

__all__ = [
    "FORM_CONTENT_TYPE",
    "JSON_CONTENT_TYPE",
    "UNSET_RESPONSE_URL",
    "Ack",
    "FakeSlack",
    "RecordedAck",
    "RecordedCall",
    "UploadedFile",
    "block_actions",
    "event_callback",
    "events_body",
    "interactive_body",
    "message_event",
    "plain_text_state",
    "sign_request",
    "signed_headers",
    "slash_command",
    "slash_command_body",
    "view_submission",
]

log = logging.getLogger(__name__)

JsonDict = dict[str, Any]
T = TypeVar("T")

# Parameters whose value is JSON. Form-encoded and query-string requests carry them
# as JSON strings (slack_sdk's async client sends many methods as query params, e.g.
# files.completeUploadExternal's `files`), so they are decoded for every encoding.
JSON_FIELDS = frozenset(
    {"blocks", "attachments", "view", "metadata", "files", "unfurls", "user_auth_blocks", "outputs"}
)

_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]+")
# Requests a minute of each Web API tier (https://docs.slack.dev/apis/web-api/rate-limits),
# and the tier of the methods the fake serves that bots call in bulk (each method's page).
TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
METHOD_TIERS = {"conversations.open": 3, "conversations.list": 2, "users.info": 4}
_USER_ID = re.compile(r"[UW][A-Z0-9]+")


@dataclass
class RecordedCall:
    """One request that reached the fake (Web API, response_url or upload)."""

    method: str  # "chat.postMessage", or "response_url" / "file_upload"
    params: JsonDict  # query + body merged, JSON fields decoded
    headers: dict[str, str]
    token: str | None  # from "Authorization: Bearer", else a `token` param
    timestamp: float  # time.time() when it arrived
    http_method: str = "POST"
    path: str = ""
    body: bytes = b""  # raw body (empty for multipart)
    status: int = 200
    response: Any = None  # what the fake answered (dict for the Web API)

    @property
    def ok(self) -> bool:
        return (
            self.status == 200
            and isinstance(self.response, dict)
            and self.response.get("ok") is True
        )


@dataclass
class RecordedAck:
    envelope_id: str
    payload: JsonDict | None  # None when the ack carried no payload
    seconds: float  # from send_envelope() to the ack's arrival
    raw: JsonDict


class Ack(NamedTuple):
    """What :meth:`FakeSlack.wait_ack` returns; unpacks as ``payload, seconds``."""

    payload: JsonDict
    seconds: float


@dataclass
class UploadedFile:
    file_id: str
    filename: str
    length: int
    content: bytes | None = None  # None until the upload URL received the bytes
    title: str | None = None
    alt_txt: str | None = None
    snippet_type: str | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


@dataclass
class _Injected:
    status: int
    error: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _ResponseHook:
    channel_id: str | None
    user_id: str | None
    message_ts: str | None  # set for interactions on a message: replace/delete_original


@dataclass
class _SentEnvelope:
    type: str
    payload: JsonDict
    sent_at: float  # time.monotonic()


class SlackApiFailure(Exception):
    """Raised inside a method handler to answer ``{"ok": false, "error": ...}``."""

    def __init__(self, error: str, *messages: str) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages

    def body(self) -> JsonDict:
        body: JsonDict = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": list(self.messages)}
        return body


class InvalidPayload(SlackApiFailure):
    """Slack's refusal of blocks or a view; the fake also records it (``invalid_payloads``)."""


def _truthy(value: Any) -> bool:
    # slack_sdk turns booleans into "1"/"0" for query/form params; JSON keeps them.
    return value is True or str(value).lower() in ("1", "true")


def _check_metadata(metadata: Any) -> None:
    """Slack's shape for message metadata: an event_type string and an event_payload object."""
    if not isinstance(metadata, dict):
        raise InvalidPayload("invalid_metadata_format", "metadata is not a JSON object")
    event_type, payload = metadata.get("event_type"), metadata.get("event_payload")
    if not isinstance(event_type, str) or not event_type:
        raise InvalidPayload("invalid_metadata_schema", "metadata.event_type must be a string")
    if not isinstance(payload, dict):
        raise InvalidPayload("invalid_metadata_schema", "metadata.event_payload must be an object")


def _decode_json_fields(params: JsonDict) -> JsonDict:
    for key in JSON_FIELDS & params.keys():
        value = params[key]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            # Undecodable values stay as sent; the method handler reports them.
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params


# Block Kit's size limits that Slack enforces by rejecting the whole payload
# (https://docs.slack.dev/reference/block-kit). Checked for messages, response_url
# posts and views, so a bot that overruns one fails its test as it would fail in Slack.
_TEXT_MAX = {"header": 150, "section": 3000, "context": 3000}
_ELEMENTS_MAX = {"context": 10, "actions": 25}
_SELECTS_WITH_OPTIONS = {"static_select", "multi_static_select", "radio_buttons", "checkboxes"}
_MENUS = {"static_select", "multi_static_select"}

Problem = tuple[str, str]  # (message, json-pointer suffix)


_PLAIN = ("plain_text",)  # where Slack takes no mrkdwn: headers, buttons, labels, menus


def _text_problem(
    obj: Any, limit: int, pointer: str, kinds: tuple[str, ...] = ("plain_text", "mrkdwn")
) -> Problem | None:
    if not isinstance(obj, dict) or obj.get("type") not in kinds:
        return f"must be a text object of type {' or '.join(kinds)}", pointer
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return "must be more than 0 characters", pointer + "/text"
    if len(text) > limit:
        return f"must be less than {limit + 1} characters", pointer + "/text"
    return None


def _element_problem(element: Any, pointer: str) -> Problem | None:
    if not isinstance(element, dict):
        return "must be an object", pointer
    if len(str(element.get("action_id", ""))) > 255:
        return "must be less than 256 characters", pointer + "/action_id"
    kind = element.get("type")
    if kind == "button":
        if problem := _text_problem(element.get("text"), 75, pointer + "/text", _PLAIN):
            return problem
        if len(str(element.get("value", ""))) > 2000:
            return "must be less than 2001 characters", pointer + "/value"
    if kind in _SELECTS_WITH_OPTIONS:
        options = element.get("options")
        groups = element.get("option_groups")
        if (options is None) == (groups is None):
            return "must provide exactly one of options or option_groups", pointer
        for g, group in enumerate(groups or [{"options": options}]):
            opts = group.get("options") or []
            where = f"{pointer}/option_groups/{g}" if groups else pointer
            if not 1 <= len(opts) <= 100:
                return "must have between 1 and 100 options", where + "/options"
            for o, option in enumerate(opts):
                kinds = _PLAIN if kind in _MENUS else ("plain_text", "mrkdwn")
                text_at = f"{where}/options/{o}/text"
                if problem := _text_problem(option.get("text"), 75, text_at, kinds):
                    return problem
                if not 1 <= len(str(option.get("value", ""))) <= 150:
                    return "must be 1 to 150 characters", f"{where}/options/{o}/value"
    if kind == "plain_text_input" and int(element.get("max_length") or 0) > 3000:
        return "must be at most 3000", pointer + "/max_length"
    return None


def _block_problem(block: JsonDict) -> Problem | None:
    kind = block["type"]
    if len(str(block.get("block_id", ""))) > 255:
        return "must be less than 256 characters", "/block_id"
    text_problem = (
        _text_problem(
            block["text"],
            _TEXT_MAX[kind],
            "/text",
            _PLAIN if kind == "header" else ("plain_text", "mrkdwn"),
        )
        if kind in ("header", "section") and "text" in block
        else None
    )
    if text_problem:
        return text_problem
    if kind == "section":
        fields = block.get("fields")
        if fields is None and "text" not in block:
            return "must provide either text or fields", ""
        if fields is not None:
            if not 1 <= len(fields) <= 10:
                return "must have between 1 and 10 items", "/fields"
            for f, field in enumerate(fields):
                if problem := _text_problem(field, 2000, f"/fields/{f}"):
                    return problem
    if kind in _ELEMENTS_MAX:
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= _ELEMENTS_MAX[kind]:
            return f"must have between 1 and {_ELEMENTS_MAX[kind]} items", "/elements"
        action_ids = [e.get("action_id") for e in elements if isinstance(e, dict)]
        if len({a for a in action_ids if a}) != len([a for a in action_ids if a]):
            return "action_id must be unique in a block", "/elements"
        for e, element in enumerate(elements):
            problem = (
                _text_problem(element, _TEXT_MAX["context"], f"/elements/{e}")
                if kind == "context" and element.get("type") in ("plain_text", "mrkdwn")
                else _element_problem(element, f"/elements/{e}")
            )
            if problem:
                return problem
    if kind == "input":
        if problem := _text_problem(block.get("label"), 2000, "/label", _PLAIN):
            return problem
        if "hint" in block and (problem := _text_problem(block["hint"], 2000, "/hint", _PLAIN)):
            return problem
        if problem := _element_problem(block.get("element"), "/element"):
            return problem
    return None


def blocks_refusal(blocks: Any, limit: int) -> list[str]:
    """Why Slack would refuse these blocks, in its words: first its limits, then the
    shapes slack_sdk's models know. Empty when it would take them."""
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        return ["[ERROR] blocks must be an array [json-pointer:/blocks]"]
    if len(blocks) > limit:
        return [f"[ERROR] no more than {limit} items allowed [json-pointer:/blocks]"]
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or "type" not in block:
            return [f"[ERROR] missing required field: type [json-pointer:/blocks/{i}]"]
        problem = _block_problem(block)
        if problem is not None:
            message, pointer = problem
            return [f"[ERROR] {message} [json-pointer:/blocks/{i}{pointer}]"]
    return [f"[ERROR] {p}" for p in blocks_problems(blocks)]


def view_refusal(view: Any, types: tuple[str, ...] = ("modal",)) -> list[str]:
    """Why Slack would refuse this view (views.open/update/push/publish), in its words."""
    if not isinstance(view, dict):
        return ["[ERROR] missing required field: view"]
    if view.get("type") not in types:
        return [f"[ERROR] view type must be one of {types} [json-pointer:/view/type]"]
    if view["type"] == "modal":
        for key in ("title", "submit", "close"):
            text = (view.get(key) or {}).get("text", "")
            if key == "title" and not text:
                return ["[ERROR] missing required field: title [json-pointer:/view/title]"]
            if len(text) > 24:
                return [f"[ERROR] must be less than 25 characters [json-pointer:/view/{key}/text]"]
    if len(view.get("private_metadata") or "") > 3000:
        return ["[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]"]
    if len(view.get("callback_id") or "") > 255:
        return ["[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]"]
    if problems := blocks_refusal(view.get("blocks", []), 100):
        return problems
    return [f"[ERROR] {p}" for p in view_problems(view)]


class FakeSlack:
    """Fake Slack server; see the module docstring. Use ``async with`` or start()/stop().

    Every wait takes a ``timeout`` with a default (hence the ASYNC109 noqa's): a test
    waiting for something the bot never does must fail with a message, not hang.
    """

    def __init__(
        self,
        *,
        users: Mapping[str, Mapping[str, Any]] | None = None,
        channels: Mapping[str, str] | None = None,
        team_id: str = "T1",
        team_domain: str = "coalition",
        bot_user_id: str = "UBOT",
        bot_id: str = "B1",
        app_id: str = "A1",
        ts_base: int = 1_700_000_000,
        trigger_ttl: float | None = 3.0,
        clock: Clock = time.monotonic,
    ) -> None:
        """``users``: user_id -> fields overriding users.info defaults (``real_name``,
        ``tz``, ``tz_offset``, ``locale``, ``name``...). ``channels``: name -> id.
        The defaults match the payload builders' defaults (U1 "maria", #general = C1).
        ``trigger_ttl``: seconds a trigger_id sent by the fake stays usable (Slack: 3).
        ``clock``: what the rate limits count time with (a test may drive it).
        """
        self.team_id = team_id
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.trigger_ttl = trigger_ttl
        self.users: dict[str, JsonDict] = {}
        for user_id, spec in (
            users if users is not None else {"U1": {"real_name": "Maria"}}
        ).items():
            self.add_user(user_id, **spec)
        self.add_user(bot_user_id, name="coalition-bot", real_name="Coalition Bot", is_bot=True)
        self.channels: dict[str, str] = dict(
            channels if channels is not None else {"general": "C1"}
        )

        # Recordings
        self.calls: list[RecordedCall] = []
        self.acks: list[RecordedAck] = []
        self.errors: list[BaseException] = []  # exceptions raised inside the fake itself
        # Blocks, views and acks Slack would refuse, as "<method>: <problem>". A bot may
        # swallow the error answer, so fixtures call assert_payloads_valid() at the end.
        self.invalid_payloads: list[str] = []
        self.unexpected_socket_messages: list[str] = []
        self.rate_limited_count = 0  # HTTP 429s answered
        self.socket_connections = 0  # websocket connections accepted so far

        # Slack-side state
        self._messages: dict[str, list[JsonDict]] = defaultdict(list)
        self.ephemerals: list[JsonDict] = []
        self.views: dict[str, JsonDict] = {}
        self.home_tabs: dict[str, JsonDict] = {}
        self.files: dict[str, UploadedFile] = {}
        self.joined: set[str] = set()
        self._dm_ids: dict[str, str] = {}
        # Multi-person DMs (mpim) opened by conversations.open with several users.
        self.group_dms: dict[str, tuple[str, ...]] = {}
        self._ids = itertools.count(1)
        self._ts_micros = itertools.count(ts_base * 1_000_000 + 100, 100)
        self._triggers: dict[str, float] = {}
        self._used_triggers: set[str] = set()
        self._hooks: dict[str, _ResponseHook] = {}

        # Failure injection
        self._injected: dict[str, deque[_Injected]] = defaultdict(deque)
        self._clock = clock
        # Methods whose calls take effect at once but are answered only on release_answers().
        self._held: set[str] = set()
        self._release = asyncio.Event()
        self._posts_per_second: float | None = None
        self._post_burst = 1
        self._post_buckets: dict[str, TokenBucket] = {}
        self._method_buckets: dict[str, TokenBucket] = {}

        # Socket Mode
        self._sockets: list[web.WebSocketResponse] = []
        self._sent: dict[str, _SentEnvelope] = {}

        # Every state change sets this event and swaps in a fresh one: waiters
        # re-check their condition (single-threaded, so no wake-up can be lost).
        self._changed = asyncio.Event()

        self._handlers: dict[str, Callable[[RecordedCall], JsonDict]] = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._apps_connections_open,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": self._views_open,
            "views.push": self._views_open,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.list": self._conversations_list,
            "conversations.join": self._conversations_join,
            "conversations.replies": self._conversations_replies,
            "conversations.history": self._conversations_history,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "reactions.add": self._reactions_add,
        }
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ----------------------------------------------------------------------------------
    # Lifecycle
    # ----------------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application(middlewares=[self._error_middleware])
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{hook_id}", self._handle_response_url)
        app.router.add_post("/upload/v1/{file_id}", self._handle_upload)
        app.router.add_get("/link/", self._handle_socket)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        self.release_answers()
        # Close websockets first: the server's cleanup would otherwise wait for them.
        for ws in list(self._sockets):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"fake slack stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._port}/"

    @property
    def api_url(self) -> str:
        """For ``AsyncWebClient(base_url=...)``; the trailing slash matters (urljoin)."""
        return self.base_url + "api/"

    @property
    def socket_url(self) -> str:
        return self.base_url.replace("http://", "ws://", 1) + "link/"

    # ----------------------------------------------------------------------------------
    # Configuration and failure injection
    # ----------------------------------------------------------------------------------

    def add_user(self, user_id: str, **fields: Any) -> JsonDict:
        """Adds/replaces a user for users.info; ``fields`` override the defaults."""
        name = fields.pop("name", user_id.lower())
        real_name = fields.pop("real_name", name.title())
        user: JsonDict = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": False,
            "real_name": real_name,
            "tz": "America/New_York",
            "tz_label": "Eastern Standard Time",
            "tz_offset": -18000,
            "locale": "en-US",
            "is_admin": False,
            "is_bot": False,
            "profile": {"real_name": real_name, "display_name": name, "team": self.team_id},
        }
        user.update(fields)
        self.users[user_id] = user
        return user

    def add_channel(self, name: str, channel_id: str) -> None:
        self.channels[name.lstrip("#")] = channel_id

    def fail_next(self, method: str, error: str = "channel_not_found", status: int = 200) -> None:
        """The next call to ``method`` answers ``{"ok": false, "error": error}``.

        Queued per method, so calling it twice fails the next two calls.
        ``method`` may also be "response_url" or "file_upload".
        """
        self._injected[method].append(_Injected(status, error))

    def fail_with_429_once(self, method: str, retry_after: int = 1) -> None:
        """The next call to ``method`` gets HTTP 429 with ``Retry-After: <retry_after>``."""
        self._injected[method].append(
            _Injected(429, "ratelimited", {"Retry-After": str(int(retry_after))})
        )

    def hold_answers(self, method: str) -> None:
        """Let calls of `method` take effect (a post is stored, shown in history) but hold
        their answers until release_answers(): the moment a crash loses what Slack did."""
        self._held.add(method)
        self._release.clear()

    def release_answers(self) -> None:
        self._held.clear()
        self._release.set()

    def rate_limit_per_channel(
        self, posts_per_second: float | None = 1.0, *, burst: int = 1
    ) -> None:
        """Limit chat.postMessage per channel; excess posts get HTTP 429 (None: off).

        Slack: "1 per second, short bursts >1 allowed". ``burst`` posts may go at once
        in a quiet channel (a token bucket); 1 keeps posts a full interval apart.
        """
        self._posts_per_second = posts_per_second
        self._post_burst = burst
        self._post_buckets.clear()

    def rate_limit_method(self, method: str, per_minute: float | None, *, burst: int = 1) -> None:
        """Limit one Web API method for the whole workspace (None: off), as Slack's tiers
        do: ``per_minute`` calls a minute, ``burst`` of them at once after a quiet spell.
        A call over the limit gets HTTP 429 ``ratelimited`` with Retry-After in seconds."""
        if per_minute is None:
            self._method_buckets.pop(method, None)
        else:
            self._method_buckets[method] = TokenBucket(per_minute / 60, burst, self._clock)

    def rate_limit_tiers(self, *, burst: int = 1, tiers: Mapping[str, int] = METHOD_TIERS) -> None:
        """Every method in ``tiers`` limited at its documented tier (see METHOD_TIERS)."""
        for method, tier in tiers.items():
            self.rate_limit_method(method, TIER_PER_MINUTE[tier], burst=burst)

    def make_response_url(
        self,
        *,
        channel_id: str | None = None,
        user_id: str | None = None,
        message_ts: str | None = None,
    ) -> str:
        """A response_url served by the fake. With ``message_ts``, posts carrying
        replace_original / delete_original act on that message, as Slack does."""
        hook_id = uuid.uuid4().hex
        self._hooks[hook_id] = _ResponseHook(channel_id, user_id, message_ts)
        return f"{self.base_url}response/{hook_id}"

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str = "U1",
        ts: str | None = None,
        thread_ts: str | None = None,
        **extra: Any,
    ) -> JsonDict:
        """Seeds a message (e.g. channel history written by a human)."""
        message: JsonDict = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts or self._next_ts(),
        }
        if thread_ts is not None:
            message["thread_ts"] = thread_ts
        message.update(extra)
        self._store_message(channel, message)
        return message

    # ----------------------------------------------------------------------------------
    # Inspection
    # ----------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[RecordedCall]:
        """All recorded calls to ``method``, including rejected ones (see ``.ok``)."""
        return [c for c in self.calls if c.method == method]

    def messages_in(self, channel: str) -> list[JsonDict]:
        """Current messages in a channel (id, name or user id for the DM) in post order,
        thread replies included, after chat.update/chat.delete. Ephemerals are in
        ``ephemerals``."""
        if _USER_ID.fullmatch(channel) and channel not in self._dm_ids:
            return []  # no DM yet; don't create one just by looking
        try:
            channel_id = self._resolve_channel(channel)
        except SlackApiFailure:
            return []
        return list(self._messages.get(channel_id, []))

    def ephemerals_for(self, user: str) -> list[JsonDict]:
        return [e for e in self.ephemerals if e.get("user") == user]

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[RecordedCall], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> RecordedCall:
        """The first call to ``method`` matching ``predicate``, already recorded or not."""

        def find() -> RecordedCall | None:
            for call in self.calls:
                if call.method == method and (predicate is None or predicate(call)):
                    return call
            return None

        return await self._wait_until(find, timeout, f"a call to {method}")

    async def wait_for_calls(
        self,
        method: str,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[RecordedCall]:
        """The first `count` calls to ``method``, once there are as many."""

        def find() -> list[RecordedCall] | None:
            found = self.calls_to(method)
            return found[:count] if len(found) >= count else None

        return await self._wait_until(find, timeout, f"{count} calls to {method}")

    # ----------------------------------------------------------------------------------
    # Socket Mode
    # ----------------------------------------------------------------------------------

    async def wait_connected(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        await self._open_socket(timeout)

    async def send_envelope(
        self,
        type_: str,
        payload: Mapping[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        accepts_response_payload: bool | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> str:
        """Sends an envelope to the connected app (waiting for one) and returns its id.

        ``type_`` is "slash_commands", "interactive" or "events_api". Like Slack, only
        events_api envelopes carry retry_attempt/retry_reason unless a retry is given.
        """
        ws = await self._open_socket(timeout)
        payload = dict(payload)
        if accepts_response_payload is None:
            # Slack sets it where the ack's payload is used: slash command responses,
            # view_submission response_action, block_suggestion options.
            accepts_response_payload = type_ == "slash_commands" or (
                type_ == "interactive"
                and payload.get("type") in ("view_submission", "block_suggestion")
            )
        envelope_id = str(uuid.uuid4())
        envelope: JsonDict = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": type_,
            "accepts_response_payload": accepts_response_payload,
        }
        if type_ == "events_api" or retry_attempt or retry_reason:
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        trigger_id = payload.get("trigger_id")
        if isinstance(trigger_id, str):
            self._triggers[trigger_id] = time.monotonic()  # its 3 seconds start now
        if type_ == "events_api":
            self._seed_event_message(payload)
        self._sent[envelope_id] = _SentEnvelope(type_, payload, time.monotonic())
        await ws.send_json(envelope)
        return envelope_id

    async def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:  # noqa: ASYNC109
        """The ack's payload ({} if none) and seconds from send to ack."""

        def find() -> Ack | None:
            for ack in self.acks:
                if ack.envelope_id == envelope_id:
                    return Ack(ack.payload or {}, ack.seconds)
            return None

        # Bolt sends no ack at all when no listener matched (status 404) or the
        # listener raised before ack(): that surfaces here as a timeout.
        return await self._wait_until(find, timeout, f"the ack of envelope {envelope_id}")

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Asks the client to reconnect, as Slack does every few hours."""
        ws = await self._open_socket(5.0)
        await ws.send_json(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-slack"}}
        )

    # ----------------------------------------------------------------------------------
    # Payload builders bound to this fake (working response_url, fake's ids)
    # ----------------------------------------------------------------------------------

    # Typed as the adapter reads them (adapters/slack/payloads.py).

    def slash_command(
        self, command: str = "/coalition", text: str = "help", **kwargs: Any
    ) -> SlashCommand:
        kwargs.setdefault("team_id", self.team_id)
        kwargs.setdefault("api_app_id", self.app_id)
        kwargs.setdefault(
            "response_url",
            self.make_response_url(
                channel_id=kwargs.get("channel_id", "C1"), user_id=kwargs.get("user_id", "U1")
            ),
        )
        return cast(SlashCommand, payloads.slash_command(command, text, **kwargs))

    def block_actions(
        self, action_id: str, value: str | None = None, **kwargs: Any
    ) -> BlockActions:
        kwargs.setdefault("team_id", self.team_id)
        kwargs.setdefault("api_app_id", self.app_id)
        kwargs.setdefault("message_user", self.bot_user_id)
        channel_id = kwargs.get("channel_id", "C1")
        message_ts = kwargs.get("message_ts", "1700000000.000100")
        message = self._find_message(channel_id, message_ts)
        if message is not None:
            # Click on a message the fake knows: show the bot what Slack would.
            kwargs.setdefault("message_blocks", message.get("blocks"))
            kwargs.setdefault("message_text", message.get("text", ""))
        kwargs.setdefault(
            "response_url",
            self.make_response_url(
                channel_id=channel_id, user_id=kwargs.get("user_id", "U1"), message_ts=message_ts
            ),
        )
        return cast(BlockActions, payloads.block_actions(action_id, value, **kwargs))

    def view_submission(self, callback_id: str, **kwargs: Any) -> ViewSubmission:
        kwargs.setdefault("team_id", self.team_id)
        kwargs.setdefault("api_app_id", self.app_id)
        kwargs.setdefault("bot_id", self.bot_id)
        view = self.views.get(kwargs.get("view_id", ""))
        if view is not None:
            kwargs.setdefault("blocks", view.get("blocks"))
            kwargs.setdefault("private_metadata", view.get("private_metadata", ""))
        return cast(ViewSubmission, payloads.view_submission(callback_id, **kwargs))

    def message_event(
        self, channel: str = "C1", user: str = "U1", text: str = "hello", **kwargs: Any
    ) -> EventCallback:
        kwargs.setdefault("team_id", self.team_id)
        kwargs.setdefault("api_app_id", self.app_id)
        kwargs.setdefault("bot_user_id", self.bot_user_id)
        return cast(EventCallback, payloads.message_event(channel, user, text, **kwargs))

    # ----------------------------------------------------------------------------------
    # Internals: waiting, ids, channel resolution
    # ----------------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, find: Callable[[], T | None], within: float, what: str) -> T:
        try:
            async with asyncio.timeout(within):
                while True:
                    changed = self._changed
                    found = find()
                    if found is not None:
                        return found
                    await changed.wait()
        except TimeoutError:
            seen = ", ".join(f"{c.method}({c.status})" for c in self.calls) or "none"
            raise TimeoutError(
                f"FakeSlack: no {what} within {within}s. Calls so far: {seen}. "
                f"Acks: {len(self.acks)}. Internal errors: {self.errors!r}"
            ) from None

    async def _open_socket(self, within: float) -> web.WebSocketResponse:
        def find() -> web.WebSocketResponse | None:
            open_sockets = [ws for ws in self._sockets if not ws.closed]
            return open_sockets[-1] if open_sockets else None  # newest, like a reconnect

        return await self._wait_until(find, within, "Socket Mode connection")

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _next_ts(self) -> str:
        micros = next(self._ts_micros)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _dm_for(self, user_id: str) -> str:
        if user_id not in self._dm_ids:
            self._dm_ids[user_id] = self._next_id("D")
        return self._dm_ids[user_id]

    def _resolve_channel(self, value: Any) -> str:
        """Channel id for an id, a name (with or without #) or a user id (their DM)."""
        if not isinstance(value, str) or not value:
            raise SlackApiFailure("channel_not_found")
        name = value.lstrip("#")
        if name in self.channels:
            return self.channels[name]
        if _USER_ID.fullmatch(value):
            return self._dm_for(value)
        if _CHANNEL_ID.fullmatch(value):
            return value
        raise SlackApiFailure("channel_not_found")

    def _channel_info(self, channel_id: str) -> JsonDict:
        dm_user = next((u for u, d in self._dm_ids.items() if d == channel_id), None)
        if dm_user is not None:
            return {
                "id": channel_id,
                "is_im": True,
                "user": dm_user,
                "is_open": True,
                "created": 1700000000,
            }
        if channel_id.startswith("D"):
            raise SlackApiFailure("channel_not_found")
        name = next((n for n, i in self.channels.items() if i == channel_id), channel_id.lower())
        return {
            "id": channel_id,
            "name": name,
            "is_channel": not channel_id.startswith("G"),
            "is_group": channel_id.startswith("G"),
            "is_im": False,
            "is_private": channel_id.startswith("G"),
            "is_archived": False,
            "is_general": name == "general",
            "is_member": channel_id in self.joined,
            "created": 1700000000,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }

    def _find_message(self, channel_id: str, ts: str) -> JsonDict | None:
        return next((m for m in self._messages.get(channel_id, []) if m.get("ts") == ts), None)

    def _store_message(self, channel_id: str, message: JsonDict) -> None:
        self._messages[channel_id].append(message)
        thread_ts = message.get("thread_ts")
        parent = self._find_message(channel_id, thread_ts) if thread_ts else None
        if parent is not None and parent is not message:
            parent["thread_ts"] = thread_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["latest_reply"] = message["ts"]

    def _seed_event_message(self, payload: Mapping[str, Any]) -> None:
        # A message event means the message now exists in Slack, so reactions.add,
        # conversations.replies and threads against it work as in production.
        event = payload.get("event")
        if isinstance(event, Mapping) and event.get("type") == "message" and "subtype" not in event:
            channel = event.get("channel")
            if (
                isinstance(channel, str)
                and self._find_message(channel, str(event.get("ts"))) is None
            ):
                message = {
                    k: v
                    for k, v in event.items()
                    if k not in ("channel", "channel_type", "event_ts")
                }
                self._store_message(channel, message)

    def _take_injected(self, method: str) -> tuple[int, JsonDict, dict[str, str]] | None:
        queue = self._injected.get(method)
        if not queue:
            return None
        injected = queue.popleft()
        if injected.status == 429:
            self.rate_limited_count += 1
        return injected.status, {"ok": False, "error": injected.error}, injected.headers

    def _rate_limited(self, channel_id: str) -> int | None:
        """Seconds to wait if this post exceeds the per-channel limit, else None."""
        if not self._posts_per_second:
            return None
        bucket = self._post_buckets.get(channel_id)
        if bucket is None:
            bucket = TokenBucket(self._posts_per_second, self._post_burst, self._clock)
            self._post_buckets[channel_id] = bucket
        return _whole_seconds(bucket.take())

    def _method_limited(self, method: str) -> tuple[int, JsonDict, dict[str, str]] | None:
        bucket = self._method_buckets.get(method)
        retry_after = _whole_seconds(bucket.take()) if bucket is not None else None
        if retry_after is None:
            return None
        self.rate_limited_count += 1
        return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}

    # ----------------------------------------------------------------------------------
    # HTTP plumbing
    # ----------------------------------------------------------------------------------

    @web.middleware
    async def _error_middleware(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        # A bug in the fake must not look like a hang or kill the server: answer 500
        # and keep the exception for the test to see in `errors`.
        try:
            response: web.StreamResponse = await handler(request)
            return response
        except web.HTTPException:
            raise
        except Exception as e:
            log.exception("FakeSlack handler failed for %s", request.path)
            self.errors.append(e)
            return web.json_response(
                {"ok": False, "error": "fake_slack_internal_error", "detail": repr(e)}, status=500
            )

    async def _read_request(self, method: str, request: web.Request) -> RecordedCall:
        params: JsonDict = dict(request.query)
        body = b""
        if request.content_type.startswith("multipart/"):
            for key, value in (await request.post()).items():
                params[key] = value.file.read() if isinstance(value, web.FileField) else value
        else:
            body = await request.read()
            if body and request.content_type == JSON_CONTENT_TYPE:
                decoded = json.loads(body)
                if not isinstance(decoded, dict):
                    raise ValueError("JSON body is not an object")
                params.update(decoded)
            elif body and request.content_type in (FORM_CONTENT_TYPE, ""):
                params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        token = params.pop("token", None)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ")
        return RecordedCall(
            method=method,
            params=_decode_json_fields(params),
            headers=dict(request.headers),
            token=token,
            timestamp=time.time(),
            http_method=request.method,
            path=request.path,
            body=body,
        )

    def _record(self, call: RecordedCall, status: int, response: Any) -> None:
        call.status, call.response = status, response
        self.calls.append(call)
        self._notify()

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            call = await self._read_request(method, request)
        except ValueError:
            call = RecordedCall(
                method, {}, dict(request.headers), None, time.time(), request.method, request.path
            )
            self._record(call, 200, {"ok": False, "error": "invalid_json"})
            return web.json_response(call.response)
        status, body, headers = self._answer_api(call)
        self._record(call, status, body)
        if method in self._held:
            await self._release.wait()
        headers = {
            "X-OAuth-Scopes": "chat:write,commands,users:read,im:write,files:write",
            **headers,
        }
        return web.json_response(body, status=status, headers=headers)

    def _answer_api(self, call: RecordedCall) -> tuple[int, JsonDict, dict[str, str]]:
        injected = self._take_injected(call.method)
        if injected is not None:
            return injected
        handler = self._handlers.get(call.method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if not call.token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        # App-level tokens only open Socket Mode connections, and vice versa.
        if call.token.startswith("xapp-") != (call.method == "apps.connections.open"):
            return 200, {"ok": False, "error": "not_allowed_token_type"}, {}
        limited = self._method_limited(call.method)
        if limited is not None:
            return limited
        if call.method == "chat.postMessage":
            try:
                retry_after = self._rate_limited(self._resolve_channel(call.params.get("channel")))
            except SlackApiFailure:
                retry_after = None  # the handler reports the bad channel
            if retry_after is not None:
                self.rate_limited_count += 1
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
        try:
            return 200, handler(call), {}
        except SlackApiFailure as failure:
            self._note_invalid(call.method, failure)
            return 200, failure.body(), {}
        except Exception as e:
            log.exception("FakeSlack: %s handler failed", call.method)
            self.errors.append(e)
            return 500, {"ok": False, "error": "fake_slack_internal_error", "detail": repr(e)}, {}

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        call = await self._read_request("response_url", request)
        if "payload" in call.params and isinstance(call.params["payload"], str):
            call.params = _decode_json_fields(json.loads(call.params["payload"]))
        injected = self._take_injected("response_url")
        hook = self._hooks.get(request.match_info["hook_id"])
        if injected is not None:
            status, body, headers = injected
        elif hook is None:
            status, body, headers = 404, {"ok": False, "error": "no_active_hooks"}, {}
        else:
            try:
                self._apply_response_url(hook, call.params)
                status, body, headers = 200, {"ok": True}, {}
            except SlackApiFailure as failure:
                self._note_invalid("response_url", failure)
                status, body, headers = 200, failure.body(), {}
        self._record(call, status, body)
        return web.json_response(body, status=status, headers=headers)

    def _apply_response_url(self, hook: _ResponseHook, params: JsonDict) -> None:
        # Slack's semantics: delete/replace the original message when asked (and
        # known), post publicly for response_type=in_channel, else ephemeral.
        self._validate_blocks(params.get("blocks"), 50, "invalid_blocks")
        original = (
            self._find_message(hook.channel_id, hook.message_ts)
            if hook.channel_id and hook.message_ts
            else None
        )
        if original is None and hook.message_ts:
            # A click on an ephemeral message: only its response_url can replace it.
            original = next(
                (
                    e
                    for e in self.ephemerals
                    if e.get("ts") == hook.message_ts and e.get("user") == hook.user_id
                ),
                None,
            )
        if _truthy(params.get("delete_original")):
            if original is None or hook.channel_id is None:
                raise SlackApiFailure("message_not_found")
            if original in self.ephemerals:
                self.ephemerals.remove(original)
            else:
                self._messages[hook.channel_id].remove(original)
        elif _truthy(params.get("replace_original")):
            if original is None:
                raise SlackApiFailure("message_not_found")
            for key in ("text", "blocks", "attachments"):
                if key in params:
                    original[key] = params[key]
        elif params.get("response_type") == "in_channel" and hook.channel_id:
            self._post(hook.channel_id, params)
        else:
            self.ephemerals.append(
                {
                    "channel": hook.channel_id,
                    "user": hook.user_id,
                    "source": "response_url",
                    "ts": self._next_ts(),  # what a click on it carries as message_ts
                    **params,
                }
            )

    async def _handle_upload(self, request: web.Request) -> web.Response:
        call = await self._read_request("file_upload", request)
        file_id = request.match_info["file_id"]
        call.params["file_id"] = file_id
        upload = self.files.get(file_id)
        injected = self._take_injected("file_upload")
        if injected is not None:
            status, text = injected[0], injected[1]["error"]
        elif upload is None:
            status, text = 404, "upload_url_not_found"
        else:
            # slack_sdk posts the raw bytes; browsers/curl use multipart "file".
            content = call.body or call.params.get("file") or call.params.get("filename") or b""
            upload.content = content if isinstance(content, bytes) else str(content).encode()
            status, text = 200, f"OK - {len(upload.content)}"
        self._record(call, status, text)
        return web.Response(text=text, status=status, content_type="text/plain")

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        # autoping answers the SDK's "sdk-ping-pong:<time>" pings with matching pongs,
        # which is how the client decides the connection is alive.
        ws = web.WebSocketResponse(autoping=True, timeout=2.0)
        await ws.prepare(request)
        self._sockets.append(ws)
        self.socket_connections += 1
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": len(self._sockets),
                "debug_info": {
                    "host": "fake-slack",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self.app_id},
            }
        )
        self._notify()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_socket_text(msg.data)
                elif msg.type == WSMsgType.ERROR:
                    log.warning("FakeSlack websocket error: %s", ws.exception())
        finally:
            self._sockets.remove(ws)
            self._notify()
        return ws

    def _on_socket_text(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            message = None
        if not isinstance(message, dict) or "envelope_id" not in message:
            self.unexpected_socket_messages.append(data)
            return
        envelope_id = str(message["envelope_id"])
        sent = self._sent.get(envelope_id)
        seconds = time.monotonic() - sent.sent_at if sent else math.nan
        self.acks.append(RecordedAck(envelope_id, message.get("payload"), seconds, message))
        if sent is not None:
            payload = message.get("payload")
            for problem in ack_problems(sent.type, sent.payload, payload):
                self.invalid_payloads.append(f"ack of {sent.type}: {problem}")
            try:
                self._answer_in_ack(sent, payload)
            except SlackApiFailure as failure:
                self._note_invalid(f"ack of {sent.type}", failure)
        self._notify()

    def _answer_in_ack(self, sent: _SentEnvelope, payload: Any) -> None:
        """A slash command's ack with a message: Slack shows it, as if posted to the response_url."""
        if sent.type != "slash_commands" or not isinstance(payload, dict):
            return
        if "text" not in payload and "blocks" not in payload:
            return
        hook = _ResponseHook(sent.payload.get("channel_id"), sent.payload.get("user_id"), None)
        self._apply_response_url(hook, _decode_json_fields(payload))

    def _note_invalid(self, where: str, failure: SlackApiFailure) -> None:
        if isinstance(failure, InvalidPayload):
            self.invalid_payloads.append(f"{where}: {failure.error} {' '.join(failure.messages)}")

    def check_http_ack(self, request_body: bytes, response_text: str) -> None:
        """In HTTP mode Slack reads the ack from the HTTP answer, which never passes through
        the fake: a test hands it here to have it checked as a Socket Mode ack would be."""
        fields = dict(parse_qsl(request_body.decode()))
        if "payload" in fields:
            kind, sent = "interactive", json.loads(fields["payload"])
        elif "command" in fields:
            kind, sent = "slash_commands", fields
        else:
            return
        try:
            answer = json.loads(response_text) if response_text.strip() else None
        except ValueError:
            answer = {"text": response_text}  # Slack shows a plain-text ack as the message
        problems = ack_problems(kind, sent, answer)
        if kind == "slash_commands" and isinstance(answer, dict):
            problems += blocks_refusal(answer.get("blocks"), 50)
        self.invalid_payloads.extend(f"HTTP ack of {kind}: {p}" for p in problems)

    def assert_payloads_valid(self) -> None:
        """Fails if anything the bot sent was refused as invalid Block Kit (see invalid_payloads)."""
        assert not self.invalid_payloads, "Slack would refuse:\n" + "\n".join(self.invalid_payloads)

    # ----------------------------------------------------------------------------------
    # Web API methods
    # ----------------------------------------------------------------------------------

    def _auth_test(self, call: RecordedCall) -> JsonDict:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_domain.title(),
            "user": self.users[self.bot_user_id]["name"],
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, call: RecordedCall) -> JsonDict:
        ticket = uuid.uuid4()
        return {"ok": True, "url": f"{self.socket_url}?ticket={ticket}&app_id={self.app_id}"}

    def _validate_blocks(self, blocks: Any, limit: int, error: str) -> None:
        if problems := blocks_refusal(blocks, limit):
            raise InvalidPayload(error, *problems)

    def _post(self, channel_id: str, params: Mapping[str, Any]) -> JsonDict:
        text, blocks, attachments = (
            params.get("text"),
            params.get("blocks"),
            params.get("attachments"),
        )
        if not text and not blocks and not attachments:
            raise SlackApiFailure("no_text")
        self._validate_blocks(blocks, 50, "invalid_blocks")
        if "metadata" in params:
            _check_metadata(params["metadata"])
        message: JsonDict = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": text or "",
            "ts": self._next_ts(),
            "team": self.team_id,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if params.get(key):
                message[key] = params[key]
        self._store_message(channel_id, message)
        return message

    def _chat_post_message(self, call: RecordedCall) -> JsonDict:
        channel_id = self._resolve_channel(call.params.get("channel"))
        message = self._post(channel_id, call.params)
        return {"ok": True, "channel": channel_id, "ts": message["ts"], "message": dict(message)}

    def _chat_post_ephemeral(self, call: RecordedCall) -> JsonDict:
        channel_id = self._resolve_channel(call.params.get("channel"))
        user = call.params.get("user")
        if not user:
            raise SlackApiFailure("user_not_found")
        params = call.params
        if not params.get("text") and not params.get("blocks") and not params.get("attachments"):
            raise SlackApiFailure("no_text")
        self._validate_blocks(params.get("blocks"), 50, "invalid_blocks")
        ts = self._next_ts()
        self.ephemerals.append(
            {**params, "channel": channel_id, "user": user, "ts": ts, "source": call.method}
        )
        return {"ok": True, "message_ts": ts}

    def _own_message(self, call: RecordedCall, forbidden: str) -> tuple[str, JsonDict]:
        channel_id = self._resolve_channel(call.params.get("channel"))
        message = self._find_message(channel_id, str(call.params.get("ts")))
        if message is None:
            raise SlackApiFailure("message_not_found")
        if message.get("bot_id") != self.bot_id:
            raise SlackApiFailure(forbidden)  # bots may only edit/delete their own posts
        return channel_id, message

    def _chat_update(self, call: RecordedCall) -> JsonDict:
        channel_id, message = self._own_message(call, "cant_update_message")
        self._validate_blocks(call.params.get("blocks"), 50, "invalid_blocks")
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in call.params:
                message[key] = call.params[key]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "ok": True,
            "channel": channel_id,
            "ts": message["ts"],
            "text": message.get("text", ""),
            "message": dict(message),
        }

    def _chat_delete(self, call: RecordedCall) -> JsonDict:
        channel_id, message = self._own_message(call, "cant_delete_message")
        self._messages[channel_id].remove(message)
        return {"ok": True, "channel": channel_id, "ts": message["ts"]}

    def _chat_get_permalink(self, call: RecordedCall) -> JsonDict:
        channel_id = self._resolve_channel(call.params.get("channel"))
        ts = str(call.params.get("message_ts") or "")
        message = self._find_message(channel_id, ts)
        if message is None:
            raise SlackApiFailure("message_not_found")
        # As Slack builds it: the workspace's domain, the channel, "p" and the ts without its dot.
        permalink = (
            f"https://{self.team_domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
        )
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != ts:
            permalink += f"?thread_ts={thread_ts}&cid={channel_id}"
        return {"ok": True, "channel": channel_id, "permalink": permalink}

    def _validate_view(self, view: Any, types: tuple[str, ...]) -> JsonDict:
        if problems := view_refusal(view, types):
            raise InvalidPayload("invalid_arguments", *problems)
        return dict(view)

    def _check_trigger(self, trigger_id: Any) -> None:
        if not trigger_id:
            raise SlackApiFailure("invalid_arguments", "[ERROR] missing required field: trigger_id")
        if trigger_id in self._used_triggers:
            raise SlackApiFailure("exchanged_trigger_id")
        issued = self._triggers.get(trigger_id)
        if (
            issued is not None
            and self.trigger_ttl is not None
            and time.monotonic() - issued > self.trigger_ttl
        ):
            raise SlackApiFailure("expired_trigger_id")
        self._used_triggers.add(trigger_id)

    def _store_view(
        self, view: JsonDict, view_id: str, previous: JsonDict | None = None
    ) -> JsonDict:
        record: JsonDict = {
            **view,
            "id": view_id,
            "team_id": self.team_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "root_view_id": previous["root_view_id"] if previous else view_id,
            "previous_view_id": previous.get("previous_view_id") if previous else None,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
        }
        self.views[view_id] = record
        return record

    def _views_open(self, call: RecordedCall) -> JsonDict:  # also views.push
        view = self._validate_view(call.params.get("view"), ("modal",))
        self._check_trigger(call.params.get("trigger_id"))
        return {"ok": True, "view": dict(self._store_view(view, self._next_id("V")))}

    def _views_update(self, call: RecordedCall) -> JsonDict:
        view = self._validate_view(call.params.get("view"), ("modal", "home"))
        view_id, external_id = call.params.get("view_id"), call.params.get("external_id")
        current = self.views.get(view_id) if view_id else None
        if current is None and external_id:
            current = next(
                (v for v in self.views.values() if v.get("external_id") == external_id), None
            )
        if current is None:
            raise SlackApiFailure("not_found")
        if call.params.get("hash") and call.params["hash"] != current["hash"]:
            raise SlackApiFailure("hash_conflict")
        return {"ok": True, "view": dict(self._store_view(view, current["id"], current))}

    def _views_publish(self, call: RecordedCall) -> JsonDict:
        user_id = call.params.get("user_id")
        if user_id not in self.users:
            raise SlackApiFailure("user_not_found")
        view = self._validate_view(call.params.get("view"), ("home",))
        current = self.home_tabs.get(user_id)
        record = self._store_view(view, current["id"] if current else self._next_id("V"), current)
        self.home_tabs[user_id] = record
        return {"ok": True, "view": dict(record)}

    def _users_info(self, call: RecordedCall) -> JsonDict:
        user = self.users.get(str(call.params.get("user")))
        if user is None:
            raise SlackApiFailure("user_not_found")
        user = dict(user)
        if not _truthy(call.params.get("include_locale")):
            user.pop("locale", None)  # Slack only returns it with include_locale=true
        return {"ok": True, "user": user}

    def _conversations_open(self, call: RecordedCall) -> JsonDict:
        if call.params.get("channel"):
            return {
                "ok": True,
                "channel": self._channel_info(self._resolve_channel(call.params["channel"])),
            }
        users = [u for u in str(call.params.get("users") or "").split(",") if u]
        if not users:
            raise SlackApiFailure("users_list_not_supplied")
        if len(users) > 1:
            return self._open_group_dm(users)
        if users[0] not in self.users:
            raise SlackApiFailure("user_not_found")
        already_open = users[0] in self._dm_ids
        channel_id = self._dm_for(users[0])
        info = (
            self._channel_info(channel_id)
            if _truthy(call.params.get("return_im"))
            else {"id": channel_id}
        )
        body: JsonDict = {"ok": True, "channel": info}
        if already_open:
            body.update(no_op=True, already_open=True)
        return body

    def _open_group_dm(self, users: list[str]) -> JsonDict:
        """A multi-person DM, as Slack makes one: 2 to 8 people besides the app; the
        same set of people gets the same conversation back."""
        if len(users) > 8:
            raise SlackApiFailure("too_many_users")
        if any(u not in self.users for u in users):
            raise SlackApiFailure("user_not_found")
        members = tuple(sorted(set(users)))
        found = next((c for c, m in self.group_dms.items() if m == members), None)
        if found is not None:
            return {"ok": True, "channel": {"id": found}, "no_op": True, "already_open": True}
        channel_id = self._next_id("G")
        self.group_dms[channel_id] = members
        return {"ok": True, "channel": {"id": channel_id}}

    def _conversations_info(self, call: RecordedCall) -> JsonDict:
        return {
            "ok": True,
            "channel": self._channel_info(self._resolve_channel(call.params.get("channel"))),
        }

    def _conversations_list(self, call: RecordedCall) -> JsonDict:
        ids = list(dict.fromkeys(self.channels.values()))
        limit = int(call.params.get("limit") or 100)
        cursor = str(call.params.get("cursor") or "")
        start = int(cursor.removeprefix("offset:")) if cursor.startswith("offset:") else 0
        page = ids[start : start + limit]
        next_cursor = f"offset:{start + limit}" if start + limit < len(ids) else ""
        return {
            "ok": True,
            "channels": [self._channel_info(i) for i in page],
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_join(self, call: RecordedCall) -> JsonDict:
        channel_id = self._resolve_channel(call.params.get("channel"))
        if channel_id.startswith("D"):
            raise SlackApiFailure("method_not_supported_for_channel_type")
        body: JsonDict = {"ok": True}
        if channel_id in self.joined:
            body["warning"] = "already_in_channel"
        self.joined.add(channel_id)
        body["channel"] = self._channel_info(channel_id)
        return body

    def _conversations_replies(self, call: RecordedCall) -> JsonDict:
        channel_id = self._resolve_channel(call.params.get("channel"))
        ts = str(call.params.get("ts"))
        parent = self._find_message(channel_id, ts)
        if parent is None:
            raise SlackApiFailure("thread_not_found")
        replies = [
            m for m in self._messages[channel_id] if m.get("thread_ts") == ts and m is not parent
        ]
        return {"ok": True, "messages": [parent, *replies], "has_more": False}

    def _conversations_history(self, call: RecordedCall) -> JsonDict:
        """Newest first, top-level messages only; metadata only when asked for, as Slack does."""
        channel_id = self._resolve_channel(call.params.get("channel"))
        # Group DMs too: the bot is in each one it opened (mpim:history).
        known = (*self.channels.values(), *self._dm_ids.values(), *self.group_dms)
        if channel_id not in known:
            raise SlackApiFailure("channel_not_found")
        # Bots read only where they are members: a public channel must be joined (private
        # ones and DMs have the bot in them, or it could not post there either).
        if channel_id.startswith("C") and channel_id not in self.joined:
            raise SlackApiFailure("not_in_channel")
        limit = min(int(call.params.get("limit") or 100), 999)
        oldest = float(call.params.get("oldest") or 0)
        latest = float(call.params.get("latest") or math.inf)
        with_metadata = _truthy(call.params.get("include_all_metadata"))
        shown = [
            m
            for m in reversed(self._messages.get(channel_id, []))
            if m.get("thread_ts") in (None, m["ts"]) and oldest < float(m["ts"]) < latest
        ]
        messages = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in shown[:limit]
        ]
        return {"ok": True, "messages": messages, "has_more": len(shown) > limit}

    def _files_get_upload_url(self, call: RecordedCall) -> JsonDict:
        filename, length = call.params.get("filename"), call.params.get("length")
        if not filename or length is None:
            raise SlackApiFailure("invalid_arguments")
        file_id = self._next_id("F")
        self.files[file_id] = UploadedFile(
            file_id,
            str(filename),
            int(length),
            alt_txt=call.params.get("alt_txt"),
            snippet_type=call.params.get("snippet_type"),
        )
        return {"ok": True, "upload_url": f"{self.base_url}upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, call: RecordedCall) -> JsonDict:
        entries = call.params.get("files")
        if not isinstance(entries, list) or not entries:
            raise SlackApiFailure("invalid_arguments")
        channel = call.params.get("channel_id") or (
            str(call.params.get("channels") or "").split(",")[0] or None
        )
        channel_id = self._resolve_channel(channel) if channel else None
        shared: list[JsonDict] = []
        for entry in entries:
            upload = self.files.get(str(entry.get("id")))
            if upload is None or upload.content is None:
                raise SlackApiFailure("file_not_found")
            upload.title = entry.get("title") or upload.filename
            upload.channel_id = channel_id
            upload.initial_comment = call.params.get("initial_comment")
            upload.thread_ts = call.params.get("thread_ts")
            upload.completed = True
            shared.append(
                {
                    "id": upload.file_id,
                    "name": upload.filename,
                    "title": upload.title,
                    "size": len(upload.content),
                    "user": self.bot_user_id,
                    "channels": [channel_id] if channel_id else [],
                }
            )
        if channel_id is not None:
            # Sharing a file posts a message carrying it, like the Slack client shows.
            message: JsonDict = {
                "type": "message",
                "user": self.bot_user_id,
                "bot_id": self.bot_id,
                "text": call.params.get("initial_comment") or "",
                "ts": self._next_ts(),
                "files": shared,
                "upload": True,
            }
            if call.params.get("thread_ts"):
                message["thread_ts"] = call.params["thread_ts"]
            self._store_message(channel_id, message)
        return {"ok": True, "files": shared}

    def _reactions_add(self, call: RecordedCall) -> JsonDict:
        channel_id = self._resolve_channel(call.params.get("channel"))
        name = str(call.params.get("name") or "").strip(":")
        if not name:
            raise SlackApiFailure("invalid_name")
        message = self._find_message(channel_id, str(call.params.get("timestamp")))
        if message is None:
            raise SlackApiFailure("message_not_found")
        reactions: list[JsonDict] = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reactions.append({"name": name, "users": [self.bot_user_id], "count": 1})
        elif self.bot_user_id in reaction["users"]:
            raise SlackApiFailure("already_reacted")
        else:
            reaction["users"].append(self.bot_user_id)
            reaction["count"] += 1
        return {"ok": True}


def _whole_seconds(wait: float | None) -> int | None:
    """Slack's Retry-After: whole seconds, never 0 (a client would retry at once)."""
    return None if wait is None else max(1, math.ceil(wait))
