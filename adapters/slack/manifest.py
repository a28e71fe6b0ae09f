"""The Slack app manifest, generated from the catalogue: paste it into "Create an app".

The slash command's description and usage hint come from the catalogue, so a
command added to the core shows up in Slack without anyone editing this file.
"""

from __future__ import annotations

from typing import Any

import yaml

from adapters.slack.handlers import SLASH_COMMAND
from adapters.slack.limits import ELLIPSIS
from bot.catalogue import Catalogue
from bot.config import Config

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

# Every Web API method the adapter calls, by the scope it needs.
BOT_SCOPES = {
    "commands": "the /coalition slash command",
    "chat:write": "replies, join requests to review, and direct messages",
    "chat:write.public": "posting in public channels (such as the reviews channel) without an invite",
    "im:write": "opening a direct message with a member (welcomes, decisions)",
    "mpim:write": "opening one group direct message with the members a matching round introduces",
    "users:read": "a person's name, time zone and language, to pre-fill the join form",
    "channels:read": "finding a public channel by its name from config.toml",
    "groups:read": "finding a private channel the bot was invited to by its name",
    "files:write": "sending a member the file of their data (/coalition export)",
    "channels:history": "counting replies in the discussion threads it opened (never their text), "
    "and, after a restart, finding a reminder it had already posted",
    "groups:history": "the same in private channels",
    "channels:join": "joining a public channel it posts reminders in, to read back its own posts",
    "im:history": "after a restart, finding a reminder it had already sent in a direct message",
    "mpim:history": "after a restart, finding a peer matching introduction it had already "
    "posted in a group direct message",
    "metadata.message:read": "reading back the delivery key it puts in its reminders' metadata",
}
# Messages in channels: replies in the discussion threads the bot opened are counted.
BOT_EVENTS: tuple[str, ...] = ("message.channels", "message.groups")

_NAME_MAX = 35  # Slack's limit for an app's name
_HINT_MAX = 1000
_DESCRIPTION_MAX = 2000


def manifest(
    catalogue: Catalogue, config: Config, *, request_url: str | None = None
) -> dict[str, Any]:
    """The manifest as data. Socket Mode unless `request_url` (HTTP mode's public base URL)."""
    events_url = request_url.rstrip("/") + EVENTS_PATH if request_url else None
    command: dict[str, Any] = {
        "command": SLASH_COMMAND,
        "description": _plain(_description(catalogue), _DESCRIPTION_MAX),
        "usage_hint": _plain(_usage_hint(catalogue), _HINT_MAX),
        # Slack then sends mentions as <@U123|name>, which the core reads as a member.
        "should_escape": True,
    }
    interactivity: dict[str, Any] = {"is_enabled": True}
    if events_url:
        command["url"] = events_url
        interactivity["request_url"] = events_url
        interactivity["message_menu_options_url"] = events_url  # the time-zone menu
    settings: dict[str, Any] = {
        "interactivity": interactivity,
        "org_deploy_enabled": False,
        "socket_mode_enabled": events_url is None,
        "token_rotation_enabled": False,
    }
    if BOT_EVENTS:
        events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
        if events_url:
            events["request_url"] = events_url
        settings["event_subscriptions"] = events
    name = config.coalition.name[:_NAME_MAX]
    return {
        "display_information": {
            "name": name,
            "description": f"The community bot of {config.coalition.name}"[:140],
            "background_color": "#1d4f73",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": settings,
    }


def manifest_yaml(catalogue: Catalogue, config: Config, *, request_url: str | None = None) -> str:
    data = manifest(catalogue, config, request_url=request_url)
    scopes = "\n".join(f"#   {scope}: {why}" for scope, why in BOT_SCOPES.items())
    header = (
        "# Slack app manifest for coalition-bot, generated from its commands.\n"
        "# At https://api.slack.com/apps choose Create New App > From an app manifest,\n"
        "# pick your workspace and paste this. What each bot scope is for:\n"
        f"{scopes}\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _description(catalogue: Catalogue) -> str:
    # "/coalition" alone shows help, so the help command's own words describe it.
    help_command = catalogue.command(("help",))
    return help_command.help if help_command else ", ".join(sorted(catalogue.groups()))


def _usage_hint(catalogue: Catalogue) -> str:
    return " | ".join(command.name for command in catalogue.commands.values())


def _plain(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS
