"""The payloads Slack sends the bot, as far as the adapter reads them.

Shared by the adapter (handlers.py) and the fake Slack (tests/fakes/slack.py),
as discord.py's types/ are for Discord. Slack sends more fields than these; the
TypedDicts name those the bot reads or the fake fills in. `total=False` marks
fields Slack leaves out in some payloads. Reference:
https://api.slack.com/interactivity/slash-commands,
https://api.slack.com/reference/interaction-payloads,
https://api.slack.com/apis/events-api#callback-field.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class SlashCommand(TypedDict):
    """A slash command: every value a string (Slack form-encodes it)."""

    token: str
    team_id: str
    team_domain: str
    channel_id: str
    channel_name: str
    user_id: str
    user_name: str
    command: str
    text: str
    api_app_id: str
    is_enterprise_install: str
    response_url: str
    trigger_id: str


class User(TypedDict):
    id: str
    username: NotRequired[str]
    name: NotRequired[str]
    team_id: NotRequired[str]


class Team(TypedDict):
    id: str
    domain: NotRequired[str]


class Channel(TypedDict):
    id: str
    name: NotRequired[str]


class Action(TypedDict):
    action_id: str
    block_id: str
    type: str
    action_ts: str
    value: NotRequired[str]
    text: NotRequired[dict[str, Any]]


class Container(TypedDict, total=False):
    type: str
    message_ts: str
    channel_id: str
    is_ephemeral: bool
    view_id: str


class BlockActions(TypedDict):
    """A click on a button (or any block element) in a message or a view."""

    type: str  # "block_actions"
    user: User
    api_app_id: str
    token: str
    container: Container
    trigger_id: str
    team: NotRequired[Team]
    channel: NotRequired[Channel]
    message: NotRequired[dict[str, Any]]
    response_url: NotRequired[str]
    actions: list[Action]
    state: NotRequired[dict[str, Any]]


class View(TypedDict):
    id: str
    team_id: str
    type: str
    blocks: list[dict[str, Any]]
    private_metadata: str
    callback_id: str
    state: dict[str, Any]  # {"values": {block_id: {action_id: {...}}}}
    hash: str
    title: dict[str, Any]


class ViewSubmission(TypedDict):
    """A modal's Submit."""

    type: str  # "view_submission"
    team: Team
    user: User
    api_app_id: str
    token: str
    trigger_id: str
    view: View
    response_urls: list[dict[str, Any]]


class BlockSuggestion(TypedDict):
    """An external select asking for its options as the person types."""

    type: str  # "block_suggestion"
    user: User
    team: NotRequired[Team]
    action_id: str
    block_id: str
    value: str


class MessageEvent(TypedDict):
    type: str  # "message"
    channel: str
    ts: str
    user: NotRequired[str]
    text: NotRequired[str]
    thread_ts: NotRequired[str]
    subtype: NotRequired[str]
    bot_id: NotRequired[str]
    event_ts: NotRequired[str]
    channel_type: NotRequired[str]


class EventCallback(TypedDict):
    """The Events API envelope around one event (over HTTP, or in a Socket Mode envelope)."""

    token: str
    team_id: str
    api_app_id: str
    event: dict[str, Any]  # a MessageEvent for type "message"
    type: str  # "event_callback"
    event_id: str
    event_time: int
    authorizations: NotRequired[list[dict[str, Any]]]
