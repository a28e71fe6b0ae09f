"""Bolt listeners that take fixed arguments: (ack, body, context).

Bolt calls each matcher and each listener it registers through argument injection:
for every call it gathers some thirty candidate arguments, making say, respond,
complete and more objects among them, and picks those the function names. That is
twice per request, about 7 µs each, which is as much CPU as our whole command
listener and the core's answer to `/coalition help` together (bench/slack.py).

So our listeners are Bolt listener objects (subclasses of Bolt's own AsyncListener
and AsyncListenerMatcher) that match with a plain test of the payload and call the
handler with the same three arguments every time. Bolt's dispatch, listener runner,
error handler and automatic acknowledgement of events work on them as on its own.
The tests are Bolt's own payload tests (slack_bolt.request.payload_utils), and
tests/adapters/slack/test_listeners.py checks that each matches what Bolt's
decorator would have matched.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.listener.async_listener import AsyncListener
from slack_bolt.listener_matcher.async_listener_matcher import AsyncListenerMatcher
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.payload_utils import (
    is_block_actions,
    is_block_suggestion,
    is_event,
    is_slash_command,
    is_view_submission,
)
from slack_bolt.response import BoltResponse

Body = dict[str, Any]  # a request's payload, as Bolt parsed it
Handler = Callable[[AsyncAck, Mapping[str, Any], AsyncBoltContext], Awaitable[BoltResponse | None]]
Matches = Callable[[Body], bool]


def listen(app: Any, matches: Matches, handler: Handler, *, auto_ack: bool = False) -> None:
    """Register `handler` for the payloads `matches` accepts, after those before it.

    Bolt's registering methods (app.command and the like) always wrap the function in
    its injection; the listeners they make go in this list, where dispatch looks.
    """
    app._async_listeners.append(_Listener(matches, handler, auto_ack=auto_ack))


class _Matcher(AsyncListenerMatcher):
    def __init__(self, matches: Matches) -> None:
        self._matches = matches

    async def async_matches(self, req: AsyncBoltRequest, resp: BoltResponse) -> bool:
        return self._matches(req.body)


class _Listener(AsyncListener):
    def __init__(self, matches: Matches, handler: Handler, *, auto_ack: bool) -> None:
        self.matchers = [_Matcher(matches)]
        self.middleware = []
        self._handler = handler
        # Bolt only names the listener after it (in its debug log); Bolt's own listeners,
        # too, return None from it when the listener called ack() itself.
        self.ack_function = handler  # type: ignore[assignment]
        self.lazy_functions = []
        # Events are acknowledged by Bolt when the listener did not (as app.event does).
        self.auto_acknowledgement = auto_ack
        self.ack_timeout = 3

    async def run_ack_function(
        self, *, request: AsyncBoltRequest, response: BoltResponse
    ) -> BoltResponse | None:
        context = request.context
        return await self._handler(context.ack, request.body, context)


# -- what each listener takes ---------------------------------------------------------


def slash_command(name: str) -> Matches:
    return lambda body: is_slash_command(body) and body["command"] == name


def block_action(action_id: re.Pattern[str]) -> Matches:
    return lambda body: (
        is_block_actions(body) and bool(action_id.search(body["actions"][0]["action_id"]))
    )


def view_submission(callback_id: str) -> Matches:
    return lambda body: is_view_submission(body) and body["view"]["callback_id"] == callback_id


def block_suggestion(action_id: str) -> Matches:
    return lambda body: is_block_suggestion(body) and body["action_id"] == action_id


def event(event_type: str) -> Matches:
    return lambda body: is_event(body) and body["event"]["type"] == event_type
