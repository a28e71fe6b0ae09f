"""A fake Discord (REST API + gateway) that the real discord.py client talks to over loopback.

Usage::

    async with running_fake() as fake:  # FakeDiscord started + redirect_discord_py()
        # guild_ready_timeout: discord.py otherwise waits 2 s after the last GUILD_CREATE.
        client = MyBot(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        await client.login(fake.token)
        task = asyncio.create_task(client.connect())
        await fake.wait_ready()
        await client.tree.sync(guild=discord.Object(fake.guild.id))  # so commands resolve
        response = await fake.interact(fake.slash_command("coalition", "status"))
        assert response.type == 4
        await client.close()
        await task

Redirection: discord.py 2.7 builds every REST URL from ``discord.http.Route.BASE``.  A plain
``discord.Client`` never calls GET /gateway/bot (only ``AutoShardedClient`` does); it connects
to the class attribute ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` and afterwards to the
``resume_gateway_url`` from READY.  ``redirect_discord_py()`` sets exactly those two attributes.

Limits: like Discord, the fake answers 400 "Invalid Form Body" (50035) to a message, modal,
autocomplete answer or command sync over one of Discord's documented limits, and records it
in ``rejected`` so that a test can assert nothing was refused.

Compression: discord.py always asks for ``compress=zlib-stream`` (or ``zstd-stream`` when the
``zstandard`` package is installed) in the gateway URL and has no Client option to turn it off.
The fake honours ``zlib-stream`` (one zlib context per connection, Z_SYNC_FLUSH per message) and
``zstd-stream`` when ``zstandard`` is importable; otherwise it sends plain text frames, which
discord.py accepts whatever it asked for (it only decompresses binary frames).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import importlib
import json
import logging
import re
import time
import zlib
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import BodyPartReader, WSMsgType, web
from multidict import CIMultiDict

from .discord_payloads import (
    APPLICATION_COMMAND,
    APPLIED_TAGS_MAX,
    AUTOCOMPLETE,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    DM,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    GUILD_FORUM,
    GUILD_TEXT,
    JSON,
    MESSAGE_COMPONENT,
    MODAL,
    MODAL_SUBMIT,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    REQUIRE_TAG,
    UPDATE_MESSAGE,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    add_bot_member,
    build_command_data,
    choices_problems,
    command_problems,
    default_guild,
    find_command,
    find_component,
    interaction_payload,
    iso_now,
    message_problems,
    modal_problems,
    modal_submit_data,
    number_components,
    resolve_mentions,
    snowflake,
)
from .discord_shapes import body_shape_problems
from .rate_limits import Clock, SlidingWindow

try:  # optional, like in discord.py itself ("discord.py[speed]")
    zstandard: Any = importlib.import_module("zstandard")
except ImportError:  # pragma: no cover - depends on the environment
    zstandard = None

__all__ = [
    "FakeDiscord",
    "GatewayConnection",
    "InteractionResponse",
    "RecordedCall",
    "RecordedFile",
    "Reply",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

# Gateway opcodes and intents the fake cares about.
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_RESUME, OP_RECONNECT = 0, 1, 2, 6, 7
OP_REQUEST_MEMBERS, OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = 8, 9, 10, 11
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15

UserRef = FakeMember | FakeUser | str | int
ChannelRef = FakeChannel | str | int


# --------------------------------------------------------------------------- records


@dataclass
class RecordedFile:
    field: str  # multipart field name, e.g. "files[0]"
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class RecordedCall:
    """One HTTP request the client made, with the fake's answer."""

    method: str
    path: str  # relative to the API base, e.g. "/channels/123/messages"
    query: dict[str, str]
    headers: Mapping[str, str]  # case-insensitive
    json: Any = None  # JSON body, or the decoded payload_json of a multipart body
    files: list[RecordedFile] = field(default_factory=list)
    status: int = 0
    response: Any = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class InteractionResponse:
    interaction_id: int
    type: int  # callback type: 4 message, 5 deferred, 6 deferred update, 7 update, 8 autocomplete, 9 modal
    data: JSON | None
    elapsed: float  # seconds from INTERACTION_CREATE dispatch to the callback arriving
    call: RecordedCall
    message: JSON | None = None  # the message the callback created or edited, if any
    accepted: bool = True  # False: too late (> interaction_deadline), answered 404 10062


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[RecordedCall, dict[str, str]], Awaitable[Reply]]


# Discord's documented rule: at most 8000 characters for the combined name, description and
# value properties of a command, its options (subcommands and groups included) and their
# choices; where localizations are present only the longest of each field counts (the default
# included). https://discord.com/developers/docs/interactions/application-commands
COMMAND_SIZE = 8000


def command_size(node: JSON) -> int:
    """One command (or option, or choice) as Discord counts it against COMMAND_SIZE."""

    def longest(key: str) -> int:
        given = [node.get(key), *(node.get(f"{key}_localizations") or {}).values()]
        return max((len(str(v)) for v in given if v is not None), default=0)

    size = longest("name") + longest("description")
    if "value" in node:
        size += len(str(node["value"]))
    for choice in node.get("choices") or []:
        size += command_size(choice)
    for option in node.get("options") or []:
        size += command_size(option)
    return size


def address(command: str) -> tuple[str, list[str]]:
    """Where coalition-bot puts a catalogue command on Discord: (top-level name, subcommands).

    A group's command is its own top-level command ("meeting schedule" is
    ``/meeting schedule``); a one-word command is under ``/coalition`` ("join" is
    ``/coalition join``). Written here from the documented rule, not imported from the
    adapter, so that tests check the adapter against it::

        fake.slash_command(*address("meeting schedule"), {"title": "Office hours"})
    """
    words = command.split()
    if len(words) == 2:
        return words[0], words[1:]
    return "coalition", words


def ok(body: Any) -> Reply:
    return Reply(200, body)


def no_content() -> Reply:
    return Reply(204)


def error(status: int, code: int, message: str) -> Reply:
    return Reply(status, {"message": message, "code": code})


def compile_path(pattern: str) -> re.Pattern[str]:
    """A path regex, fullmatched; ``{name}`` placeholders match one path segment."""
    return re.compile(re.sub(r"\{([A-Za-z_]\w*)\}", r"(?P<\1>[^/]+)", pattern))


# --------------------------------------------------------------------------- gateway


@dataclass
class _Session:
    """A gateway session (one IDENTIFY); it outlives connections through RESUME."""

    id: str
    intents: int
    identify: JSON
    seq: int = 0
    # Recent dispatches, replayed on RESUME for events the client missed.
    log: deque[JSON] = field(default_factory=lambda: deque(maxlen=500))
    connection: GatewayConnection | None = None

    async def dispatch(self, event: str, data: JSON) -> None:
        """Sequence and log an event; send it if connected, else it waits for a RESUME."""
        self.seq += 1
        payload = {"op": OP_DISPATCH, "t": event, "s": self.seq, "d": data}
        self.log.append(payload)
        if self.connection is not None and self.connection.open:
            await self.connection.send(payload)


class GatewayConnection:
    """One websocket connection from a client."""

    def __init__(self, ws: web.WebSocketResponse, query: Mapping[str, str], index: int) -> None:
        self.ws = ws
        self.query = dict(query)
        self.index = index  # 1 for the first connection to this fake, 2 for the next, ...
        self.received: list[JSON] = []  # every payload the client sent (heartbeats included)
        self.session: _Session | None = None
        self.ready = False  # READY + all GUILD_CREATEs (or RESUMED) sent
        self.resumed = False
        self.closed = False
        self.close_code: int | None = None
        self.compression = query.get("compress")
        self._zlib = zlib.compressobj() if self.compression == "zlib-stream" else None
        self._zstd = (
            zstandard.ZstdCompressor().compressobj()
            if self.compression == "zstd-stream" and zstandard is not None
            else None
        )

    @property
    def compressed(self) -> bool:
        """Whether frames are sent compressed (binary) rather than as plain text."""
        return self._zlib is not None or self._zstd is not None

    @property
    def open(self) -> bool:
        return not self.closed and not self.ws.closed

    @property
    def live(self) -> bool:
        """Open and past READY + GUILD_CREATEs (or RESUMED)."""
        return self.ready and self.open

    async def send(self, payload: JSON) -> None:
        raw = json.dumps(payload, separators=(",", ":")).encode()
        try:
            if self._zlib is not None:
                # zlib-stream: one shared context; every message ends with the 00 00 ff ff
                # sync-flush marker that discord.py uses to know a message is complete.
                await self.ws.send_bytes(
                    self._zlib.compress(raw) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                )
            elif self._zstd is not None:
                flush_block = zstandard.COMPRESSOBJ_FLUSH_BLOCK
                await self.ws.send_bytes(self._zstd.compress(raw) + self._zstd.flush(flush_block))
            else:
                await self.ws.send_str(raw.decode())
        except (ConnectionResetError, RuntimeError) as exc:  # client went away mid-send
            log.debug("gateway send failed: %s", exc)
            self.closed = True


# --------------------------------------------------------------------------- internals


@dataclass
class _Interaction:
    id: int
    token: str
    payload: JSON
    dispatched_at: float
    response: InteractionResponse | None = None
    original_message_id: int | None = None

    @property
    def channel_id(self) -> int:
        return int(self.payload["channel_id"])


@dataclass
class _RateLimitRule:
    method: str | None
    pattern: re.Pattern[str]
    retry_after: float
    remaining: int
    is_global: bool


# Discord's paths that its global limit does not count (topics/rate-limits: "Interaction
# endpoints are not bound to the bot's Global Rate Limit").
_NOT_GLOBAL = ("/interactions/", "/webhooks/")


@dataclass
class _RouteLimit:
    method: str
    pattern: re.Pattern[str]
    limit: int
    per: float
    name: str
    windows: dict[tuple[str, ...], SlidingWindow] = field(default_factory=dict)


@dataclass
class _ChannelLimit:
    limit: int
    per: float
    sent: deque[float] = field(default_factory=deque)


class FakeDiscord:
    """Fake Discord REST API and gateway on 127.0.0.1 (random port)."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        application_id: int | None = None,
        bot_name: str = "Coalition Bot",
        guilds: Sequence[FakeGuild] | None = None,
        application_flags: int = 0,
        heartbeat_interval: float = 41.25,
        interaction_deadline: float | None = 3.0,
        clock: Clock = time.monotonic,
        nonce_window: float = 180.0,
    ) -> None:
        self.token = token
        self.application_id = application_id or snowflake()
        self.application_flags = application_flags
        # New applications have bot user id == application id.
        self.bot_user = FakeUser(self.application_id, bot_name, bot=True)
        self.owner = FakeUser(snowflake(), "app-owner")
        self.guilds: list[FakeGuild] = (
            list(guilds) if guilds is not None else [default_guild(self.bot_user)]
        )
        for guild in self.guilds:
            add_bot_member(guild, self.bot_user)
        self.heartbeat_interval = heartbeat_interval
        # Discord drops interactions not acknowledged within 3 s ("Unknown interaction").
        self.interaction_deadline = interaction_deadline
        # With enforce_nonce, Discord returns the message a nonce already made "in the
        # past few minutes" (its docs give no figure; three minutes here), by the same
        # author in the same channel. Older nonces make new messages.
        self.nonce_window = nonce_window

        self.calls: list[RecordedCall] = []
        self.messages: dict[int, JSON] = {}  # every message, by id, as currently stored
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}
        self.connections: list[GatewayConnection] = []
        self.rate_limited_count = 0  # 429s sent
        self.server_errors: list[BaseException] = []  # bugs in the fake's handlers
        # Bodies refused as Discord would (400, 50035): (request, problems). Tests assert empty.
        self.rejected: list[tuple[str, list[str]]] = []
        self.dms_disabled: set[int] = set()  # user ids whose DMs answer 403 (50007)

        self._dm_channels: dict[int, FakeChannel] = {}  # by recipient id
        # (channel id, author id, nonce) -> (message id, when it was made, time.monotonic())
        self._nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        self._channel_messages: dict[int, list[int]] = {}
        self._attachments: dict[int, bytes] = {}
        self._sessions: dict[str, _Session] = {}
        self._interactions: dict[int, _Interaction] = {}
        self._by_token: dict[str, _Interaction] = {}
        self._rate_rules: list[_RateLimitRule] = []
        self._channel_limits: dict[int, _ChannelLimit] = {}
        self._clock = clock  # what the rate limits count time with (a test may drive it)
        self._global_window: SlidingWindow | None = None
        self._route_limits: list[_RouteLimit] = []
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._waiters: list[asyncio.Future[None]] = []
        # Requests that take effect at once but are answered only on release_answers().
        self._held: list[tuple[str, re.Pattern[str]]] = []
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._register_routes()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway_handler)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._attachment_handler)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self._rest_handler)
        app.router.add_route("*", "/{tail:.*}", self._rest_handler)  # anything else: recorded 404
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self.release_answers()
        for conn in self.connections:
            if not conn.ws.closed:
                await conn.ws.close(code=1001, message=b"fake discord stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._notify()

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def http_base(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return f"{self.http_base}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY``; also returned by GET /gateway(/bot)."""
        return f"ws://127.0.0.1:{self._port}/gateway"

    @contextlib.contextmanager
    def redirect_discord_py(self) -> Iterator[None]:
        """Point discord.py at this fake (the two documented redirection points), then restore."""
        import yarl
        from discord.gateway import DiscordWebSocket
        from discord.http import Route

        saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
        Route.BASE = self.api_base
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved

    # ------------------------------------------------------------------ state lookups

    @property
    def guild(self) -> FakeGuild:
        return self.guilds[0]

    def get_guild(self, guild_id: int | None) -> FakeGuild | None:
        return next((g for g in self.guilds if g.id == guild_id), None)

    def channel(self, ref: ChannelRef) -> FakeChannel:
        """Any channel, thread or DM channel, by object, id or (guild channel) name."""
        if isinstance(ref, FakeChannel):
            return ref
        for channel in self._all_channels():
            if (
                channel.id == ref
                or str(channel.id) == str(ref)
                or (isinstance(ref, str) and channel.name == ref)
            ):
                return channel
        raise KeyError(f"no channel {ref!r}")

    def member(self, ref: UserRef, guild: FakeGuild | None = None) -> FakeMember:
        return (guild or self.guild).member(ref)

    def role(self, ref: FakeRole | str | int, guild: FakeGuild | None = None) -> FakeRole:
        return (guild or self.guild).role(ref)

    def dm_channel(self, user: UserRef) -> FakeChannel:
        """The DM channel between the bot and ``user`` (created once, like Discord's)."""
        fake_user = self._user(user, None)
        if fake_user.id not in self._dm_channels:
            self._dm_channels[fake_user.id] = FakeChannel(
                snowflake(), "", DM, recipients=[fake_user]
            )
        return self._dm_channels[fake_user.id]

    def messages_in(self, channel: ChannelRef, *, include_ephemeral: bool = True) -> list[JSON]:
        """Messages in a channel or thread, oldest first, as currently stored (edits applied)."""
        ids = self._channel_messages.get(self.channel(channel).id, [])
        found = [self.messages[i] for i in ids if i in self.messages]
        return [m for m in found if include_ephemeral or not m["flags"] & FLAG_EPHEMERAL]

    def forget_history(self) -> None:
        """Drop the record of calls, messages and answered interactions.

        For long runs (bench/discord.py): kept, they grow the heap without end, and the
        garbage collector's full passes over it stop whichever client is being measured.
        """
        self.calls.clear()
        self.messages.clear()
        self._channel_messages.clear()
        self._nonces.clear()
        self._attachments.clear()
        for interaction in [i for i in self._interactions.values() if i.response is not None]:
            del self._interactions[interaction.id]
            self._by_token.pop(interaction.token, None)
        for connection in self.connections:
            connection.received.clear()

    def find_calls(self, method: str | None, path_pattern: str) -> list[RecordedCall]:
        regex = compile_path(path_pattern)
        return [
            c
            for c in self.calls
            if (method is None or c.method == method.upper()) and regex.fullmatch(c.path)
        ]

    @property
    def identify_count(self) -> int:
        return len(self._sessions)

    # ------------------------------------------------------------------ injection

    def rate_limit_next(
        self,
        path_pattern: str,
        retry_after: float = 0.5,
        *,
        method: str | None = None,
        count: int = 1,
        is_global: bool = False,
    ) -> None:
        """Answer the next ``count`` requests matching ``path_pattern`` with 429."""
        rule = _RateLimitRule(
            method and method.upper(), compile_path(path_pattern), retry_after, count, is_global
        )
        self._rate_rules.append(rule)

    def limit_channel_messages(self, channel: ChannelRef, limit: int = 5, per: float = 5.0) -> None:
        """Enforce a real sliding-window limit on POST /channels/{id}/messages for one channel,
        with X-RateLimit-* headers on successes (so discord.py can pre-emptively wait)."""
        self._channel_limits[self.channel(channel).id] = _ChannelLimit(limit, per)

    def limit_global(self, per_second: int | None = 50) -> None:
        """Discord's global limit: at most ``per_second`` requests in any second (None: off).

        Past it, a 429 with ``"global": true`` and X-RateLimit-Scope: global, as Discord
        sends; interaction callbacks and webhooks are not counted.
        """
        self._global_window = (
            None if per_second is None else SlidingWindow(per_second, 1.0, self._clock)
        )

    def limit_route(self, method: str, path_pattern: str, *, limit: int, per: float) -> None:
        """A per-route bucket: ``limit`` requests in any ``per`` seconds for each value of the
        path's placeholders (Discord counts per channel, guild or webhook). Successes carry
        the X-RateLimit-* headers (so discord.py waits before the bucket is empty); past
        the limit, a 429 with ``"global": false`` and X-RateLimit-Scope: user."""
        name = f"fake-{len(self._route_limits)}"
        rule = _RouteLimit(method.upper(), compile_path(path_pattern), limit, per, name)
        self._route_limits.append(rule)

    def hold_answers(self, method: str, path_pattern: str) -> None:
        """Let matching requests take effect (a message is stored) but hold their answers
        until release_answers(): the moment a crash loses what Discord did."""
        self._held.append((method.upper(), compile_path(path_pattern)))
        self._release.clear()

    def release_answers(self) -> None:
        self._held.clear()
        self._release.set()

    async def wait_for_calls(
        self,
        method: str | None,
        path_pattern: str,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[RecordedCall]:
        """The first `count` recorded calls matching method and path, once there are as many."""

        def check() -> list[RecordedCall] | None:
            found = self.find_calls(method, path_pattern)
            return found[:count] if len(found) >= count else None

        return await self._wait(check, timeout, f"{count} × {method} {path_pattern}")

    def add_route(self, method: str, path_pattern: str, handler: Handler) -> None:
        """Add or override a REST route; ``handler(call, params) -> Reply``."""
        self._routes.insert(0, (method.upper(), compile_path(path_pattern), handler))

    # ------------------------------------------------------------------ waiting

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def _wait(self, check: Callable[[], T | None], within: float, what: str) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while (result := check()) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = ", ".join(f"{c.method} {c.path} -> {c.status}" for c in self.calls[-15:])
                raise TimeoutError(
                    f"fake discord: timed out after {within}s waiting for {what}; recent: {recent}"
                )
            fut = loop.create_future()
            self._waiters.append(fut)
            await asyncio.wait({fut}, timeout=remaining)
        return result

    async def wait_for_call(
        self,
        method: str | None,
        path_pattern: str,
        predicate: Callable[[RecordedCall], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> RecordedCall:
        """First recorded call (past or future) matching method, path regex and predicate."""

        def check() -> RecordedCall | None:
            matches = (
                c
                for c in self.find_calls(method, path_pattern)
                if predicate is None or predicate(c)
            )
            return next(matches, None)

        return await self._wait(check, timeout, f"{method} {path_pattern}")

    async def wait_for_message(
        self,
        channel: ChannelRef,
        predicate: Callable[[JSON], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> JSON:
        def check() -> JSON | None:
            return next(
                (m for m in self.messages_in(channel) if predicate is None or predicate(m)), None
            )

        return await self._wait(check, timeout, f"a message in {channel!r}")

    async def wait_ready(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        identifies: int | None = None,
    ) -> GatewayConnection:
        """The live connection once a client has identified and received every GUILD_CREATE.

        ``identifies=2`` waits for the second IDENTIFY (e.g. a restarted client)."""

        def check() -> GatewayConnection | None:
            if identifies is not None and self.identify_count < identifies:
                return None
            return self.live_connection

        return await self._wait(check, timeout, "a ready gateway connection")

    async def wait_interaction_response(
        self,
        interaction_id: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResponse:
        def check() -> InteractionResponse | None:
            return self._interactions[interaction_id].response

        return await self._wait(check, timeout, f"the callback of interaction {interaction_id}")

    # ------------------------------------------------------------------ gateway control

    @property
    def live_connection(self) -> GatewayConnection | None:
        """The most recent connection that is open and ready, if any."""
        return next((c for c in reversed(self.connections) if c.live), None)

    def _active_session(self) -> _Session | None:
        """The live connection's session, else the newest one (its client may RESUME)."""
        conn = self.live_connection
        if conn is not None:
            return conn.session
        return next(reversed(self._sessions.values()), None)

    def _every_session(self) -> list[_Session]:
        """Sessions Discord delivers guild events and interactions to: every connected one
        (one per replica running the bot), else the newest, which may RESUME to get them."""
        connected = [
            s for s in self._sessions.values() if s.connection is not None and s.connection.open
        ]
        if connected:
            return connected
        newest = self._active_session()
        return [newest] if newest is not None else []

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a DISPATCH event to the most recent live client connection."""
        conn = self.live_connection
        if conn is None or conn.session is None:
            raise RuntimeError(f"no client is connected to the fake gateway (dispatching {event})")
        await conn.session.dispatch(event, data)

    async def close_gateway(
        self, code: int = 4000, *, connection: GatewayConnection | None = None
    ) -> None:
        """Close a client connection from the server side.  discord.py RESUMEs after 4000
        (and most codes); 4004 (authentication failed) makes the client give up."""
        conn = connection or self.live_connection
        if conn is not None:
            await conn.ws.close(code=code, message=b"closed by fake discord")

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client closes and RESUMEs immediately."""
        conn = self.live_connection
        if conn is not None:
            await conn.send({"op": OP_RECONNECT, "d": None})

    async def send_interaction(self, payload: JSON) -> int:
        """Dispatch INTERACTION_CREATE; returns the interaction id."""
        interaction = _Interaction(int(payload["id"]), payload["token"], payload, time.monotonic())
        self._interactions[interaction.id] = self._by_token[interaction.token] = interaction
        sessions = self._every_session()
        if not sessions:
            raise RuntimeError("no client is connected to the fake gateway (an interaction)")
        for session in sessions:  # as Discord does: every session of the bot gets it
            await session.dispatch("INTERACTION_CREATE", payload)
        return interaction.id

    async def interact(self, payload: JSON, timeout: float = 5.0) -> InteractionResponse:  # noqa: ASYNC109
        """``send_interaction`` + ``wait_interaction_response``."""
        return await self.wait_interaction_response(await self.send_interaction(payload), timeout)

    async def message_create(
        self,
        channel: ChannelRef,
        author: UserRef,
        content: str,
        *,
        thread: ChannelRef | None = None,
    ) -> JSON:
        """A user posts ``content`` in ``channel`` (or in ``thread`` of it): stored + MESSAGE_CREATE."""
        target = self.channel(thread if thread is not None else channel)
        guild = self.get_guild(target.guild_id)
        user = self._user(author, guild)
        message = self._store_message(target, {"content": content}, [], author=user)
        await self._broadcast_message("MESSAGE_CREATE", message)
        return message

    # ------------------------------------------------------------------ payload builders

    def slash_command(
        self,
        name: str = "coalition",
        subcommand: str | Sequence[str] = (),
        options: Mapping[str, Any] | None = None,
        *,
        user: UserRef | None = None,
        guild_id: int | None = None,
        channel_id: ChannelRef | None = None,
        locale: str = "en-US",
    ) -> JSON:
        """A CHAT_INPUT interaction, e.g. ``slash_command("coalition", "admin announce", {"text": "hi"})``.

        For a coalition-bot catalogue command: ``slash_command(*address("profile edit"), ...)``.
        """
        return self._command_interaction(
            APPLICATION_COMMAND,
            name,
            subcommand,
            options or {},
            user=user,
            guild_id=guild_id,
            channel_id=channel_id,
            locale=locale,
        )

    def autocomplete(
        self,
        name: str,
        subcommand: str | Sequence[str] = (),
        options: Mapping[str, Any] | None = None,
        *,
        focused: str,
        user: UserRef | None = None,
        guild_id: int | None = None,
        channel_id: ChannelRef | None = None,
    ) -> JSON:
        return self._command_interaction(
            AUTOCOMPLETE,
            name,
            subcommand,
            options or {},
            focused=focused,
            user=user,
            guild_id=guild_id,
            channel_id=channel_id,
        )

    def component_click(
        self,
        custom_id: str,
        message: JSON | int,
        *,
        user: UserRef | None = None,
        values: Sequence[str] | None = None,
        locale: str = "en-US",
    ) -> JSON:
        """A click on a button (or a select, with ``values``) of a message the bot posted."""
        stored = self.messages[int(message)] if isinstance(message, int) else message
        component = find_component(stored.get("components", []), custom_id)
        data: JSON = {
            "custom_id": custom_id,
            "component_type": component["type"] if component else 2,
        }
        if component is not None and "id" in component:
            data["id"] = component["id"]
        if values is not None:
            data["values"] = list(values)
        channel = self.channel(int(stored["channel_id"]))
        return self._interaction(
            MESSAGE_COMPONENT, data, channel, user, message=copy.deepcopy(stored), locale=locale
        )

    def modal_submit(
        self,
        custom_id: str,
        values: Mapping[str, str | Sequence[str]],
        *,
        user: UserRef | None = None,
        channel_id: ChannelRef | None = None,
        message: JSON | int | None = None,
        labels: bool = False,
        locale: str = "en-US",
    ) -> JSON:
        """A MODAL_SUBMIT; pass ``message`` when the modal was opened from a button on it."""
        stored = self.messages[int(message)] if isinstance(message, int) else message
        if channel_id is None and stored is not None:
            channel_id = int(stored["channel_id"])
        channel = self.channel(channel_id) if channel_id is not None else self._default_channel()
        data = modal_submit_data(custom_id, values, labels=labels)
        return self._interaction(
            MODAL_SUBMIT,
            data,
            channel,
            user,
            message=copy.deepcopy(stored) if stored else None,
            locale=locale,
        )

    def _command_interaction(
        self,
        kind: int,
        name: str,
        subcommand: str | Sequence[str],
        options: Mapping[str, Any],
        *,
        focused: str | None = None,
        user: UserRef | None,
        guild_id: int | None,
        channel_id: ChannelRef | None,
        locale: str = "en-US",
    ) -> JSON:
        channel = (
            self.channel(channel_id) if channel_id is not None else self._default_channel(guild_id)
        )
        guild = self.get_guild(channel.guild_id)
        path = subcommand.split() if isinstance(subcommand, str) else list(subcommand)
        command = self.registered_command(name, guild.id if guild else None)
        data = build_command_data(
            name,
            path,
            options,
            command=command,
            guild=guild,
            channels={c.id: c for c in self._all_channels()},
            focused=focused,
        )
        return self._interaction(kind, data, channel, user, locale=locale)

    def registered_command(self, name: str, guild_id: int | None = None) -> JSON | None:
        """The top-level command as last synced by the bot (guild commands win over global ones).

        ``name`` is a top-level name: ``registered_command(address("meeting list")[0])``.
        """
        guild_cmd = find_command(self.guild_commands.get(guild_id, []), name) if guild_id else None
        return guild_cmd or find_command(self.global_commands, name)

    def _interaction(
        self,
        kind: int,
        data: JSON,
        channel: FakeChannel,
        user: UserRef | None,
        *,
        message: JSON | None = None,
        locale: str = "en-US",
    ) -> JSON:
        guild = self.get_guild(channel.guild_id)
        if user is None:
            fake_user = channel.recipients[0] if channel.type == DM else self._default_user(guild)
        else:
            fake_user = self._user(user, guild)
        bot_perms = guild.permissions_of(guild.member(self.bot_user.id)) if guild else 0
        return interaction_payload(
            type=kind,
            data=data,
            application_id=self.application_id,
            user=fake_user,
            channel=channel,
            guild=guild,
            bot_permissions=bot_perms,
            message=message,
            locale=locale,
        )

    def _default_channel(self, guild_id: int | None = None) -> FakeChannel:
        guild = self.get_guild(guild_id) or self.guild
        return next(c for c in guild.channels if c.type == GUILD_TEXT)

    def _default_user(self, guild: FakeGuild | None) -> FakeUser:
        return next(m.user for m in (guild or self.guild).members if not m.user.bot)

    def _user(self, ref: UserRef, guild: FakeGuild | None) -> FakeUser:
        if isinstance(ref, FakeUser):
            return ref
        if isinstance(ref, FakeMember):
            return ref.user
        if ref in (self.bot_user.id, str(self.bot_user.id), self.bot_user.username):
            return self.bot_user
        for candidate in [guild] if guild else self.guilds:
            with contextlib.suppress(KeyError):
                return candidate.member(ref).user
        raise KeyError(f"no user {ref!r}")

    def _all_channels(self) -> Iterator[FakeChannel]:
        for guild in self.guilds:
            yield from guild.channels
        yield from self._dm_channels.values()

    # ------------------------------------------------------------------ gateway server

    async def _gateway_handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, timeout=5.0)
        await ws.prepare(request)
        conn = GatewayConnection(ws, request.query, len(self.connections) + 1)
        self.connections.append(conn)
        await conn.send(
            {"op": OP_HELLO, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}}
        )
        try:
            async for msg in ws:
                if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    await self._on_gateway_payload(conn, json.loads(msg.data))
        except Exception as exc:  # a bug in the fake: keep it visible
            self.server_errors.append(exc)
            log.exception("fake gateway handler failed")
            raise
        finally:
            conn.closed = True
            conn.close_code = ws.close_code
            self._notify()
        return ws

    async def _on_gateway_payload(self, conn: GatewayConnection, payload: JSON) -> None:
        conn.received.append(payload)
        op, data = payload.get("op"), payload.get("d") or {}
        if op == OP_HEARTBEAT:
            await conn.send({"op": OP_HEARTBEAT_ACK})
        elif op == OP_IDENTIFY:
            await self._identify(conn, data)
        elif op == OP_RESUME:
            await self._resume(conn, data)
        elif op == OP_REQUEST_MEMBERS:
            await self._send_member_chunk(conn, data)
        self._notify()

    async def _identify(self, conn: GatewayConnection, data: JSON) -> None:
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        session = _Session(
            id=f"fake-session-{len(self._sessions) + 1}",
            intents=int(data.get("intents", 0)),
            identify=data,
        )
        self._sessions[session.id] = session
        session.connection, conn.session = conn, session
        ready: JSON = {
            "v": 10,
            "user": {
                **self.bot_user.payload(),
                "verified": True,
                "mfa_enabled": False,
                "email": None,
            },
            "guilds": [{"id": str(g.id), "unavailable": True} for g in self.guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "auth": {},
            "user_settings": {},
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await session.dispatch("READY", ready)
        for guild in self.guilds:
            await session.dispatch("GUILD_CREATE", guild.create_payload())
        conn.ready = True

    async def _resume(self, conn: GatewayConnection, data: JSON) -> None:
        session = self._sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") != self.token:
            # d=false: not resumable; discord.py then re-IDENTIFIES on DEFAULT_GATEWAY.
            await conn.send({"op": OP_INVALID_SESSION, "d": False})
            return
        session.connection, conn.session = conn, session
        for missed in [p for p in session.log if p["s"] > (data.get("seq") or 0)]:
            await conn.send(missed)
        conn.resumed = True
        await session.dispatch("RESUMED", {})
        conn.ready = True

    async def _send_member_chunk(self, conn: GatewayConnection, data: JSON) -> None:
        guild = self.get_guild(int(data["guild_id"]))
        if guild is None:
            return
        wanted = {int(u) for u in data.get("user_ids") or []}
        query = (data.get("query") or "").lower()
        members = [
            m.payload()
            for m in guild.members
            if (not wanted or m.id in wanted) and m.user.username.lower().startswith(query)
        ]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if "nonce" in data:
            chunk["nonce"] = data["nonce"]
        if conn.session is not None:
            await conn.session.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def _broadcast_message(self, event: str, message: JSON) -> None:
        """MESSAGE_CREATE/UPDATE as Discord would deliver it, to every session whose intents ask."""
        for session in self._every_session():
            await self._deliver_message(session, event, message)

    async def _deliver_message(self, session: _Session, event: str, message: JSON) -> None:
        if message["flags"] & FLAG_EPHEMERAL:
            return
        in_guild = "guild_id" in message
        if not session.intents & (INTENT_GUILD_MESSAGES if in_guild else INTENT_DIRECT_MESSAGES):
            return
        # Only top-level keys are replaced below, so a shallow copy keeps the stored
        # message as it was (a deep copy was most of the fake's cost in bench/discord.py).
        data = dict(message)
        author_id = int(data["author"]["id"])
        guild = self.get_guild(int(data["guild_id"])) if in_guild else None
        if guild is not None and any(m.id == author_id for m in guild.members):
            data["member"] = guild.member(author_id).payload(with_user=False)
        mentioned = any(int(u["id"]) == self.bot_user.id for u in data["mentions"])
        # Without the privileged MESSAGE_CONTENT intent, guild messages arrive stripped
        # unless the bot wrote them or is mentioned.
        if (
            in_guild
            and not session.intents & INTENT_MESSAGE_CONTENT
            and author_id != self.bot_user.id
            and not mentioned
        ):
            data.update(content="", embeds=[], attachments=[], components=[])
        await session.dispatch(event, data)

    async def _emit(self, event: str, data: JSON, *, intent: int = 0) -> None:
        """Deliver a side-effect event (THREAD_CREATE, ...) to every session that wants it."""
        for session in self._every_session():
            if not intent or session.intents & intent:
                await session.dispatch(event, data)

    # ------------------------------------------------------------------ REST server

    async def _attachment_handler(self, request: web.Request) -> web.Response:
        data = self._attachments.get(int(request.match_info["attachment_id"]))
        return web.Response(status=404) if data is None else web.Response(body=data)

    async def _rest_handler(self, request: web.Request) -> web.Response:
        call = await self._read_call(request)
        try:
            reply = await self._handle(call)
        except Exception as exc:
            # A 400 (not 500, which discord.py retries for ~25 s) that fails the test quickly.
            self.server_errors.append(exc)
            log.exception("fake discord handler failed for %s %s", call.method, call.path)
            reply = error(400, 0, f"fake discord handler error: {exc!r}")
        call.status, call.response = reply.status, reply.body
        self.calls.append(call)
        self._notify()
        if any(m == call.method and r.fullmatch(call.path) for m, r in self._held):
            await self._release.wait()
        headers = dict(reply.headers)
        if reply.body is None:
            return web.Response(status=reply.status, headers=headers)
        # Exactly "application/json": discord.py compares the header verbatim (no charset).
        headers["Content-Type"] = "application/json"
        return web.Response(
            status=reply.status, body=json.dumps(reply.body).encode(), headers=headers
        )

    async def _read_call(self, request: web.Request) -> RecordedCall:
        call = RecordedCall(
            method=request.method,
            path="/" + request.match_info["tail"],
            query=dict(request.query),
            headers=CIMultiDict(request.headers),
        )
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue
                raw = bytes(await part.read())
                if part.name == "payload_json":
                    call.json = json.loads(raw)
                elif part.filename is not None:
                    ctype = part.headers.get("Content-Type")
                    call.files.append(RecordedFile(part.name or "", part.filename, ctype, raw))
        elif request.can_read_body:
            raw = await request.read()
            if raw:
                try:
                    call.json = json.loads(raw)
                except ValueError:
                    call.json = raw.decode(errors="replace")
        return call

    async def _handle(self, call: RecordedCall) -> Reply:
        limited = self._injected_rate_limit(call)
        if limited is not None:
            return limited
        public = call.path.startswith(("/webhooks/", "/interactions/", "/gateway"))
        if not public and call.headers.get("Authorization") != f"Bot {self.token}":
            return error(401, 0, "401: Unauthorized")
        problems = self._body_problems(call)
        problems += body_shape_problems(call.method, call.path, call.json)
        if problems:
            self.rejected.append((f"{call.method} {call.path}", problems))
            return error(400, 50035, "Invalid Form Body: " + "; ".join(problems))
        bucket = self._channel_bucket(call)
        if isinstance(bucket, Reply):
            return bucket
        limited = self._global_limited(call) or self._route_bucket(call, bucket)
        if limited is not None:
            return limited
        for method, regex, handler in self._routes:
            match = regex.fullmatch(call.path)
            if match and method == call.method:
                reply = await handler(call, match.groupdict())
                if reply.status < 300:
                    reply.headers.update(bucket)
                return reply
        return error(404, 0, "404: Not Found")

    def _body_problems(self, call: RecordedCall) -> list[str]:
        """Why Discord would refuse this request's body for its size or shape, if it would."""
        body = call.json if isinstance(call.json, dict) else None
        path, files = call.path, len(call.files)
        if call.method == "PUT" and path.endswith("/commands") and isinstance(call.json, list):
            return command_problems(call.json) + [
                f"APPLICATION_COMMAND_TOO_LARGE: /{c.get('name')} has {size} characters: "
                f"Command exceeds maximum size ({COMMAND_SIZE})"
                for c in call.json
                if (size := command_size(c)) > COMMAND_SIZE
            ]
        if body is None:
            return []
        if call.method == "POST" and path.endswith("/callback"):
            kind, data = int(body.get("type", 0)), body.get("data") or {}
            if kind == CHANNEL_MESSAGE:
                return message_problems(data, files=files)
            if kind == UPDATE_MESSAGE:
                return message_problems(data, files=files, edit=True)
            if kind == MODAL:
                return modal_problems(data)
            if kind == AUTOCOMPLETE_RESULT:
                return choices_problems(data)
            return []
        creating = call.method == "POST" and (
            re.fullmatch(r"/channels/\d+/messages", path)
            or re.fullmatch(r"/webhooks/\d+/[^/]+", path)
        )
        editing = call.method == "PATCH" and "/messages/" in path
        if creating or editing:
            return message_problems(body, files=files, edit=editing)
        if call.method == "POST" and re.fullmatch(r"/channels/\d+(/messages/\d+)?/threads", path):
            return thread_problems(body, files=files)
        return []

    def _injected_rate_limit(self, call: RecordedCall) -> Reply | None:
        for rule in self._rate_rules:
            if (
                rule.remaining > 0
                and rule.method in (None, call.method)
                and rule.pattern.fullmatch(call.path)
            ):
                rule.remaining -= 1
                return self._too_many_requests(rule.retry_after, is_global=rule.is_global)
        return None

    def _channel_bucket(self, call: RecordedCall) -> Reply | dict[str, str]:
        """Apply a ``limit_channel_messages`` window: a 429, or the X-RateLimit-* headers
        for the successful reply (so discord.py can pre-emptively wait)."""
        match = re.fullmatch(r"/channels/(\d+)/messages", call.path)
        limit = self._channel_limits.get(int(match[1])) if match and call.method == "POST" else None
        if limit is None:
            return {}
        now = time.monotonic()
        while limit.sent and limit.sent[0] <= now - limit.per:
            limit.sent.popleft()
        if len(limit.sent) >= limit.limit:
            return self._too_many_requests(limit.sent[0] + limit.per - now)
        limit.sent.append(now)
        reset_after = limit.sent[0] + limit.per - now
        return {
            "X-RateLimit-Limit": str(limit.limit),
            "X-RateLimit-Remaining": str(limit.limit - len(limit.sent)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": f"channel-messages-{match[1] if match else ''}",
        }

    def _global_limited(self, call: RecordedCall) -> Reply | None:
        if self._global_window is None or call.path.startswith(_NOT_GLOBAL):
            return None
        wait = self._global_window.take()
        return None if wait is None else self._too_many_requests(wait, is_global=True)

    def _route_bucket(self, call: RecordedCall, headers: dict[str, str]) -> Reply | None:
        """Apply the ``limit_route`` buckets: a 429, or their headers added to ``headers``."""
        for rule in self._route_limits:
            match = rule.pattern.fullmatch(call.path)
            if rule.method != call.method or match is None:
                continue
            key = tuple(match.groups())
            window = rule.windows.get(key)
            if window is None:
                window = rule.windows[key] = SlidingWindow(rule.limit, rule.per, self._clock)
            wait = window.take()
            if wait is not None:
                return self._too_many_requests(wait)
            reset_after = window.reset_after()
            headers.update(
                {
                    "X-RateLimit-Limit": str(rule.limit),
                    "X-RateLimit-Remaining": str(window.remaining),
                    "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
                    "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                    "X-RateLimit-Bucket": rule.name,
                }
            )
        return None

    def _too_many_requests(self, retry_after: float, *, is_global: bool = False) -> Reply:
        self.rate_limited_count += 1
        headers = {
            "Retry-After": str(max(1, round(retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": "fake-bucket",
            "X-RateLimit-Scope": "global" if is_global else "user",
            # discord.py treats a 429 without "Via" as a Cloudflare ban and raises.
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
            "code": 0,
        }
        return Reply(429, body, headers)

    def _register_routes(self) -> None:
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/users/@me", self._get_me),
            ("GET", "/users/{user_id}", self._get_user),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/applications/@me", self._get_application),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("GET", "/applications/{app_id}/commands", self._get_commands),
            ("PUT", "/applications/{app_id}/commands", self._put_commands),
            ("GET", "/applications/{app_id}/guilds/{guild_id}/commands", self._get_commands),
            ("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", self._put_commands),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._interaction_callback),
            ("POST", "/webhooks/{app_id}/{token}", self._post_followup),
            ("GET", "/webhooks/{app_id}/{token}/messages/{message_id}", self._webhook_message),
            ("PATCH", "/webhooks/{app_id}/{token}/messages/{message_id}", self._webhook_message),
            ("DELETE", "/webhooks/{app_id}/{token}/messages/{message_id}", self._webhook_message),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("PATCH", "/channels/{channel_id}", self._patch_channel),
            ("GET", "/channels/{channel_id}/messages", self._get_messages),
            ("POST", "/channels/{channel_id}/messages", self._post_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._channel_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._channel_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._channel_message),
            (
                "POST",
                "/channels/{channel_id}/messages/{message_id}/threads",
                self._thread_from_message,
            ),
            ("POST", "/channels/{channel_id}/threads", self._create_thread),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
            ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._member_role),
            ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._member_role),
            ("GET", "/guilds/{guild_id}/roles", self._get_roles),
            ("GET", "/guilds/{guild_id}/channels", self._get_guild_channels),
        ]
        self._routes = [(method, compile_path(path), handler) for method, path, handler in routes]

    # ------------------------------------------------------------------ REST: identity

    async def _get_me(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        return ok(
            {
                **self.bot_user.payload(),
                "verified": True,
                "mfa_enabled": False,
                "email": None,
                "locale": "en-US",
            }
        )

    async def _get_user(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        try:
            return ok(self._user(p["user_id"], None).payload())
        except KeyError:
            return error(404, 10013, "Unknown User")

    async def _get_application(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        return ok(
            {
                "id": str(self.application_id),
                "name": self.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": self.application_flags,
                "owner": self.owner.payload(),
                "team": None,
                "bot": self.bot_user.payload(),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
            }
        )

    async def _get_gateway(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        limits = {
            "total": 1000,
            "remaining": 1000 - len(self._sessions),
            "reset_after": 86_400_000,
            "max_concurrency": 1,
        }
        body: JSON = {"url": self.gateway_url}
        if call.path.endswith("/bot"):
            body.update(shards=1, session_start_limit=limits)
        return ok(body)

    # ------------------------------------------------------------------ REST: commands

    def _command_list(self, p: dict[str, str]) -> list[JSON]:
        if "guild_id" in p:
            return self.guild_commands.setdefault(int(p["guild_id"]), [])
        return self.global_commands

    async def _get_commands(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        if int(p["app_id"]) != self.application_id:
            return error(403, 50001, "Missing Access")
        return ok(self._command_list(p))

    async def _put_commands(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        if int(p["app_id"]) != self.application_id:
            return error(403, 50001, "Missing Access")
        previous = {(c["name"], c.get("type", 1)): c["id"] for c in self._command_list(p)}
        stored: list[JSON] = []
        for command in call.json or []:
            key = (command["name"], command.get("type", 1))
            entry: JSON = {
                "type": 1,
                "description": "",
                "options": [],
                "default_member_permissions": None,
                "nsfw": False,
                "contexts": None,
                "integration_types": [0],
                **command,
                # Bulk overwrite keeps the id of a command with the same name and type.
                "id": previous.get(key) or str(snowflake()),
                "application_id": str(self.application_id),
                "version": str(snowflake()),
            }
            if "guild_id" in p:
                entry["guild_id"] = p["guild_id"]
            stored.append(entry)
        if "guild_id" in p:
            self.guild_commands[int(p["guild_id"])] = stored
        else:
            self.global_commands = stored
        return ok(stored)

    # ------------------------------------------------------------------ REST: interactions

    async def _interaction_callback(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        interaction = self._interactions.get(int(p["interaction_id"]))
        if interaction is None or interaction.token != p["token"]:
            return error(404, 10062, "Unknown interaction")
        if interaction.response is not None:
            return error(400, 40060, "Interaction has already been acknowledged.")
        elapsed = time.monotonic() - interaction.dispatched_at
        kind = int((call.json or {}).get("type", 0))
        data = (call.json or {}).get("data")
        if self.interaction_deadline is not None and elapsed > self.interaction_deadline:
            # Recorded (so tests see how late it was), but refused like Discord does.
            interaction.response = InteractionResponse(
                interaction.id, kind, data, elapsed, call, accepted=False
            )
            return error(404, 10062, "Unknown interaction")

        source_message_id = (
            int(interaction.payload["message"]["id"]) if "message" in interaction.payload else None
        )
        message: JSON | None = None
        if kind == CHANNEL_MESSAGE:
            message = await self._interaction_message(interaction, data or {}, call.files)
        elif kind == DEFERRED_CHANNEL_MESSAGE:
            # The "Bot is thinking..." placeholder; the first follow-up or @original edit fills it.
            flags = FLAG_LOADING | (int((data or {}).get("flags", 0)) & FLAG_EPHEMERAL)
            message = await self._interaction_message(interaction, {"content": ""}, [], flags=flags)
        elif (
            kind in (UPDATE_MESSAGE, DEFERRED_UPDATE_MESSAGE) and source_message_id in self.messages
        ):
            interaction.original_message_id = source_message_id
            message = self.messages[source_message_id]
            if kind == UPDATE_MESSAGE:
                message = await self._edit_message(message, data or {}, call.files)

        interaction.response = InteractionResponse(
            interaction.id, kind, data, elapsed, call, message
        )
        if call.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        # discord.py 2.5+ always sends ?with_response=1 and parses an InteractionCallbackResponse.
        info: JSON = {"id": str(interaction.id), "type": interaction.payload["type"]}
        resource: JSON = {"type": kind}
        if message is not None:
            info.update(
                response_message_id=message["id"],
                response_message_loading=bool(message["flags"] & FLAG_LOADING),
                response_message_ephemeral=bool(message["flags"] & FLAG_EPHEMERAL),
            )
            resource["message"] = message
        return ok({"interaction": info, "resource": resource})

    async def _interaction_message(
        self,
        interaction: _Interaction,
        body: JSON,
        files: list[RecordedFile],
        *,
        flags: int | None = None,
    ) -> JSON:
        channel = self.channel(interaction.channel_id)
        is_command = interaction.payload["type"] == APPLICATION_COMMAND
        message = self._store_message(
            channel,
            body,
            files,
            author=self.bot_user,
            flags=flags,
            message_type=20 if is_command else 0,
        )
        user = interaction.payload.get("member", {}).get("user") or interaction.payload.get("user")
        message.update(
            webhook_id=str(self.application_id),
            application_id=str(self.application_id),
            interaction_metadata={
                "id": str(interaction.id),
                "type": interaction.payload["type"],
                "user": user,
                "authorizing_integration_owners": interaction.payload.get(
                    "authorizing_integration_owners", {}
                ),
            },
        )
        if interaction.original_message_id is None:
            interaction.original_message_id = int(message["id"])
        await self._broadcast_message("MESSAGE_CREATE", message)
        return message

    def _token_interaction(self, p: dict[str, str]) -> _Interaction | None:
        interaction = self._by_token.get(p["token"])
        if (
            interaction is None
            or int(p["app_id"]) != self.application_id
            or interaction.response is None
        ):
            return None
        return interaction

    async def _post_followup(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        interaction = self._token_interaction(p)
        if interaction is None:
            return error(404, 10015, "Unknown Webhook")
        body = call.json or {}
        original = self.messages.get(interaction.original_message_id or 0)
        if original is not None and original["flags"] & FLAG_LOADING:
            # After a deferral, the first follow-up replaces the "thinking" placeholder.
            body = {**body, "flags": original["flags"] & FLAG_EPHEMERAL}
            message = await self._edit_message(original, body, call.files)
        else:
            message = await self._interaction_message(interaction, body, call.files)
        return ok(message) if call.query.get("wait") in ("1", "true", "True") else no_content()

    async def _webhook_message(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        interaction = self._token_interaction(p)
        if interaction is None:
            return error(404, 10015, "Unknown Webhook")
        if p["message_id"] == "@original":
            message = self.messages.get(interaction.original_message_id or 0)
        else:
            message = self.messages.get(int(p["message_id"]))
        if message is None:
            return error(404, 10008, "Unknown Message")
        return await self._message_verb(call, message)

    async def _message_verb(self, call: RecordedCall, message: JSON) -> Reply:
        if call.method == "GET":
            return ok(message)
        if call.method == "PATCH":
            body = dict(call.json or {})
            if message["flags"] & FLAG_LOADING:
                body["flags"] = message["flags"] & FLAG_EPHEMERAL
            return ok(await self._edit_message(message, body, call.files))
        await self._delete_message(message)
        return no_content()

    # ------------------------------------------------------------------ REST: messages

    def _store_message(
        self,
        channel: FakeChannel,
        body: JSON,
        files: list[RecordedFile],
        *,
        author: FakeUser,
        flags: int | None = None,
        message_type: int = 0,
        message_id: int | None = None,
    ) -> JSON:
        mid = message_id or snowflake()
        content = body.get("content") or ""
        everyone, user_ids, role_ids = resolve_mentions(content, body.get("allowed_mentions"))
        guild = self.get_guild(channel.guild_id)
        mentioned = []
        for uid in user_ids:
            with contextlib.suppress(KeyError):
                mentioned.append(self._user(uid, guild).payload())
        message: JSON = {
            "id": str(mid),
            "channel_id": str(channel.id),
            "author": author.payload(),
            "content": content,
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": everyone,
            "mentions": mentioned,
            "mention_roles": [str(r) for r in role_ids],
            "attachments": self._new_attachments(body, files),
            "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
            "components": copy.deepcopy(body.get("components") or []),
            "reactions": [],
            "pinned": False,
            "type": 19 if "message_reference" in body else message_type,
            "flags": int(flags if flags is not None else body.get("flags", 0)),
        }
        if guild is not None:
            message["guild_id"] = str(guild.id)
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        if "message_reference" in body:
            message["message_reference"] = {
                "channel_id": str(channel.id),
                **body["message_reference"],
            }
        number_components(message["components"])
        self.messages[mid] = message
        self._channel_messages.setdefault(channel.id, []).append(mid)
        channel.last_message_id = mid
        channel.message_count += 1
        return message

    def _new_attachments(self, body: JSON, files: list[RecordedFile]) -> list[JSON]:
        described = {str(a.get("id")): a for a in body.get("attachments") or []}
        attachments = []
        for upload in files:
            index = upload.field.removeprefix("files[").removesuffix("]")
            attachment_id = snowflake()
            self._attachments[attachment_id] = upload.data
            url = f"{self.http_base}/attachments/{attachment_id}/{upload.filename}"
            attachment: JSON = {
                "id": str(attachment_id),
                "filename": upload.filename,
                "size": len(upload.data),
                "url": url,
                "proxy_url": url,
                "content_type": upload.content_type,
            }
            if described.get(index, {}).get("description"):
                attachment["description"] = described[index]["description"]
            attachments.append(attachment)
        return attachments

    async def _edit_message(self, message: JSON, body: JSON, files: list[RecordedFile]) -> JSON:
        # A key that is present replaces the stored value; null clears it.
        if "content" in body:
            message["content"] = body["content"] or ""
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "components" in body:
            message["components"] = copy.deepcopy(body["components"] or [])
        if body.get("flags") is not None:
            message["flags"] = int(body["flags"])
        if "content" in body:
            everyone, _, role_ids = resolve_mentions(
                message["content"], body.get("allowed_mentions")
            )
            message.update(mention_everyone=everyone, mention_roles=[str(r) for r in role_ids])
        if "attachments" in body:  # the kept attachments are listed by id; new ones by index
            keep = {str(a.get("id")) for a in body["attachments"] or []}
            message["attachments"] = [a for a in message["attachments"] if a["id"] in keep]
        message["attachments"] += self._new_attachments(body, files)
        number_components(message["components"])
        message["edited_timestamp"] = iso_now()
        await self._broadcast_message("MESSAGE_UPDATE", message)
        return message

    async def _delete_message(self, message: JSON) -> None:
        mid = int(message["id"])
        self.messages.pop(mid, None)
        event: JSON = {"id": message["id"], "channel_id": message["channel_id"]}
        if "guild_id" in message:
            event["guild_id"] = message["guild_id"]
        if not message["flags"] & FLAG_EPHEMERAL:
            await self._emit("MESSAGE_DELETE", event)

    def _channel_or_none(self, channel_id: str) -> FakeChannel | None:
        with contextlib.suppress(KeyError, ValueError):
            return self.channel(int(channel_id))
        return None

    async def _post_message(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        channel = self._channel_or_none(p["channel_id"])
        if channel is None:
            return error(404, 10003, "Unknown Channel")
        if channel.type == DM and channel.recipients[0].id in self.dms_disabled:
            return error(403, 50007, "Cannot send messages to this user")
        if channel.type == GUILD_FORUM:
            return error(400, 50008, "Cannot send messages in a non-text channel")
        if channel.is_thread and channel.locked:
            return error(403, 50083, "Thread is locked")
        body = call.json or {}
        # discord.py sends a random nonce with enforce_nonce=true; Discord then answers a
        # repeated post with the message it already created instead of a duplicate.
        nonce_key = (channel.id, self.bot_user.id, str(body.get("nonce")))
        made = self._nonces.get(nonce_key)
        if (
            body.get("enforce_nonce")
            and body.get("nonce") is not None
            and made is not None
            and made[0] in self.messages
            and time.monotonic() - made[1] <= self.nonce_window
        ):
            return ok(self.messages[made[0]])
        channel.archived = False  # posting in an archived (unlocked) thread unarchives it
        message = self._store_message(channel, body, call.files, author=self.bot_user)
        if body.get("nonce") is not None:
            self._nonces[nonce_key] = (int(message["id"]), time.monotonic())
        await self._broadcast_message("MESSAGE_CREATE", message)
        return ok(message)

    async def _get_messages(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        if self._channel_or_none(p["channel_id"]) is None:
            return error(404, 10003, "Unknown Channel")
        limit = int(call.query.get("limit", 50))
        newest_first = list(
            reversed(self.messages_in(int(p["channel_id"]), include_ephemeral=False))
        )
        return ok(newest_first[:limit])

    async def _channel_message(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        message = self.messages.get(int(p["message_id"]))
        if message is None or message["channel_id"] != p["channel_id"]:
            return error(404, 10008, "Unknown Message")
        return await self._message_verb(call, message)

    # ------------------------------------------------------------------ REST: channels and threads

    async def _get_channel(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        channel = self._channel_or_none(p["channel_id"])
        return error(404, 10003, "Unknown Channel") if channel is None else ok(channel.payload())

    async def _patch_channel(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        channel = self._channel_or_none(p["channel_id"])
        if channel is None:
            return error(404, 10003, "Unknown Channel")
        body = call.json or {}
        for key in ("name", "topic", "archived", "locked", "auto_archive_duration"):
            if key in body:
                setattr(channel, key, body[key])
        if "applied_tags" in body:
            channel.applied_tags = [int(t) for t in body["applied_tags"]]
        await self._emit(
            "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE", channel.payload()
        )
        return ok(channel.payload())

    def _new_thread(
        self, parent: FakeChannel, body: JSON, thread_id: int | None = None
    ) -> FakeChannel:
        thread = FakeChannel(
            id=thread_id or snowflake(),
            name=body.get("name", "thread"),
            type=int(body.get("type") or PUBLIC_THREAD),
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=self.bot_user.id,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
            applied_tags=[int(t) for t in body.get("applied_tags") or []],
        )
        if thread.type not in (PUBLIC_THREAD, PRIVATE_THREAD):
            thread.type = PUBLIC_THREAD
        guild = self.get_guild(parent.guild_id)
        assert guild is not None
        guild.channels.append(thread)
        return thread

    async def _thread_from_message(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        parent = self._channel_or_none(p["channel_id"])
        message = self.messages.get(int(p["message_id"]))
        if parent is None or message is None:
            return error(404, 10008, "Unknown Message")
        if "thread" in message:
            return error(400, 160004, "A thread has already been created for this message")
        # A thread started from a message shares the message's id.
        thread = self._new_thread(parent, call.json or {}, thread_id=int(message["id"]))
        message["thread"] = thread.payload()
        await self._emit("THREAD_CREATE", {**thread.payload(), "newly_created": True})
        return ok(thread.payload())

    async def _create_thread(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        parent = self._channel_or_none(p["channel_id"])
        if parent is None:
            return error(404, 10003, "Unknown Channel")
        body = call.json or {}
        if parent.type != GUILD_FORUM:
            thread = self._new_thread(parent, body)
            await self._emit("THREAD_CREATE", {**thread.payload(), "newly_created": True})
            return ok(thread.payload())
        if "message" not in body:
            return error(400, 50035, "Invalid Form Body: message is required in forum channels")
        if refused := _tag_problem(parent, body):
            return refused
        thread = self._new_thread(parent, {**body, "type": PUBLIC_THREAD})
        await self._emit("THREAD_CREATE", {**thread.payload(), "newly_created": True})
        # A forum post's starter message has the thread's id.
        starter = self._store_message(
            thread, body["message"], call.files, author=self.bot_user, message_id=thread.id
        )
        await self._broadcast_message("MESSAGE_CREATE", starter)
        return ok({**thread.payload(), "message": starter})

    async def _create_dm(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        try:
            channel = self.dm_channel(int((call.json or {}).get("recipient_id", 0)))
        except KeyError:
            return error(400, 50033, "Invalid Recipient(s)")
        return ok(channel.payload())

    # ------------------------------------------------------------------ REST: guilds

    async def _get_member(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        guild = self.get_guild(int(p["guild_id"]))
        if guild is None:
            return error(404, 10004, "Unknown Guild")
        try:
            return ok(guild.member(int(p["user_id"])).payload())
        except KeyError:
            return error(404, 10007, "Unknown Member")

    async def _member_role(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        guild = self.get_guild(int(p["guild_id"]))
        if guild is None:
            return error(404, 10004, "Unknown Guild")
        try:
            member, role = guild.member(int(p["user_id"])), guild.role(int(p["role_id"]))
        except KeyError:
            return error(404, 10011, "Unknown Role")
        if call.method == "PUT" and role.id not in member.roles:
            member.roles.append(role.id)
        elif call.method == "DELETE" and role.id in member.roles:
            member.roles.remove(role.id)
        update = {**member.payload(), "guild_id": str(guild.id)}
        await self._emit("GUILD_MEMBER_UPDATE", update, intent=INTENT_GUILD_MEMBERS)
        return no_content()

    async def _get_roles(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        guild = self.get_guild(int(p["guild_id"]))
        return (
            error(404, 10004, "Unknown Guild")
            if guild is None
            else ok([r.payload() for r in guild.roles])
        )

    async def _get_guild_channels(self, call: RecordedCall, p: dict[str, str]) -> Reply:
        guild = self.get_guild(int(p["guild_id"]))
        if guild is None:
            return error(404, 10004, "Unknown Guild")
        return ok([c.payload() for c in guild.channels if not c.is_thread])


def thread_problems(body: JSON, *, files: int) -> list[str]:
    """A new thread's name is 1 to 100 characters; a forum post's first message is a message."""
    problems = []
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        problems.append("name: Must be between 1 and 100 in length.")
    if "message" in body:
        problems.extend(f"message.{p}" for p in message_problems(body["message"], files=files))
    return problems


def _tag_problem(forum: FakeChannel, body: JSON) -> Reply | None:
    """Why Discord refuses a forum post's applied_tags: unknown, too many, or none where required."""
    tags = body.get("applied_tags") or []
    known = {str(t["id"]) for t in forum.available_tags}
    if len(tags) > APPLIED_TAGS_MAX:
        return error(
            400,
            50035,
            f"Invalid Form Body: applied_tags: Must be {APPLIED_TAGS_MAX} or fewer in length.",
        )
    if any(str(t) not in known for t in tags):
        return error(400, 50035, "Invalid Form Body: applied_tags: Unknown tag.")
    if not tags and forum.flags & REQUIRE_TAG:
        return error(400, 40067, "A tag is required to create a forum post in this channel")
    return None


@contextlib.asynccontextmanager
async def running_fake(**kwargs: Any) -> AsyncIterator[FakeDiscord]:
    """``async with running_fake() as fake:`` -- a started fake with discord.py pointed at it."""
    async with FakeDiscord(**kwargs) as fake:
        with fake.redirect_discord_py():
            yield fake
