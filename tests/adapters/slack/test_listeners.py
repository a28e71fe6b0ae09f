"""Our fixed-argument listeners match exactly what Bolt's decorators would have matched,
and Bolt runs them as its own: the handler's response is the ack, errors reach Bolt's
error handler, events are acknowledged for the listener."""

from __future__ import annotations

import re
from typing import Any

import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.listener_matcher import builtins
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.slack.forms import CALLBACK_ID, TIMEZONE_ACTION
from adapters.slack.handlers import SLASH_COMMAND
from adapters.slack.listeners import (
    Matches,
    block_action,
    block_suggestion,
    event,
    listen,
    slash_command,
    view_submission,
)
from adapters.slack.render import ACTION_PREFIX
from tests.fakes import slack_payloads as payloads

CLICK = re.compile("^" + re.escape(ACTION_PREFIX))


def _suggestion(action_id: str) -> dict[str, Any]:
    return {"type": "block_suggestion", "action_id": action_id, "block_id": "b", "value": "Chi"}


PAYLOADS: dict[str, dict[str, Any]] = {
    "our command": payloads.slash_command("/coalition", "help"),
    "another command": payloads.slash_command("/other", "help"),
    "our button": payloads.block_actions(ACTION_PREFIX + "approve", "7"),
    "another button": payloads.block_actions("someone_else:approve", "7"),
    "a prefix in the middle": payloads.block_actions("x" + ACTION_PREFIX + "approve", "7"),
    "our form": payloads.view_submission(CALLBACK_ID),
    "another form": payloads.view_submission("other_form"),
    "our menu": _suggestion(TIMEZONE_ACTION),
    "another menu": _suggestion("other_menu"),
    "a message": payloads.message_event("C1", "U1", "hi"),
    "a reaction": payloads.event_callback({"type": "reaction_added", "reaction": "tada"}),
    "a shortcut": {"type": "shortcut", "callback_id": "coalition_form", "trigger_id": "t"},
}

# Ours, and the matcher Bolt's decorator for the same listener would have made.
MATCHERS: list[tuple[str, Matches, Any]] = [
    ("command", slash_command(SLASH_COMMAND), builtins.command(SLASH_COMMAND)),
    ("click", block_action(CLICK), builtins.action(CLICK)),
    ("form", view_submission(CALLBACK_ID), builtins.view(CALLBACK_ID)),
    ("options", block_suggestion(TIMEZONE_ACTION), builtins.options(TIMEZONE_ACTION)),
    ("message", event("message"), builtins.event("message")),
]


@pytest.mark.parametrize(("name", "ours", "bolts"), MATCHERS, ids=[m[0] for m in MATCHERS])
def test_each_listener_takes_what_bolts_decorator_would(
    name: str, ours: Matches, bolts: Any
) -> None:
    taken = {what for what, body in PAYLOADS.items() if ours(body)}
    assert taken == {what for what, body in PAYLOADS.items() if bolts.func(body)}
    assert len(taken) == 1  # each takes one kind of payload, and only ours


async def _authorize(**_: Any) -> AuthorizeResult:
    return AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-test")


def _app() -> AsyncApp:
    # Unsigned requests, and no auth.test: only the listeners are under test here.
    return AsyncApp(
        signing_secret="secret",
        authorize=_authorize,
        process_before_response=True,
        request_verification_enabled=False,
    )


async def _dispatch(app: AsyncApp, body: str, content_type: str) -> BoltResponse:
    request = AsyncBoltRequest(body=body, headers={"content-type": content_type})
    response: BoltResponse = await app.async_dispatch(request)
    return response


async def test_the_handler_gets_ack_body_and_context_and_its_response_is_the_ack() -> None:
    app = _app()
    seen: list[Any] = []

    async def on_command(ack: Any, body: Any, context: Any) -> BoltResponse:
        seen.append((ack is context.ack, body["text"], context["team_id"]))
        return BoltResponse(status=200, body='{"text": "hello"}')

    listen(app, slash_command(SLASH_COMMAND), on_command)
    body = payloads.slash_command_body(payloads.slash_command("/coalition", "help"))
    response = await _dispatch(app, body.decode(), payloads.FORM_CONTENT_TYPE)
    assert (response.status, response.body) == (200, '{"text": "hello"}')
    assert seen == [(True, "help", "T1")]


async def test_an_ack_called_by_the_handler_is_the_response() -> None:
    app = _app()

    async def on_options(ack: Any, body: Any, context: Any) -> None:
        await ack(options=[{"text": {"type": "plain_text", "text": "Chicago"}, "value": "c"}])

    listen(app, block_suggestion(TIMEZONE_ACTION), on_options)
    body = payloads.interactive_body(_suggestion(TIMEZONE_ACTION)).decode()
    response = await _dispatch(app, body, payloads.FORM_CONTENT_TYPE)
    assert response.status == 200 and "Chicago" in response.body


async def test_an_event_is_acknowledged_for_a_listener_that_does_not() -> None:
    app = _app()
    heard: list[str] = []

    async def on_message(ack: Any, body: Any, context: Any) -> None:
        heard.append(body["event"]["text"])

    listen(app, event("message"), on_message, auto_ack=True)
    body = payloads.events_body(payloads.message_event(text="hi"))
    response = await _dispatch(app, body.decode(), "application/json")
    assert (response.status, heard) == (200, ["hi"])


async def test_a_failing_handler_reaches_bolts_error_handler() -> None:
    app = _app()
    errors: list[BaseException] = []

    @app.error
    async def on_error(error: BaseException) -> None:
        errors.append(error)

    async def on_command(ack: Any, body: Any, context: Any) -> None:
        raise RuntimeError("broken")

    listen(app, slash_command(SLASH_COMMAND), on_command)
    body = payloads.slash_command_body(payloads.slash_command("/coalition", "help"))
    response = await _dispatch(app, body.decode(), payloads.FORM_CONTENT_TYPE)
    assert response.status == 500
    assert [str(e) for e in errors] == ["broken"]


async def test_a_payload_no_listener_takes_is_left_to_bolt() -> None:
    app = _app()

    async def on_command(ack: Any, body: Any, context: Any) -> None:
        raise AssertionError("not this one")

    listen(app, slash_command(SLASH_COMMAND), on_command)
    body = payloads.slash_command_body(payloads.slash_command("/other", "help"))
    response = await _dispatch(app, body.decode(), payloads.FORM_CONTENT_TYPE)
    assert response.status == 404
