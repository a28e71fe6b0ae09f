"""The Slack benchmarks' shared parts, and bench/slack.py's workload.

Shared by bench/slack.py and bench/polls.py: the apps' settings, our bot as
`coalition-bot run` builds it (`our_bolt`), each app's child process (`app_process`,
`serve`) and the signed requests this process sends as Slack (`signed_post`).

The workload of bench/slack.py: what members really do, and the data it reads.

Five kinds of request, in turn: a directory search, a profile view, an RSVP
click on a meeting, a resource search and the meeting list. The database holds
500 listed members, 1,000 resources, the 20 Slack users who send the requests
(members too) and one daily meeting they answer.

The bare app (`bare_listeners`) answers each kind from one SQL statement of about
the size of the core's main query for it, on the same engine settings, so that
the ratio of the two shows our stack's overhead over the database work itself.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import membership, resources
from bench.settle import settle
from bot.config import Config
from bot.identity import Identity
from bot.meetings.model import Meeting, occurrence_target
from bot.membership.model import Profile
from storage import Storage

SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench"
TEAM = "T1"
USERS = 20  # distinct people sending requests
KINDS = ("directory", "profile", "rsvp", "resources", "meetings")
COMMANDS = {
    "directory": "directory region=West",
    "profile": "profile view",
    "resources": "resource search query=housing",
    "meetings": "meeting list",
}
RSVP_ACTION = "coalition:meeting.rsvp_yes:0"  # as adapters/slack/render.py names it


# -- the apps under test (each in a child process) ------------------------------------


def slack_settings(api_url: str) -> Any:
    from adapters.slack.app import SlackSettings

    return SlackSettings(
        bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, mode="http", api_url=api_url
    )


@asynccontextmanager
async def our_bolt(storage: Storage, api_url: str) -> AsyncIterator[AsyncApp]:
    """Our bot's Bolt app, as `coalition-bot run` builds it in HTTP mode."""
    from adapters.bootstrap import build_app, tune_gc
    from adapters.slack.app import SlackBot
    from adapters.slack.retries import database_claim
    from bot.config import Secrets

    app = build_app(Config(), Secrets(), storage=storage)
    await app.start()
    tune_gc()  # as `coalition-bot run` does
    try:
        claim = database_claim(storage.interactions, app.clock)
        async with SlackBot(app.dispatcher, slack_settings(api_url), claim) as bot:
            app.broadcaster.connect(bot.poster)
            yield bot.bolt
    finally:
        await app.close()  # the trailing edits of posts are made here at the latest


async def serve(bolt: AsyncApp) -> None:
    """Serve `bolt` on a free port, print the port, and serve until stdin closes."""
    from adapters.slack.runner import http_server

    async with http_server(bolt, "127.0.0.1", 0) as port:
        print(port, flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # the parent closes it to stop us


@dataclass
class Child:
    url: str  # the app's /slack/events
    pid: int


@asynccontextmanager
async def app_process(
    module: str,
    kind: str,
    arguments: list[str],
    *,
    env: Mapping[str, str] | None = None,
    stop_timeout: float = 15,
) -> AsyncIterator[Child]:
    """`python -m module *arguments` while it runs, which `serve`s one app."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        *arguments,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        if not line.strip().isdigit():
            raise RuntimeError(f"the {kind} app did not start")
        yield Child(f"http://127.0.0.1:{int(line)}/slack/events", process.pid)
    finally:
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), stop_timeout)
        except TimeoutError:
            process.kill()
            await process.wait()


# -- this process: Slack ------------------------------------------------------------


async def signed_post(session: aiohttp.ClientSession, url: str, body: bytes) -> tuple[float, bytes]:
    """Send a signed request: milliseconds until its acknowledgement, and the ack's body."""
    from tests.fakes.slack import FORM_CONTENT_TYPE, sign_request

    headers = {"Content-Type": FORM_CONTENT_TYPE, **sign_request(SIGNING_SECRET, body)}
    began = time.perf_counter()
    async with session.post(url, data=body, headers=headers) as response:
        answer = await response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return (time.perf_counter() - began) * 1000, answer


# -- the workload -------------------------------------------------------------------


def user_id(n: int) -> str:
    return f"U{100 + n % USERS}"


@dataclass(frozen=True)
class Seeded:
    meeting_target: str  # the RSVP button's value


async def seed(storage: Storage) -> Seeded:
    config = Config()
    await membership.seed(storage, config, 500)
    await resources.seed(storage, config, 1000)
    now = datetime.now(UTC)
    async with storage.unit_of_work() as uow:
        for n in range(USERS):
            await uow.members.add(
                Profile(f"Bench User {n}", "Bench County Health", region="West"),
                Identity("slack", TEAM, user_id(n)),
                pending=False,
                at=now,
            )
        # Daily from tomorrow, so that the first occurrence is open to answers all run.
        start = (now + timedelta(days=1)).replace(tzinfo=None, microsecond=0)
        meeting = await uow.meetings.add(
            Meeting(0, "Bench meeting", start, "UTC", 60, "general", rule="FREQ=DAILY"), at=now
        )
        await uow.commit()
    await settle(storage)
    return Seeded(occurrence_target(meeting.id, start.date()))


async def _run(engine: AsyncEngine, sql: str, **params: Any) -> list[Any]:
    async with engine.begin() as connection:
        result = await connection.execute(text(sql), params)
        return list(result) if result.returns_rows else []


# One statement for each kind, of about the size of the core's main query for it.
DIRECTORY = (
    "SELECT display_name, organization, region FROM members WHERE region = :region "
    "ORDER BY name_key LIMIT 10"
)
PROFILE = (
    "SELECT m.display_name, m.organization, m.region, m.discipline FROM members m "
    "JOIN identities i ON i.member_id = m.id "
    "WHERE i.platform = 'slack' AND i.workspace = :team AND i.user_id = :user"
)
RSVP = (
    "INSERT INTO meeting_rsvps (meeting_id, occurrence, member_id, answer, answered_at) "
    "SELECT :meeting, :occurrence, i.member_id, 'going', :at FROM identities i "
    "WHERE i.platform = 'slack' AND i.workspace = :team AND i.user_id = :user "
    "ON CONFLICT (meeting_id, occurrence, member_id) "
    "DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at"
)
RESOURCES = "SELECT id, title FROM resources WHERE title LIKE :query ORDER BY id DESC LIMIT 10"
MEETINGS = "SELECT id, title, start_local FROM meetings WHERE NOT cancelled ORDER BY first_start"


def _instant(engine: AsyncEngine) -> datetime:
    """Now, as the column takes it: SQLite stores instants as naive UTC."""
    now = datetime.now(UTC)
    return now.replace(tzinfo=None) if engine.dialect.name == "sqlite" else now


def bare_listeners(bolt: AsyncApp, engine: AsyncEngine, session: aiohttp.ClientSession) -> None:
    """A bare Bolt app's answers to the workload: one statement each, then the ack
    (a click: the ack, then the statement and a post to the response URL)."""
    queries: dict[str, Callable[[dict[str, Any]], Any]] = {
        "directory": lambda c: _run(engine, DIRECTORY, region="West"),
        "profile": lambda c: _run(engine, PROFILE, team=c["team_id"], user=c["user_id"]),
        "resources": lambda c: _run(engine, RESOURCES, query="%housing%"),
        "meetings": lambda c: _run(engine, MEETINGS),
    }
    pending: set[asyncio.Task[None]] = set()

    async def command(ack: AsyncAck, body: dict[str, Any]) -> None:
        kind = next(k for k, typed in COMMANDS.items() if body["text"] == typed)
        rows = await queries[kind](body)
        await ack(text=f"{len(rows)} found", response_type="ephemeral")

    async def click(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        meeting, _, day = body["actions"][0]["value"].partition("@")

        async def answer() -> None:
            await _run(
                engine,
                RSVP,
                meeting=int(meeting),
                occurrence=date.fromisoformat(day).isoformat(),
                at=_instant(engine),
                team=body["user"]["team_id"],
                user=body["user"]["id"],
            )
            reply = {"text": "You're going.", "response_type": "ephemeral"}
            async with session.post(body["response_url"], json=reply) as response:
                await response.read()

        task = asyncio.get_running_loop().create_task(answer())
        pending.add(task)
        task.add_done_callback(pending.discard)

    bolt.command("/coalition")(command)
    bolt.action(RSVP_ACTION)(click)
