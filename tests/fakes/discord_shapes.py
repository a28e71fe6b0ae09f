"""The shapes of what a bot sends Discord, checked against discord.py's own payload types.

discord.py describes the API's JSON in ``discord.types`` (TypedDicts). The fake checks
every message, interaction response, modal and thread body it receives against them:
no field Discord does not define there, no field of the wrong type, no unknown
component or button style. The request bodies themselves have no TypedDict in
discord.py, so they are declared here from discord-api-docs, made of discord.py's
embed and component types.

pydantic cannot read ``typing.TypedDict`` on Python 3.11, so a small checker walks
the type hints instead.
"""

from __future__ import annotations

import re
import sys
import types
import typing
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    NotRequired,
    Required,
    TypedDict,
    Union,
    get_args,
    get_origin,
)


def _load_discord_types() -> tuple[types.ModuleType, types.ModuleType]:
    """discord.types.components and .embed, which import cleanly only for a type checker.

    discord.types.channel, .threads, .message and .interactions import each other in a
    cycle (discord.py reads them only under TYPE_CHECKING); channel needs just three
    names from threads, so those are given for the moment it loads.
    """
    if "discord.types.channel" not in sys.modules:
        threads = types.ModuleType("discord.types.threads")
        threads.ThreadType = Literal[10, 11, 12]  # type: ignore[attr-defined]
        for name in ("ThreadMetadata", "ThreadMember", "ThreadArchiveDuration"):
            setattr(threads, name, Any)
        saved = sys.modules.get("discord.types.threads")
        sys.modules["discord.types.threads"] = threads
        try:
            import discord.types.channel  # noqa: F401
        finally:
            if saved is None:
                del sys.modules["discord.types.threads"]
            else:
                sys.modules["discord.types.threads"] = saved
    import discord.types.components as components
    import discord.types.embed as embed

    return components, embed


if TYPE_CHECKING:
    from discord.types.components import ActionRow, LabelComponent, TextComponent
    from discord.types.embed import Embed
else:
    _components, _embed = _load_discord_types()
    Embed = _embed.Embed
    ActionRow = _components.ActionRow
    LabelComponent = _components.LabelComponent
    TextComponent = _components.TextComponent
Snowflake = Union[str, int]  # noqa: UP007 -- evaluated at run time by the checker

# -- request bodies (https://discord.com/developers/docs/resources/message) -------------


class AllowedMentions(TypedDict, total=False):
    parse: list[Literal["roles", "users", "everyone"]]
    roles: list[Snowflake]
    users: list[Snowflake]
    replied_user: bool


class MessageReference(TypedDict, total=False):
    type: Literal[0, 1]
    message_id: Snowflake
    channel_id: Snowflake
    guild_id: Snowflake
    fail_if_not_exists: bool


class PartialAttachment(TypedDict, total=False):
    id: Required[Snowflake]
    filename: str
    description: str
    title: str
    duration_secs: float
    waveform: str
    flags: int
    is_remix: bool


class MessageBody(TypedDict, total=False):
    """Create or edit a message, a webhook follow-up, or an interaction's message data."""

    content: str | None
    nonce: int | str
    enforce_nonce: bool
    tts: bool
    embeds: list[Embed] | None
    allowed_mentions: AllowedMentions | None
    message_reference: MessageReference
    components: list[ActionRow] | None
    sticker_ids: list[Snowflake]
    attachments: list[PartialAttachment] | None
    flags: int | None
    poll: dict[str, Any]
    # webhooks (and so interaction follow-ups)
    username: str
    avatar_url: str
    thread_name: str
    applied_tags: list[Snowflake]


class ModalData(TypedDict):
    custom_id: str
    title: str
    components: list[LabelComponent | ActionRow | TextComponent]


class Choice(TypedDict):
    name: str
    value: str | int | float
    name_localizations: NotRequired[dict[str, str] | None]


class AutocompleteData(TypedDict):
    choices: list[Choice]


class ThreadBody(TypedDict, total=False):
    name: Required[str]
    auto_archive_duration: Literal[60, 1440, 4320, 10080]
    rate_limit_per_user: int | None
    type: Literal[10, 11, 12]
    invitable: bool
    message: MessageBody  # a forum post's first message
    applied_tags: list[Snowflake]


# -- the checker ----------------------------------------------------------------------

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(typed_dict: type) -> dict[str, Any]:
    if typed_dict not in _HINTS:
        _HINTS[typed_dict] = typing.get_type_hints(typed_dict, include_extras=True)
    return _HINTS[typed_dict]


def _unwrap(hint: Any, total: bool) -> tuple[Any, bool]:
    """The type inside Required/NotRequired, and whether the key is required."""
    origin = get_origin(hint)
    if origin is Required:
        return get_args(hint)[0], True
    if origin is NotRequired:
        return get_args(hint)[0], False
    return hint, total


def _name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


def shape_problems(value: Any, hint: Any, where: str) -> list[str]:
    """Why `value` is not a `hint` (a discord.types TypedDict, list, union, literal...)."""
    if hint is Any:
        return []
    origin = get_origin(hint)
    if origin is Literal:
        allowed = get_args(hint)
        # 1 == True in Python; JSON keeps them apart, and so does Discord.
        if any(value == a and type(value) is type(a) for a in allowed):
            return []
        return [f"{where}: {value!r} is not one of {list(allowed)}"]
    if origin in (Union, types.UnionType):
        return _union_problems(value, get_args(hint), where)
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: must be an array, not {type(value).__name__}"]
        (item,) = get_args(hint) or (Any,)
        return [p for i, v in enumerate(value) for p in shape_problems(v, item, f"{where}[{i}]")]
    if origin is dict:
        return [] if isinstance(value, dict) else [f"{where}: must be an object"]
    if typing.is_typeddict(hint):
        return _typed_dict_problems(value, hint, where)
    if hint is type(None):
        return [] if value is None else [f"{where}: must be null"]
    if hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{where}: {value!r} is not a number"]
    if hint in (str, int, bool):
        ok = isinstance(value, hint) and (hint is bool or not isinstance(value, bool))
        return [] if ok else [f"{where}: {value!r} is not a {hint.__name__}"]
    raise TypeError(f"the shape checker does not know {hint!r} ({where})")


def _union_problems(value: Any, members: tuple[Any, ...], where: str) -> list[str]:
    found: list[list[str]] = []
    for member in members:
        problems = shape_problems(value, member, where)
        if not problems:
            return []
        found.append(problems)
    # Report against the member the value meant to be: the one of its JSON kind (an
    # array for `list | None`) or, for a component, the one of its `type`.
    meant = [p for m, p in zip(members, found, strict=True) if _kind(m) == _kind_of(value)]
    if isinstance(value, Mapping) and "type" in value:
        meant = [
            p
            for m, p in zip(members, found, strict=True)
            if typing.is_typeddict(m)
            and get_origin(literal := _hints(m).get("type")) is Literal
            and value["type"] in get_args(literal)
        ]
        if not meant:
            return [f"{where}: type {value['type']!r} is none of {[_name(m) for m in members]}"]
    if len(meant) == 1:
        return meant[0]
    return [f"{where}: {value!r} is none of {[_name(m) for m in members]}"]


def _kind(hint: Any) -> str:
    origin = get_origin(hint)
    if origin is list:
        return "array"
    if origin is dict or typing.is_typeddict(hint):
        return "object"
    if hint is type(None):
        return "null"
    return "scalar"


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return "null" if value is None else "scalar"


def _typed_dict_problems(value: Any, typed_dict: type, where: str) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where}: must be an object ({_name(typed_dict)}), not {type(value).__name__}"]
    hints = _hints(typed_dict)
    total = bool(getattr(typed_dict, "__total__", True))
    problems = [
        f"{where}.{key}: not a field of {_name(typed_dict)}" for key in value if key not in hints
    ]
    for key, hint in hints.items():
        inner, required = _unwrap(hint, total)
        if key in value:
            problems.extend(shape_problems(value[key], inner, f"{where}.{key}"))
        elif required:
            problems.append(f"{where}.{key}: missing ({_name(typed_dict)} requires it)")
    return problems


# Interaction callback types whose data the checker knows (the others carry none or flags).
_CALLBACK_DATA: dict[int, Any] = {4: MessageBody, 7: MessageBody, 8: AutocompleteData, 9: ModalData}
_MESSAGE_PATHS = (
    r"/channels/\d+/messages(/\d+)?",
    r"/webhooks/\d+/[^/]+(/messages/[^/]+)?",
)


def body_shape_problems(method: str, path: str, body: Any) -> list[str]:
    """What is not of discord.py's payload types in a message, interaction or thread body."""
    if not isinstance(body, dict) or method not in ("POST", "PATCH"):
        return []
    if method == "POST" and path.endswith("/callback"):
        kind = body.get("type")
        data = _CALLBACK_DATA.get(kind) if isinstance(kind, int) else None
        return shape_problems(body.get("data"), data, "data") if data is not None else []
    if method == "POST" and re.fullmatch(r"/channels/\d+(/messages/\d+)?/threads", path):
        return shape_problems(body, ThreadBody, "body")
    if any(re.fullmatch(pattern, path) for pattern in _MESSAGE_PATHS):
        return shape_problems(body, MessageBody, "body")
    return []
