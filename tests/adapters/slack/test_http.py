"""HTTP mode over a real socket: signed requests as Slack sends them, and forged ones."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text

from adapters.bootstrap import App
from adapters.slack.app import SlackBot
from adapters.slack.runner import database_health, http_server
from bot.config import CoalitionSettings, Config
from storage import Storage
from tests.adapters.slack.harness import SIGNING_SECRET, WAIT, slack_bot, state_of
from tests.fakes.slack import (
    FORM_CONTENT_TYPE,
    FakeSlack,
    interactive_body,
    sign_request,
    slash_command_body,
)

APPROVAL = Config(coalition=CoalitionSettings(approval_required=True), admins=("slack:UDANA",))


@dataclass
class HttpBot:
    fake: FakeSlack
    app: App
    bot: SlackBot
    url: str
    session: aiohttp.ClientSession

    async def post(
        self, body: bytes, *, secret: str | None = SIGNING_SECRET, age: int = 0, **headers: str
    ) -> tuple[int, str]:
        sent = {"Content-Type": FORM_CONTENT_TYPE, **headers}
        if secret is not None:
            sent.update(sign_request(secret, body, int(time.time()) - age))
        async with self.session.post(self.url + "/slack/events", data=body, headers=sent) as r:
            answer = await r.text()
        if r.status == 200:
            self.fake.check_http_ack(body, answer)
        return r.status, answer

    async def command(self, text: str, user: str = "U1", **options: Any) -> tuple[int, str]:
        payload = self.fake.slash_command(text=text, user_id=user)
        return await self.post(slash_command_body(payload), **options)

    async def members(self) -> int:
        """Members in the database, once everything the bot started has finished."""
        await self.bot.tasks.wait()
        async with self.app.storage.engine.connect() as connection:
            return int(await connection.scalar(text("SELECT count(*) FROM members")) or 0)


@pytest.fixture
async def http(fake: FakeSlack, sqlite: Storage) -> AsyncIterator[HttpBot]:
    async with (
        slack_bot(fake, sqlite, APPROVAL, mode="http") as (app, bot),
        http_server(bot.bolt, "127.0.0.1", 0, health=database_health(app)) as port,
        aiohttp.ClientSession() as session,
    ):
        yield HttpBot(fake, app, bot, f"http://127.0.0.1:{port}", session)
        await bot.tasks.wait()


async def test_signed_command_click_and_form_work(http: HttpBot) -> None:
    fake = http.fake
    status, body = await http.command(
        'join name="Dana Reyes" organization=DOH discipline=Policy region=West', user="UDANA"
    )
    # The answer was ready at once, so it came back in the acknowledgement itself.
    assert status == 200
    assert json.loads(body)["response_type"] == "ephemeral"
    assert "Welcome to Our Coalition!" in json.loads(body)["text"]

    payload = fake.slash_command(text="join", user_id="U1")
    assert (await http.post(slash_command_body(payload)))[0] == 200
    opened = await fake.wait_for_call("views.open", timeout=WAIT)
    view = opened.response["view"]

    bad = {"name": "Maria", "organization": "x" * 121, "discipline": "Nursing", "region": "West"}
    submission = fake.view_submission(
        "coalition_form", view_id=view["id"], state_values=state_of(view, bad)
    )
    status, body = await http.post(interactive_body(submission))
    assert status == 200
    assert json.loads(body)["errors"].keys() == {"organization"}

    good = {**bad, "organization": "Alameda County Public Health"}
    submission = fake.view_submission(
        "coalition_form", view_id=view["id"], state_values=state_of(view, good)
    )
    assert await http.post(interactive_body(submission)) == (200, "")
    request = await fake.wait_for_call(
        "chat.postMessage", lambda c: c.params.get("channel") == "C9", timeout=WAIT
    )
    card = fake.messages_in("C9")[-1]
    assert card["ts"] == request.response["ts"]

    approve = next(
        e for b in card["blocks"] for e in b.get("elements", []) if e.get("type") == "button"
    )
    click = fake.block_actions(
        approve["action_id"],
        approve["value"],
        user_id="UDANA",
        channel_id="C9",
        message_ts=card["ts"],
    )
    assert await http.post(interactive_body(click)) == (200, "")
    await fake.wait_for_call("chat.update", timeout=WAIT)
    assert "Approved by Dana Reyes" in fake.messages_in("C9")[-1]["text"]
    await fake.wait_for_call(
        "chat.postMessage", lambda c: c.params.get("channel", "").startswith("D"), timeout=WAIT
    )
    assert "Welcome" in fake.messages_in("U1")[0]["text"]


@pytest.mark.parametrize(
    "forgery",
    [
        {"secret": "not-the-signing-secret"},
        {"secret": None},  # unsigned
        {"age": 6 * 60},  # signed, but older than 5 minutes
    ],
    ids=["forged", "unsigned", "stale"],
)
async def test_unverified_requests_get_401_and_change_nothing(
    http: HttpBot, forgery: dict[str, Any]
) -> None:
    join = 'join name="Eve" organization=Org discipline=Policy region=West'
    assert (await http.command(join, **forgery))[0] == 401
    assert (await http.command(join, user="UDANA", **forgery))[0] == 401
    assert await http.members() == 0
    assert http.fake.calls == []  # not even a users.info or an auth.test


async def test_a_slow_command_is_acknowledged_empty_and_answered_after(
    fake: FakeSlack, sqlite: Storage
) -> None:
    # answer_in_ack=0: no answer is ready in time, as when the review post waits out a 429.
    async with (
        slack_bot(fake, sqlite, APPROVAL, mode="http", answer_in_ack=0.0) as (app, bot),
        http_server(bot.bolt, "127.0.0.1", 0) as port,
        aiohttp.ClientSession() as session,
    ):
        http = HttpBot(fake, app, bot, f"http://127.0.0.1:{port}", session)
        join = 'join name="Maria Lopez" organization=Org discipline=Nursing region=West'
        assert await http.command(join, user="U1") == (200, "")  # acknowledged empty
        answer = await fake.wait_for_call("response_url", timeout=WAIT)
        assert "sent to the coordinators" in answer.params["text"]
        assert await http.members() == 1


async def test_the_health_endpoint_answers(http: HttpBot) -> None:
    async with http.session.get(http.url + "/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


async def test_the_health_endpoint_says_when_the_database_is_down(http: HttpBot) -> None:
    async def unreachable() -> bool:
        raise OSError("connection refused")

    async with http_server(http.bot.bolt, "127.0.0.1", 0, health=unreachable) as port:
        response = await http.session.get(f"http://127.0.0.1:{port}/healthz")
        assert response.status == 503
        assert "database" in (await response.json())["status"]
