"""Discord's part of the coalition-bot command (see adapters/platform.py)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Mapping
from typing import Any

import aiohttp
import discord

from adapters.discord.client import DiscordSettings, intents
from adapters.discord.endpoints import apply_endpoints
from adapters.discord.runner import REFUSED_TOKEN, unreachable
from adapters.platform import Runner
from bot.config import Config, Secrets

GUILD_IDS = "DISCORD_GUILD_IDS"
APPLICATION_ID = "DISCORD_APPLICATION_ID"
SCOPES = ("bot", "applications.commands")


def permissions() -> discord.Permissions:
    """What the bot needs in a server: see channels, post in them, with cards and files.

    Replies to commands and button clicks go through the interaction and need no
    channel permission; these are for what it posts unprompted (join requests in
    the coordinators' channel, announcements). Discussions open a thread on their
    message (or a post, in a forum channel), write in it, and archive and lock it
    when closed.
    """
    return discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        attach_files=True,
        create_public_threads=True,
        send_messages_in_threads=True,
        manage_threads=True,
    )


def add_commands(commands: Any, run_parser: argparse.ArgumentParser) -> None:
    """Discord's subcommands and its options for `coalition-bot run`."""
    run_parser.add_argument(
        "--discord-guild",
        dest="discord_guilds",
        action="append",
        metavar="ID",
        help=f"a Discord server (guild) id to register the commands in; repeatable "
        f"(default: ${GUILD_IDS}, comma-separated)",
    )
    run_parser.add_argument(
        "--discord-global-sync",
        action="store_true",
        help="register the commands for every server the bot is in (global commands)",
    )
    discord_parser = commands.add_parser("discord", help="Discord set-up helpers")
    discord_commands = discord_parser.add_subparsers(metavar="DISCORD_COMMAND", required=True)
    invite = discord_commands.add_parser(
        "invite-url", help="print the link that adds the bot to a Discord server"
    )
    invite.add_argument(
        "--application-id",
        help=f"the application id from the Developer Portal (default: ${APPLICATION_ID}, "
        "or asked of Discord with $DISCORD_TOKEN)",
    )
    invite.set_defaults(handler=_invite_url)


def runner(args: argparse.Namespace, secrets: Secrets) -> Runner | None:
    """The Discord runner when DISCORD_TOKEN is set; ValueError says what else is missing."""
    if secrets.discord_token is None:
        return None
    from adapters.discord.runner import DiscordRunner

    return DiscordRunner(secrets.discord_token, settings(args, os.environ))


def settings(args: argparse.Namespace, env: Mapping[str, str]) -> DiscordSettings:
    given = getattr(args, "discord_guilds", None) or []
    raw = [part for value in given for part in value.split(",")]
    source = "--discord-guild"
    if not raw:
        raw = env.get(GUILD_IDS, "").split(",")
        source = GUILD_IDS
    guild_ids = tuple(_guild_id(value, source) for value in raw if value.strip())
    global_sync = bool(getattr(args, "discord_global_sync", False))
    if not guild_ids and not global_sync:
        raise ValueError(
            "Discord: tell me which server to add the coalition's commands to. Set "
            f"{GUILD_IDS} to your server's id (in Discord, turn on Developer Mode, then "
            "right-click the server and choose Copy Server ID), or run with "
            "--discord-guild ID. To register them in every server instead, add "
            "--discord-global-sync."
        )
    return DiscordSettings(guild_ids=guild_ids, global_sync=global_sync)


def _guild_id(value: str, source: str) -> int:
    value = value.strip()
    if not value.isdigit():
        raise ValueError(
            f"Discord: {source} should be server ids made of digits, like 123456789012345678; "
            f"{value!r} is not one."
        )
    return int(value)


def invite_url(application_id: int, guild_id: int | None = None) -> str:
    return discord.utils.oauth_url(
        application_id,
        permissions=permissions(),
        scopes=SCOPES,
        guild=discord.Object(guild_id) if guild_id else discord.utils.MISSING,
    )


async def fetch_application_id(token: str) -> int:
    """Ask Discord which application the token belongs to."""
    apply_endpoints(os.environ)
    client = discord.Client(intents=intents())
    async with client:
        await client.login(token)
        assert client.application_id is not None
        return client.application_id


def _invite_url(args: argparse.Namespace, config: Config, secrets: Secrets) -> int:
    given = args.application_id or os.environ.get(APPLICATION_ID, "").strip()
    if given and not given.isdigit():
        print(
            f"The application id should be digits, like 123456789012345678; {given!r} is not. "
            "Find it in the Developer Portal, under your application's General Information.",
            file=sys.stderr,
        )
        return 2
    if given:
        application_id = int(given)
    elif secrets.discord_token is not None:
        try:
            application_id = asyncio.run(
                fetch_application_id(secrets.discord_token.get_secret_value())
            )
        except discord.LoginFailure:
            print(REFUSED_TOKEN, file=sys.stderr)
            return 1
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            print(unreachable(error), file=sys.stderr)
            print(
                f"Or give the application id: --application-id ID, or set {APPLICATION_ID} "
                "(Developer Portal, your application, General Information).",
                file=sys.stderr,
            )
            return 1
    else:
        print(
            "I need the application id: run `coalition-bot discord invite-url --application-id ID` "
            f"or set {APPLICATION_ID} (Developer Portal, your application, General Information), "
            "or set DISCORD_TOKEN and I'll ask Discord.",
            file=sys.stderr,
        )
        return 2
    guilds = [g for g in os.environ.get(GUILD_IDS, "").split(",") if g.strip().isdigit()]
    url = invite_url(application_id, int(guilds[0]) if len(guilds) == 1 else None)
    print("Open this link, choose your coalition's server, and approve:")
    print(url)
    return 0
