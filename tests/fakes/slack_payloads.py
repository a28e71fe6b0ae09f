"""Builders for the payloads Slack sends to apps, plus HTTP-mode signing helpers.

The shapes follow what Slack actually delivers (Socket Mode envelope payloads are
the same JSON bodies Slack would POST in HTTP mode), trimmed to the fields bots
commonly read. Every builder returns a fresh ``dict`` that tests may tweak.

These functions know nothing about a running :class:`~.slack.FakeSlack`; prefer
the same-named ``FakeSlack`` methods, which also fill in a working response_url
and the fake's team/app/bot ids.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

# A response_url that fails fast: port 9 ("discard") on loopback is never served,
# so a bot that responds to an unset URL gets "connection refused" immediately
# instead of trying to reach the real hooks.slack.com.
UNSET_RESPONSE_URL = "http://127.0.0.1:9/response/unset"

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"

JsonDict = dict[str, Any]


def new_trigger_id() -> str:
    """A trigger_id in Slack's format, e.g. ``13345224609.738474920.8088930838d88f008e0``."""
    return f"{secrets.randbelow(10**11)}.{secrets.randbelow(10**9)}.{secrets.token_hex(16)}"


def new_event_id() -> str:
    return "Ev" + secrets.token_hex(5).upper()


def now_ts() -> str:
    """A message ts for "now" (seconds.microseconds, as Slack formats it)."""
    return f"{time.time():.6f}"


# --------------------------------------------------------------------------------------
# Slash commands
# --------------------------------------------------------------------------------------


def slash_command(
    command: str = "/coalition",
    text: str = "help",
    *,
    user_id: str = "U1",
    user_name: str = "maria",
    channel_id: str = "C1",
    channel_name: str = "general",
    team_id: str = "T1",
    team_domain: str = "coalition",
    api_app_id: str = "A1",
    trigger_id: str | None = None,
    response_url: str = UNSET_RESPONSE_URL,
) -> dict[str, str]:
    """A slash command payload. Every value is a string: Slack form-encodes these."""
    return {
        "token": "verification-token",
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    }


# --------------------------------------------------------------------------------------
# Interactivity
# --------------------------------------------------------------------------------------


def _find_block_id(blocks: Sequence[Mapping[str, Any]], action_id: str) -> str | None:
    """The block_id of the block holding ``action_id`` (actions, section accessory, input)."""
    for block in blocks:
        elements = list(block.get("elements") or [])
        for key in ("accessory", "element"):
            if isinstance(block.get(key), Mapping):
                elements.append(block[key])
        if any(isinstance(e, Mapping) and e.get("action_id") == action_id for e in elements):
            block_id = block.get("block_id")
            return str(block_id) if block_id is not None else None
    return None


def _action(action_id: str, block_id: str, action_type: str, value: str | None) -> JsonDict:
    action: JsonDict = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": now_ts(),
    }
    if action_type == "button":
        action["text"] = {"type": "plain_text", "text": value or action_id, "emoji": True}
        if value is not None:
            action["value"] = value
    elif action_type in ("static_select", "external_select", "overflow", "radio_buttons"):
        option = {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value}
        action["selected_option"] = option
    elif action_type == "users_select":
        action["selected_user"] = value
    elif action_type == "conversations_select":
        action["selected_conversation"] = value
    elif action_type == "channels_select":
        action["selected_channel"] = value
    elif action_type == "datepicker":
        action["selected_date"] = value
    elif value is not None:
        action["value"] = value
    return action


def block_actions(
    action_id: str,
    value: str | None = None,
    *,
    user_id: str = "U1",
    user_name: str = "maria",
    channel_id: str = "C1",
    channel_name: str = "general",
    message_ts: str = "1700000000.000100",
    message_blocks: Sequence[Mapping[str, Any]] | None = None,
    message_text: str = "",
    message_user: str = "UBOT",
    block_id: str | None = None,
    action_type: str = "button",
    action: Mapping[str, Any] | None = None,
    state_values: Mapping[str, Any] | None = None,
    team_id: str = "T1",
    team_domain: str = "coalition",
    api_app_id: str = "A1",
    trigger_id: str | None = None,
    response_url: str = UNSET_RESPONSE_URL,
    is_ephemeral: bool = False,
) -> JsonDict:
    """A ``block_actions`` payload for a click on an element of a message.

    ``value`` goes where Slack puts it for ``action_type`` (``value`` for buttons,
    ``selected_option`` for selects/overflow, ``selected_user`` ...). ``action``
    is merged into the action last, for anything unusual. When ``block_id`` is not
    given it is looked up in ``message_blocks``, as bots often read it back.
    """
    blocks = list(message_blocks or [])
    resolved_block_id = block_id or _find_block_id(blocks, action_id) or secrets.token_hex(3)
    act = _action(action_id, resolved_block_id, action_type, value)
    act.update(action or {})
    payload: JsonDict = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": is_ephemeral,
        },
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team_id, "domain": team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": channel_name},
        "state": {"values": dict(state_values or {})},
        "response_url": response_url,
        "actions": [act],
    }
    # Slack omits "message" for ephemeral messages.
    if not is_ephemeral:
        payload["message"] = {
            "type": "message",
            "user": message_user,
            "ts": message_ts,
            "text": message_text,
            "team": team_id,
            "blocks": blocks,
        }
    return payload


def plain_text_state(block_id: str, action_id: str, value: str | None) -> JsonDict:
    """``state.values`` entry for a plain_text_input; merge several with ``|``."""
    return {block_id: {action_id: {"type": "plain_text_input", "value": value}}}


def view_submission(
    callback_id: str,
    *,
    private_metadata: str = "",
    state_values: Mapping[str, Any] | None = None,
    user_id: str = "U1",
    user_name: str = "maria",
    team_id: str = "T1",
    team_domain: str = "coalition",
    view_id: str = "V00000001",
    blocks: Sequence[Mapping[str, Any]] | None = None,
    title: str = "Coalition",
    external_id: str = "",
    api_app_id: str = "A1",
    bot_id: str = "B1",
    trigger_id: str | None = None,
    response_urls: Sequence[Mapping[str, Any]] = (),
) -> JsonDict:
    """A ``view_submission`` payload for a modal's submit button."""
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": team_domain},
        "user": {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "verification-token",
        "trigger_id": trigger_id or new_trigger_id(),
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "blocks": list(blocks or []),
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": dict(state_values or {})},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "title": {"type": "plain_text", "text": title, "emoji": True},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
            "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": api_app_id,
            "external_id": external_id,
            "app_installed_team_id": team_id,
            "bot_id": bot_id,
        },
        "response_urls": list(response_urls),
        "is_enterprise_install": False,
        "enterprise": None,
    }


# --------------------------------------------------------------------------------------
# Events API
# --------------------------------------------------------------------------------------


def event_callback(
    event: Mapping[str, Any],
    *,
    team_id: str = "T1",
    api_app_id: str = "A1",
    bot_user_id: str = "UBOT",
    event_id: str | None = None,
    event_time: int | None = None,
) -> JsonDict:
    """Wraps an event in the ``event_callback`` envelope of the Events API."""
    return {
        "token": "verification-token",
        "team_id": team_id,
        "context_team_id": team_id,
        "api_app_id": api_app_id,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": secrets.token_hex(16),
    }


def message_event(
    channel: str = "C1",
    user: str = "U1",
    text: str = "hello",
    ts: str | None = None,
    thread_ts: str | None = None,
    *,
    channel_type: str | None = None,
    team_id: str = "T1",
    api_app_id: str = "A1",
    bot_user_id: str = "UBOT",
    event_id: str | None = None,
    event_time: int | None = None,
) -> JsonDict:
    """A ``message`` event from a human user, wrapped in an events_api payload."""
    ts = ts or now_ts()
    if channel_type is None:
        channel_type = {"D": "im", "G": "group"}.get(channel[:1], "channel")
    event: JsonDict = {
        "type": "message",
        "client_msg_id": str(uuid.uuid4()),
        "text": text,
        "user": user,
        "ts": ts,
        "team": team_id,
        "blocks": [
            {
                "type": "rich_text",
                "block_id": secrets.token_hex(2),
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
                ],
            }
        ],
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = user
    return event_callback(
        event,
        team_id=team_id,
        api_app_id=api_app_id,
        bot_user_id=bot_user_id,
        event_id=event_id,
        event_time=event_time if event_time is not None else int(float(ts)),
    )


# --------------------------------------------------------------------------------------
# HTTP mode: request bodies and signatures
# --------------------------------------------------------------------------------------


def sign_request(signing_secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The signature headers Slack adds to every HTTP request it sends to an app.

    ``X-Slack-Signature`` is ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``
    keyed with the signing secret. Receivers reject timestamps older than 5 minutes,
    so the default is "now".
    """
    ts = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{ts}:".encode() + body
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


def slash_command_body(payload: Mapping[str, object]) -> bytes:
    """HTTP-mode body for a slash command (``application/x-www-form-urlencoded``)."""
    return urlencode(payload).encode()


def interactive_body(payload: Mapping[str, Any]) -> bytes:
    """HTTP-mode body for interactivity: form-encoded with the JSON in ``payload=``."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def events_body(payload: Mapping[str, Any]) -> bytes:
    """HTTP-mode body for the Events API (``application/json``)."""
    return json.dumps(payload).encode()


def signed_headers(
    signing_secret: str, body: bytes, content_type: str, timestamp: int | None = None
) -> dict[str, str]:
    """Content-Type plus signature headers, ready for an HTTP-mode test request."""
    return {"Content-Type": content_type, **sign_request(signing_secret, body, timestamp)}
