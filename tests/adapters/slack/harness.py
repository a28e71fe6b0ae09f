"""Drive the real Slack adapter through the fake Slack, as Slack itself would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from adapters.bootstrap import App, build_app
from adapters.slack.app import SlackBot, SlackSettings
from adapters.slack.retries import database_claim
from adapters.slack.runner import socket_mode
from bot.clock import ManualClock
from bot.config import Config, Secrets
from bot.identity import Identity
from bot.membership.model import Member
from storage import Storage
from tests.fakes.slack import FakeSlack, RecordedCall
from tests.harness import START

WAIT = 5.0  # every wait is bounded, so a broken test fails instead of hanging
TEAM = "T1"
BOT_TOKEN = "xoxb-test-bot-token"
APP_TOKEN = "xapp-test-app-token"
SIGNING_SECRET = "test-signing-secret-abc123"
USERS: dict[str, dict[str, Any]] = {
    "U1": {"name": "maria", "real_name": "Maria Lopez", "tz": "America/Los_Angeles"},
    "UDANA": {"name": "dana", "real_name": "Dana Reyes", "tz": "America/Chicago"},
    "USAM": {"name": "sam", "real_name": "Sam Okafor", "tz": "America/New_York"},
    "UANA": {"name": "ana", "real_name": "Ana Ruiz", "tz": "America/Denver", "locale": "es-ES"},
}
CHANNELS = {"general": "C1", "coordinators": "C9"}


@dataclass
class Sent:
    """One payload sent to the bot, and Slack's view of its acknowledgement."""

    payload: Mapping[str, Any]
    envelope_id: str
    ack: dict[str, Any]
    ack_seconds: float


@dataclass
class SlackScene:
    fake: FakeSlack
    bot: SlackBot
    app: App

    async def command(self, text: str, user: str = "U1", channel: str = "C1") -> Sent:
        name = USERS.get(user, {}).get("name", user.lower())
        payload = self.fake.slash_command(
            text=text, user_id=user, user_name=name, channel_id=channel
        )
        return await self.send("slash_commands", payload)

    async def send(self, kind: str, payload: Mapping[str, Any], **options: Any) -> Sent:
        envelope_id = await self.fake.send_envelope(kind, payload, **options)
        ack = await self.fake.wait_ack(envelope_id, timeout=WAIT)
        return Sent(payload, envelope_id, ack.payload, ack.seconds)

    async def answer(self, sent: Sent, index: int = 0) -> RecordedCall:
        """The index-th answer to what was sent: the ack's own message, then response_url posts."""
        answers = [in_ack(sent)] if sent.ack and "text" in sent.ack else []
        path = urlsplit(sent.payload["response_url"]).path

        def posted() -> list[RecordedCall]:
            return [c for c in self.fake.calls_to("response_url") if c.path == path]

        if index >= len(answers):
            await self.fake.wait_for_call(
                "response_url", lambda _: len(answers) + len(posted()) > index, timeout=WAIT
            )
        return (answers + posted())[index]

    async def opened_view(self, sent: Sent) -> dict[str, Any]:
        trigger = sent.payload["trigger_id"]
        call = await self.fake.wait_for_call(
            "views.open", lambda c: c.params.get("trigger_id") == trigger, timeout=WAIT
        )
        assert call.ok, call.response
        view: dict[str, Any] = call.response["view"]
        return view

    async def submit(
        self, view: Mapping[str, Any], answers: Mapping[str, Any], user: str = "U1"
    ) -> Sent:
        payload = self.fake.view_submission(
            "coalition_form", view_id=view["id"], user_id=user, state_values=state_of(view, answers)
        )
        return await self.send("interactive", payload)

    async def click(self, channel: str, message: Mapping[str, Any], label: str, user: str) -> Sent:
        button = button_in(message, label)
        payload = self.fake.block_actions(
            button["action_id"],
            button.get("value"),
            user_id=user,
            user_name=USERS.get(user, {}).get("name", user.lower()),
            channel_id=channel,
            message_ts=message["ts"],
        )
        return await self.send("interactive", payload)

    async def settled(self) -> None:
        """Until every answer and post the bot started has gone out."""
        await self.bot.tasks.wait()

    async def member(self, user: str) -> Member | None:
        async with self.app.storage.unit_of_work() as uow:
            return await uow.members.by_identity(Identity("slack", TEAM, user))


def in_ack(sent: Sent) -> RecordedCall:
    """An answer that came in the ack, shaped like a response_url post for the assertions."""
    return RecordedCall(method="ack", params=dict(sent.ack), headers={}, token=None, timestamp=0.0)


def button_in(message: Mapping[str, Any], label: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("type") == "button" and element["text"]["text"] == label:
                return dict(element)
    raise AssertionError(f"no button {label!r} in {message.get('text')!r}")


def texts(value: Any) -> Iterator[str]:
    """Every string inside a payload, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item)


def state_of(view: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """view_submission state.values as Slack sends it: answers where given, else what
    the field was pre-filled with."""
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        kind, name = element["type"], block["block_id"]
        given = answers.get(name)
        entry: dict[str, Any] = {"type": kind}
        if kind in ("plain_text_input", "number_input"):
            entry["value"] = given if name in answers else element.get("initial_value")
        elif kind in ("static_select", "external_select"):
            entry["selected_option"] = (
                {"text": {"type": "plain_text", "text": given}, "value": given}
                if name in answers
                else element.get("initial_option")
            )
        elif kind in ("multi_static_select", "checkboxes"):
            entry["selected_options"] = (
                [{"text": {"type": "plain_text", "text": v}, "value": v} for v in given or ()]
                if name in answers
                else element.get("initial_options", [])
            )
        elif kind == "users_select":
            entry["selected_user"] = given if name in answers else element.get("initial_user")
        elif kind == "datepicker":
            entry["selected_date"] = given if name in answers else element.get("initial_date")
        elif kind == "timepicker":
            entry["selected_time"] = given if name in answers else element.get("initial_time")
        state[name] = {element["action_id"]: entry}
    return state


def settings_for(fake: FakeSlack, **overrides: Any) -> SlackSettings:
    options: dict[str, Any] = {
        "bot_token": BOT_TOKEN,
        "app_token": APP_TOKEN,
        "signing_secret": SIGNING_SECRET,
        "api_url": fake.api_url,
        **overrides,
    }
    return SlackSettings(**options)


@asynccontextmanager
async def slack_bot(
    fake: FakeSlack, storage: Storage, config: Config | None = None, **overrides: Any
) -> AsyncIterator[tuple[App, SlackBot]]:
    """The adapter, wired to the core as `coalition-bot run` wires it, before any transport."""
    app = build_app(config or Config(), Secrets(), clock=ManualClock(START), storage=storage)
    claim = database_claim(app.storage.interactions, app.clock)
    async with SlackBot(app.dispatcher, settings_for(fake, **overrides), claim) as bot:
        app.broadcaster.connect(bot.poster)
        try:
            yield app, bot
        finally:
            app.broadcaster.disconnect("slack")


@asynccontextmanager
async def socket_scene(
    fake: FakeSlack, storage: Storage, config: Config | None = None, **overrides: Any
) -> AsyncIterator[SlackScene]:
    async with slack_bot(fake, storage, config, **overrides) as (app, bot), socket_mode(bot):
        await fake.wait_connected(WAIT)
        yield SlackScene(fake, bot, app)
