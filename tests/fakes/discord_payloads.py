"""State model and JSON payload builders for the fake Discord in ``tests.fakes.discord``.

Everything here is plain data: no sockets, no discord.py import.  The shapes follow the
Discord API v10 documentation and were checked against what discord.py 2.7 actually reads
(``Guild._from_data``, ``Interaction._from_data``, ``Message.__init__``, ``Thread``, ...).
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000

# Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types)
GUILD_TEXT = 0
DM = 1
GUILD_CATEGORY = 4
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
GUILD_FORUM = 15
# Channel flags (https://discord.com/developers/docs/resources/channel#channel-object-channel-flags)
REQUIRE_TAG = 1 << 4  # a forum whose every post needs a tag
APPLIED_TAGS_MAX = 5  # tags on one forum post
THREAD_TYPES = (10, PUBLIC_THREAD, PRIVATE_THREAD)

# Interaction types and callback types.
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9

# Application command option types.
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)

# Message flags.
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7

# Permission bits used to build realistic roles.
ADMINISTRATOR = 1 << 3
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1

EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | ADD_REACTIONS
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES | MANAGE_THREADS | MANAGE_ROLES


# --------------------------------------------------------------------------- ids and times

_snowflake_lock = threading.Lock()
_last_snowflake = 0


def snowflake() -> int:
    """A unique, increasing, time-based snowflake (so ``discord.utils.snowflake_time`` works)."""
    global _last_snowflake
    with _snowflake_lock:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        _last_snowflake = max(candidate, _last_snowflake + 1)
        return _last_snowflake


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


def new_token() -> str:
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)


# --------------------------------------------------------------------------- state model


@dataclass
class FakeUser:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name if self.global_name is not None else self.username,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }


@dataclass
class FakeRole:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass
class FakeMember:
    user: FakeUser
    roles: list[int] = field(default_factory=list)  # role ids, without @everyone
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    @property
    def id(self) -> int:
        return self.user.id

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> JSON:
        data: JSON = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class FakeChannel:
    """A guild channel, a thread (``parent_id`` + ``owner_id``) or a DM (``recipients``)."""

    id: int
    name: str
    type: int = GUILD_TEXT
    guild_id: int | None = None
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    available_tags: list[JSON] = field(default_factory=list)  # forum tags
    applied_tags: list[int] = field(default_factory=list)  # forum post tags
    flags: int = 0  # REQUIRE_TAG on a forum
    recipients: list[FakeUser] = field(default_factory=list)  # DM channels
    last_message_id: int | None = None
    message_count: int = 0
    created_at: str = field(default_factory=iso_now)

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    def payload(self) -> JSON:
        last = str(self.last_message_id) if self.last_message_id else None
        if self.type == DM:
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": last,
                "flags": 0,
                "recipients": [u.payload() for u in self.recipients],
            }
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "last_message_id": last,
            "rate_limit_per_user": 0,
            "flags": self.flags,
            "nsfw": False,
        }
        if self.is_thread:
            data.update(
                owner_id=str(self.owner_id),
                message_count=self.message_count,
                member_count=1,
                total_message_sent=self.message_count,
                applied_tags=[str(t) for t in self.applied_tags],
                thread_metadata={
                    "archived": self.archived,
                    "locked": self.locked,
                    "auto_archive_duration": self.auto_archive_duration,
                    "archive_timestamp": self.created_at,
                    "create_timestamp": self.created_at,
                    "invitable": True,
                },
            )
            return data
        data.update(position=self.position, permission_overwrites=[], topic=self.topic)
        if self.type == GUILD_FORUM:
            data.update(
                available_tags=self.available_tags,
                default_reaction_emoji=None,
                default_sort_order=None,
                default_forum_layout=0,
                default_thread_rate_limit_per_user=0,
                default_auto_archive_duration=self.auto_archive_duration,
            )
        return data


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int = 0
    roles: list[FakeRole] = field(default_factory=list)
    members: list[FakeMember] = field(default_factory=list)
    channels: list[FakeChannel] = field(default_factory=list)  # includes threads

    @classmethod
    def create(cls, name: str = "Coalition HQ", *, guild_id: int | None = None) -> FakeGuild:
        """A guild with only the @everyone role (whose id is the guild id, as on Discord)."""
        gid = guild_id or snowflake()
        return cls(
            id=gid,
            name=name,
            roles=[FakeRole(id=gid, name="@everyone", permissions=EVERYONE_PERMISSIONS)],
        )

    # -- builders
    def add_role(
        self, name: str, *, permissions: int = 0, mentionable: bool = False, managed: bool = False
    ) -> FakeRole:
        role = FakeRole(
            snowflake(),
            name,
            permissions,
            position=len(self.roles),
            mentionable=mentionable,
            managed=managed,
        )
        self.roles.append(role)
        return role

    def add_member(
        self,
        name: str,
        *,
        roles: Iterable[FakeRole | str | int] = (),
        user_id: int | None = None,
        bot: bool = False,
    ) -> FakeMember:
        member = FakeMember(
            FakeUser(user_id or snowflake(), name, bot=bot), [self.role(r).id for r in roles]
        )
        self.members.append(member)
        if not self.owner_id:
            self.owner_id = member.id
        return member

    def add_text_channel(self, name: str, *, topic: str | None = None) -> FakeChannel:
        return self._add_channel(
            FakeChannel(snowflake(), name, GUILD_TEXT, self.id, len(self.channels), topic)
        )

    def add_forum_channel(
        self, name: str, *, tags: Iterable[str] = (), require_tag: bool = False
    ) -> FakeChannel:
        available = [
            {
                "id": str(snowflake()),
                "name": t,
                "moderated": False,
                "emoji_id": None,
                "emoji_name": None,
            }
            for t in tags
        ]
        channel = FakeChannel(
            snowflake(),
            name,
            GUILD_FORUM,
            self.id,
            len(self.channels),
            available_tags=available,
            flags=REQUIRE_TAG if require_tag else 0,
        )
        return self._add_channel(channel)

    def _add_channel(self, channel: FakeChannel) -> FakeChannel:
        self.channels.append(channel)
        return channel

    # -- lookups (by object, id or name)
    @property
    def everyone(self) -> FakeRole:
        return self.roles[0]

    def role(self, ref: FakeRole | str | int) -> FakeRole:
        if isinstance(ref, FakeRole):
            return ref
        return _find(self.roles, ref, lambda r: r.name, "role")

    def member(self, ref: FakeMember | FakeUser | str | int) -> FakeMember:
        if isinstance(ref, FakeMember):
            return ref
        if isinstance(ref, FakeUser):
            ref = ref.id
        return _find(self.members, ref, lambda m: m.user.username, "member")

    def channel(self, ref: FakeChannel | str | int) -> FakeChannel:
        if isinstance(ref, FakeChannel):
            return ref
        return _find(self.channels, ref, lambda c: c.name, "channel")

    def permissions_of(self, member: FakeMember) -> int:
        perms = self.everyone.permissions
        for role_id in member.roles:
            perms |= self.role(role_id).permissions
        if perms & ADMINISTRATOR or member.id == self.owner_id:
            return ALL_PERMISSIONS
        return perms

    def create_payload(self) -> JSON:
        """The full GUILD_CREATE ``d`` (what discord.py needs to fill its cache)."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "features": [],
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "application_id": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "incidents_data": None,
            "roles": [r.payload() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "joined_at": iso_now(),
            "large": False,
            "unavailable": False,
            "lazy": True,
            # member_count == len(members) makes discord.py consider the guild chunked.
            "member_count": len(self.members),
            "members": [m.payload() for m in self.members],
            "channels": [c.payload() for c in self.channels if not c.is_thread],
            "threads": [c.payload() for c in self.channels if c.is_thread and not c.archived],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


_Item = TypeVar("_Item", FakeRole, FakeMember, FakeChannel)


def _find(
    items: Sequence[_Item], ref: str | int, name_of: Callable[[_Item], str], kind: str
) -> _Item:
    for item in items:
        if item.id == ref or (
            isinstance(ref, str) and (name_of(item) == ref or str(item.id) == ref)
        ):
            return item
    raise KeyError(f"no {kind} {ref!r}")


def default_guild(bot_user: FakeUser) -> FakeGuild:
    """A small coalition server: two text channels, a forum, a few roles and members."""
    guild = FakeGuild.create("Coalition HQ")
    organizer = guild.add_role(
        "Organizer", permissions=MENTION_EVERYONE | MANAGE_MESSAGES, mentionable=True
    )
    member = guild.add_role("Member", mentionable=True)
    guild.add_member("alice", roles=[organizer, member])
    guild.add_member("bob", roles=[member])
    guild.add_member("carol")
    guild.add_text_channel("general", topic="General chat")
    guild.add_text_channel("announcements")
    guild.add_forum_channel("proposals", tags=["open", "accepted", "rejected"])
    add_bot_member(guild, bot_user)
    return guild


def add_bot_member(guild: FakeGuild, bot_user: FakeUser) -> None:
    """Make the bot a member with its managed integration role, as after an OAuth install."""
    if any(m.id == bot_user.id for m in guild.members):
        return
    role = guild.add_role(bot_user.username, permissions=BOT_PERMISSIONS, managed=True)
    guild.members.append(FakeMember(bot_user, [role.id]))


# --------------------------------------------------------------------------- messages


def number_components(components: list[JSON], start: int = 1) -> int:
    """Give every component a numeric ``id`` as Discord does; returns the next free id."""
    next_id = start
    for comp in components:
        comp.setdefault("id", next_id)
        next_id = max(next_id, int(comp["id"])) + 1
        # Children: action rows/containers ("components"), labels and sections.
        children = list(comp.get("components") or [])
        children += [comp[k] for k in ("component", "accessory") if isinstance(comp.get(k), dict)]
        next_id = number_components(children, next_id)
    return next_id


def find_component(components: Iterable[JSON], custom_id: str) -> JSON | None:
    for comp in components:
        if comp.get("custom_id") == custom_id:
            return comp
        children = list(comp.get("components") or [])
        children += [comp[k] for k in ("component", "accessory") if isinstance(comp.get(k), dict)]
        found = find_component(children, custom_id)
        if found is not None:
            return found
    return None


_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def resolve_mentions(content: str, allowed: JSON | None) -> tuple[bool, list[int], list[int]]:
    """Which of the mentions in ``content`` would really ping, given ``allowed_mentions``.

    Returns (mention_everyone, user_ids, role_ids).  Without ``allowed_mentions`` Discord
    parses everything, which is exactly what a bot must avoid for @everyone.
    """
    parse = ["everyone", "users", "roles"] if allowed is None else list(allowed.get("parse", []))
    explicit_users = {int(u) for u in (allowed or {}).get("users", [])}
    explicit_roles = {int(r) for r in (allowed or {}).get("roles", [])}
    everyone = "everyone" in parse and ("@everyone" in content or "@here" in content)
    users = [
        int(u)
        for u in _USER_MENTION.findall(content)
        if "users" in parse or int(u) in explicit_users
    ]
    roles = [
        int(r)
        for r in _ROLE_MENTION.findall(content)
        if "roles" in parse or int(r) in explicit_roles
    ]
    return everyone, list(dict.fromkeys(users)), list(dict.fromkeys(roles))


# --------------------------------------------------------------------------- interactions


def interaction_payload(
    *,
    type: int,
    data: JSON,
    application_id: int,
    user: FakeUser,
    channel: FakeChannel,
    guild: FakeGuild | None,
    bot_permissions: int,
    message: JSON | None = None,
    locale: str = "en-US",
) -> JSON:
    """An INTERACTION_CREATE ``d``; guild interactions carry ``member``, DMs carry ``user``."""
    interaction_id = snowflake()
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": type,
        "data": data,
        "token": new_token(),
        "version": 1,
        "channel": channel.payload(),
        "channel_id": str(channel.id),
        "locale": locale,
        "app_permissions": str(bot_permissions),
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if guild is not None:
        member = guild.member(user.id)
        payload.update(
            guild_id=str(guild.id),
            guild={"id": str(guild.id), "locale": "en-US", "features": []},
            guild_locale="en-US",
            member=member.payload(permissions=guild.permissions_of(member)),
            authorizing_integration_owners={"0": str(guild.id)},
            context=0,
        )
    else:
        payload.update(
            user=user.payload(), authorizing_integration_owners={"1": str(user.id)}, context=1
        )
    if message is not None:
        payload["message"] = message
    return payload


def find_command(commands: Iterable[JSON], name: str) -> JSON | None:
    return next((c for c in commands if c.get("name") == name and c.get("type", 1) == 1), None)


_PY_TYPES: tuple[tuple[type, int], ...] = (
    (bool, BOOLEAN),  # before int: bool is an int subclass
    (int, INTEGER),
    (float, NUMBER),
    (str, STRING),
    (FakeMember, USER),
    (FakeUser, USER),
    (FakeRole, ROLE),
    (FakeChannel, CHANNEL),
)


def build_command_data(
    name: str,
    path: Sequence[str],
    values: Mapping[str, Any],
    *,
    command: JSON | None,
    guild: FakeGuild | None,
    channels: Mapping[int, FakeChannel],
    focused: str | None = None,
) -> JSON:
    """The ``data`` of a CHAT_INPUT interaction (or autocomplete, when ``focused`` is set).

    ``path`` is the subcommand chain, e.g. ``["admin", "announce"]``.  Option types come from
    the registered ``command`` schema when the bot has synced it, else from the Python type of
    each value.  User/role/channel values produce the ``resolved`` map Discord sends.
    """
    schema = list((command or {}).get("options", []))
    top: JSON = {"id": str(command["id"]) if command else str(snowflake()), "name": name, "type": 1}
    if command and command.get("guild_id"):
        top["guild_id"] = str(command["guild_id"])

    container = top
    for part in path:
        sub = next((o for o in schema if o.get("name") == part), None)
        kind = sub["type"] if sub else (SUB_COMMAND if part == path[-1] else SUB_COMMAND_GROUP)
        node: JSON = {"name": part, "type": kind, "options": []}
        container.setdefault("options", []).append(node)
        container, schema = node, list((sub or {}).get("options", []))

    resolved: dict[str, dict[str, JSON]] = {}
    options = container.setdefault("options", [])
    for opt_name, value in values.items():
        declared = next((o for o in schema if o.get("name") == opt_name), None)
        kind = (
            declared["type"]
            if declared
            else next((t for py, t in _PY_TYPES if isinstance(value, py)), STRING)
        )
        option: JSON = {
            "name": opt_name,
            "type": kind,
            "value": _option_value(kind, value, guild, channels, resolved),
        }
        if opt_name == focused:
            option["focused"] = True
            option["value"] = str(value)  # autocomplete sends the partial text as typed
        options.append(option)
    if resolved:
        top["resolved"] = resolved
    return top


def _option_value(
    kind: int,
    value: Any,
    guild: FakeGuild | None,
    channels: Mapping[int, FakeChannel],
    resolved: JSON,
) -> Any:
    if kind in (USER, MENTIONABLE) and guild is not None and not isinstance(value, FakeRole):
        try:
            member = guild.member(value)
        except KeyError:
            if kind == USER:
                raise
        else:
            resolved.setdefault("users", {})[str(member.id)] = member.user.payload()
            member_data = member.payload(with_user=False, permissions=guild.permissions_of(member))
            resolved.setdefault("members", {})[str(member.id)] = member_data
            return str(member.id)
    if kind in (ROLE, MENTIONABLE) and guild is not None:
        role = guild.role(value)
        resolved.setdefault("roles", {})[str(role.id)] = role.payload()
        return str(role.id)
    if kind == CHANNEL:
        channel = value if isinstance(value, FakeChannel) else None
        if channel is None and guild is not None:
            channel = guild.channel(value)
        if channel is None:
            channel = channels[int(value)]
        data = channel.payload()
        data["permissions"] = str(ALL_PERMISSIONS)
        resolved.setdefault("channels", {})[str(channel.id)] = data
        return str(channel.id)
    if kind == INTEGER:
        return int(value)
    if kind == NUMBER:
        return float(value)
    if kind == BOOLEAN:
        return bool(value)
    return value


def modal_submit_data(
    custom_id: str, values: Mapping[str, str | Sequence[str]], *, labels: bool = False
) -> JSON:
    """MODAL_SUBMIT ``data``: text inputs wrapped in action rows (or, with ``labels``, in the
    newer Label components, type 18). A list value answers a string select (type 3), which
    Discord only allows inside a Label."""
    components: list[JSON] = []
    for index, (field_id, value) in enumerate(values.items()):
        answer: JSON = {"id": 2 * index + 2, "custom_id": field_id}
        if isinstance(value, str):
            answer.update(type=4, value=value)
        else:
            answer.update(type=3, values=list(value))
        wrapper = "component" if labels or answer["type"] == 3 else "components"
        inner: Any = answer if wrapper == "component" else [answer]
        components.append(
            {"type": 18 if wrapper == "component" else 1, "id": 2 * index + 1, wrapper: inner}
        )
    return {"custom_id": custom_id, "components": components}


def modal_inputs(modal: JSON) -> dict[str, JSON]:
    """The inputs (text inputs and selects) of a modal the bot sent, by custom_id, in order."""
    found: dict[str, JSON] = {}
    for comp in modal.get("components", []):
        children = comp.get("components") or ([comp["component"]] if "component" in comp else [])
        for child in children:
            if child.get("type") in (3, 4):
                found[child["custom_id"]] = {
                    **child,
                    "label": comp.get("label", child.get("label")),
                }
    return found


def modal_field_ids(modal: JSON) -> list[str]:
    """The text-input custom_ids in a modal the bot sent (callback type 9 ``data``)."""
    ids: list[str] = []
    for comp in modal.get("components", []):
        children = comp.get("components") or ([comp["component"]] if "component" in comp else [])
        ids += [c["custom_id"] for c in children if c.get("type") == 4]
    return ids


# --------------------------------------------------------------------------- Discord's limits
# What Discord answers 400 "Invalid Form Body" (50035) to, so a test against the fake fails
# where the real Discord would refuse. https://discord.com/developers/docs/resources/message

_COMMAND_NAME = re.compile(r"^[-_a-z0-9]{1,32}$")


def _too_long(
    problems: list[str], what: str, value: Any, limit: int, *, least: int = 0, **at: object
) -> None:
    """`what` is a template filled from `at` only for a problem: the fake checks every
    message, and in the benchmark its work competes with the client's for the CPU."""
    # A value of the wrong type is reported by the shape check (discord_shapes.py).
    size = len(value) if isinstance(value, str) else 0
    if size > limit or size < least:
        problems.append(f"{what.format(**at)} has {size} characters (allowed {least}..{limit})")


def message_problems(body: JSON, *, files: int = 0, edit: bool = False) -> list[str]:
    """Why Discord would refuse this message body (create or, with ``edit``, update)."""
    problems: list[str] = []
    _too_long(problems, "content", body.get("content"), 2000)
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        problems.append(f"{len(embeds)} embeds (at most 10)")
    total = 0
    for n, embed in enumerate(embeds):
        _too_long(problems, "embeds[{n}].title", embed.get("title"), 256, n=n)
        _too_long(problems, "embeds[{n}].description", embed.get("description"), 4096, n=n)
        footer = (embed.get("footer") or {}).get("text")
        _too_long(problems, "embeds[{n}].footer", footer, 2048, n=n)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems.append(f"embeds[{n}] has {len(fields)} fields (at most 25)")
        for m, field_ in enumerate(fields):
            _too_long(
                problems, "embeds[{n}].fields[{m}].name", field_.get("name"), 256, least=1, n=n, m=m
            )
            _too_long(
                problems,
                "embeds[{n}].fields[{m}].value",
                field_.get("value"),
                1024,
                least=1,
                n=n,
                m=m,
            )
            # Discord trims each text first: a field of only spaces is an empty one.
            for part in ("name", "value"):
                if isinstance(field_.get(part), str) and field_[part] and not field_[part].strip():
                    problems.append(f"embeds[{n}].fields[{m}].{part} is only whitespace")
        author = (embed.get("author") or {}).get("name")
        _too_long(problems, "embeds[{n}].author.name", author, 256, n=n)
        color = embed.get("color")
        if isinstance(color, int) and not 0 <= color <= 0xFFFFFF:
            problems.append(f"embeds[{n}].color {color} (0..16777215)")
        texts = [embed.get("title"), embed.get("description"), footer, author]
        texts += [t for f in fields for t in (f.get("name"), f.get("value"))]
        total += sum(len(t) for t in texts if isinstance(t, str))
    if total > 6000:
        problems.append(f"embeds have {total} characters in all (at most 6000)")
    rows = body.get("components") or []
    problems.extend(_rows_problems(rows))
    problems.extend(_nonce_problems(body))
    problems.extend(_mentions_problems(body.get("allowed_mentions")))
    # Discord trims the content first: blank text alone is an empty message.
    content = body.get("content")
    text = content.strip() if isinstance(content, str) else content
    empty = not (text or embeds or files or rows or body.get("attachments"))
    if empty and not edit:
        problems.append("an empty message (50006)")
    return problems


NONCE_MAX = 25  # characters of a string nonce


def _nonce_problems(body: JSON) -> list[str]:
    """A nonce is a string of at most 25 characters or an integer; enforce_nonce a boolean."""
    nonce = body.get("nonce")
    if nonce is None:
        return []
    if isinstance(nonce, str):
        return (
            [f"nonce has {len(nonce)} characters (at most {NONCE_MAX})"]
            if len(nonce) > NONCE_MAX
            else []
        )
    if isinstance(nonce, bool) or not isinstance(nonce, int):
        return [f"nonce {nonce!r} is neither a string nor an integer"]
    if not -(2**63) <= nonce < 2**63:
        return [f"nonce {nonce} does not fit in 64 bits"]
    enforce = body.get("enforce_nonce")
    if enforce is not None and not isinstance(enforce, bool):
        return [f"enforce_nonce {enforce!r} is not a boolean"]
    return []


LINK_BUTTON = 5
COMPONENTS_PER_MESSAGE = 40  # rows and what is in them


def _rows_problems(rows: Sequence[JSON]) -> list[str]:
    """Action rows of a message: https://discord.com/developers/docs/components/reference"""
    problems: list[str] = []
    if len(rows) > 5:
        problems.append(f"{len(rows)} component rows (at most 5)")
    seen: set[str] = set()
    count = len(rows)
    for n, row in enumerate(rows):
        items = row.get("components") or []
        count += len(items)
        if row.get("type") != 1:
            problems.append(f"row {n} is not an action row (type {row.get('type')!r})")
        buttons = [i for i in items if i.get("type") == 2]
        if len(buttons) > 5 or (len(buttons) != len(items) and len(items) != 1) or not items:
            problems.append(f"row {n} has {len(items)} items: 1..5 buttons, or one select")
        for m, item in enumerate(items):
            custom_id = item.get("custom_id")
            if isinstance(custom_id, str):
                if custom_id in seen:
                    problems.append(f"row {n} item {m}: custom_id {custom_id!r} used twice")
                seen.add(custom_id)
            if item.get("type") == 2:
                problems.extend(_button_problems(item, f"row {n} button {m}"))
            else:
                problems.extend(_select_problems(item, f"row {n} select"))
    if count > COMPONENTS_PER_MESSAGE:
        problems.append(f"{count} components (at most {COMPONENTS_PER_MESSAGE})")
    return problems


def _button_problems(button: JSON, where: str) -> list[str]:
    problems: list[str] = []
    _too_long(problems, "{where} label", button.get("label"), 80, where=where)
    if not button.get("label") and not button.get("emoji"):
        problems.append(f"{where} has neither a label nor an emoji")
    if button.get("style") == LINK_BUTTON:
        _too_long(problems, "{where} url", button.get("url"), 512, least=1, where=where)
        if "custom_id" in button:
            problems.append(f"{where}: a link button has no custom_id")
    else:
        _too_long(problems, "{where} custom_id", button.get("custom_id"), 100, least=1, where=where)
        if "url" in button:
            problems.append(f"{where}: only a link button has a url")
    return problems


def _select_problems(select: JSON, where: str, *, in_modal: bool = False) -> list[str]:
    problems: list[str] = []
    _too_long(problems, "{where} custom_id", select.get("custom_id"), 100, least=1, where=where)
    _too_long(problems, "{where} placeholder", select.get("placeholder"), 150, where=where)
    options = select.get("options") or []
    if select.get("type") == 3 and not 1 <= len(options) <= 25:
        problems.append(f"{where} has {len(options)} options (1..25)")
    for option in options:
        _too_long(problems, "{where} option label", option.get("label"), 100, least=1, where=where)
        _too_long(problems, "{where} option value", option.get("value"), 100, least=1, where=where)
        _too_long(
            problems, "{where} option description", option.get("description"), 100, where=where
        )
    low, high = select.get("min_values", 1), select.get("max_values", 1)
    most = min(25, len(options)) if select.get("type") == 3 else 25
    if not 0 <= low <= high <= max(1, most):
        problems.append(f"{where} min_values {low} / max_values {high}")
    defaults = sum(1 for option in options if option.get("default"))
    if defaults > high:
        problems.append(f"{where} has {defaults} defaults (at most max_values {high})")
    if in_modal:
        # A select a person must answer cannot also let them choose nothing.
        if select.get("required", True) and "min_values" in select and low < 1:
            problems.append(f"{where}: min_values 0 on a required select")
        if select.get("disabled"):
            problems.append(f"{where}: a modal cannot have a disabled component")
    return problems


def _mentions_problems(allowed: JSON | None) -> list[str]:
    if not allowed:
        return []
    parse = allowed.get("parse") or []
    # parse and an explicit list of the same kind contradict each other (docs: "mutually exclusive").
    return [
        f"allowed_mentions: parse {kind!r} together with a list of {kind}"
        for kind in ("users", "roles")
        if kind in parse and allowed.get(kind)
    ]


def modal_problems(data: JSON) -> list[str]:
    problems: list[str] = []
    _too_long(problems, "modal title", data.get("title"), 45, least=1)
    _too_long(problems, "modal custom_id", data.get("custom_id"), 100, least=1)
    components = data.get("components") or []
    seen: set[str] = set()
    if not 1 <= len(components) <= 5:
        problems.append(f"a modal with {len(components)} components (1..5)")
    for n, comp in enumerate(components):
        inner = (
            comp.get("component") if comp.get("type") == 18 else (comp.get("components") or [{}])[0]
        )
        if comp.get("type") == 18:
            _too_long(problems, "label {n}", comp.get("label"), 45, least=1, n=n)
            _too_long(problems, "label {n} description", comp.get("description"), 100, n=n)
        elif inner.get("type") == 4:
            _too_long(problems, "text input {n} label", inner.get("label"), 45, least=1, n=n)
        else:
            problems.append(f"component {n}: a select must be inside a Label")
        _too_long(problems, "input {n} custom_id", inner.get("custom_id"), 100, least=1, n=n)
        custom_id = inner.get("custom_id")
        if isinstance(custom_id, str):
            if custom_id in seen:
                problems.append(f"input {n}: custom_id {custom_id!r} used twice")
            seen.add(custom_id)
        if inner.get("type") == 4:
            _too_long(problems, "text input {n} value", inner.get("value"), 4000, n=n)
            _too_long(problems, "text input {n} placeholder", inner.get("placeholder"), 100, n=n)
            low, high = inner.get("min_length") or 0, inner.get("max_length", 4000)
            if not 1 <= high <= 4000 or not 0 <= low <= high:
                problems.append(f"text input {n} min_length {low} / max_length {high}")
        elif inner.get("type") == 3:
            problems.extend(_select_problems(inner, f"select {n}", in_modal=True))
    return problems


def choices_problems(data: JSON) -> list[str]:
    problems: list[str] = []
    choices = data.get("choices") or []
    if len(choices) > 25:
        problems.append(f"{len(choices)} autocomplete choices (at most 25)")
    for choice in choices:
        _too_long(problems, "choice name", choice.get("name"), 100, least=1)
        if isinstance(choice.get("value"), str):
            _too_long(problems, "choice value", choice.get("value"), 100)
    return problems


def command_problems(commands: Sequence[JSON]) -> list[str]:
    problems: list[str] = []

    def check(node: JSON, where: str) -> None:
        name = node.get("name", "")
        if not _COMMAND_NAME.match(name):
            problems.append(f"{where}: bad name {name!r}")
        _too_long(
            problems, "{where} description", node.get("description"), 100, least=1, where=where
        )
        for locale, text in (node.get("description_localizations") or {}).items():
            _too_long(
                problems,
                "{where} description ({locale})",
                text,
                100,
                least=1,
                where=where,
                locale=locale,
            )
        options = node.get("options") or []
        if len(options) > 25:
            problems.append(f"{where} has {len(options)} options (at most 25)")
        seen_optional = False
        for option in options:
            inner = f"{where} {option.get('name')}"
            if option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
                check(option, inner)
                continue
            check({**option, "options": []}, inner)
            if option.get("required") and seen_optional:
                problems.append(f"{inner}: a required option after an optional one")
            seen_optional = seen_optional or not option.get("required")
            choices = option.get("choices") or []
            if len(choices) > 25:
                problems.append(f"{inner} has {len(choices)} choices (at most 25)")
            if choices and option.get("autocomplete"):
                problems.append(f"{inner}: choices and autocomplete together")
            for choice in choices:
                _too_long(problems, "{inner} choice", choice.get("name"), 100, least=1, inner=inner)

    for command in commands:
        check(command, f"/{command.get('name')}")
    return problems
