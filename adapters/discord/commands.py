"""The application commands, derived from the catalogue.

Every one-word catalogue command becomes a subcommand of `/coalition`
(`/coalition join`); every group of two-word paths becomes a top-level command of
its own (`/profile edit`, see names.py for why). Each has the catalogue's option
names and typed options:

    text, long_text -> string (max length)     boolean -> boolean
    integer         -> integer (min, max)      member  -> user
    language, choice declared in the catalogue -> string with fixed choices
    choice from a config list, timezone,
    choices, tags                              -> string with autocomplete
    date, time, duration, repeat, url, ...     -> string, checked by the core

Lists a coalition configures (regions, disciplines, topics, ...) are always
autocompleted, never fixed choices: Discord counts every choice's name and value
against the 8,000 characters one command may hold (see command_size), so fixed
choices would let a long list in config.toml make Discord refuse a command.

"choices" (several of a list) is always autocompleted: Discord has no
multi-select option, so the person types a comma-separated list and each item
is completed in turn. A command that has a form declares every option optional
on Discord, so that `/coalition join` alone is allowed and opens the form; the
core still checks what is required. Descriptions are the catalogue's help in the coalition's
language, with the other languages the bot speaks as Discord localizations.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from typing import Any

import discord
from discord import app_commands

from adapters.discord import limits
from adapters.discord.forms import choice_label
from adapters.discord.names import ROOT
from adapters.discord.text import plain
from bot.arguments import choices_for
from bot.catalogue import Catalogue, CatalogueError, Command, Option, OptionKind
from bot.config import Config
from bot.i18n import N_, Translator, available_languages, locale_language, translator
from bot.timezones import search_timezones

# Discord shows it as the description of /meeting, /resource, ...
GROUP_HELP = N_("{group} commands: {commands}")
OnCommand = Callable[[discord.Interaction[Any], Command, dict[str, Any]], Awaitable[None]]
Choices = list[app_commands.Choice[str]]
Completer = Callable[[discord.Interaction[Any], str], Coroutine[Any, Any, Choices]]

_DESCRIBED = {
    app_commands.TranslationContextLocation.command_description,
    app_commands.TranslationContextLocation.group_description,
    app_commands.TranslationContextLocation.parameter_description,
}


def build_commands(
    catalogue: Catalogue, config: Config, on_command: OnCommand
) -> list[app_commands.Group]:
    """`/coalition` with the one-word commands, then one command per catalogue group.

    Where each command goes is names.top_level's rule; every group is checked here so
    that a capability named like the root command is refused at start, not by Discord.
    """
    tr = translator(config.coalition.language)
    root = app_commands.Group(
        name=ROOT, description=plain(config.coalition.name, limits.DESCRIPTION), guild_only=True
    )
    groups: list[app_commands.Group] = []
    for name, commands in catalogue.groups().items():
        if not catalogue.is_group(name):
            root.add_command(_command(commands[0], config, on_command, tr.plain))
            continue
        if name == ROOT:
            raise CatalogueError(f"the group {name!r} would take the name of /{ROOT} on Discord")
        group = app_commands.Group(
            name=name, description=_group_description(tr, name, commands), guild_only=True
        )
        for command in commands:
            group.add_command(_command(command, config, on_command, tr.plain))
        groups.append(group)
    return [root, *groups]


def _group_description(
    tr: Translator, name: str, commands: list[Command]
) -> app_commands.locale_str:
    # The catalogue declares help for commands, not for groups: the group is described by
    # what it holds, in a sentence localized like the commands' help.
    values = {"group": name, "commands": ", ".join(c.path[1] for c in commands)}
    return app_commands.locale_str(
        plain(tr.plain(GROUP_HELP, **values), limits.DESCRIPTION), msgid=GROUP_HELP, values=values
    )


def _described(text: Callable[[str], str], msgid: str) -> app_commands.locale_str:
    # The msgid travels with the text so the translator can localize it for each locale.
    return app_commands.locale_str(plain(_safely(text, msgid), limits.DESCRIPTION), msgid=msgid)


def _safely(text: Callable[[str], str], msgid: str) -> str:
    """A help text translated; as declared if it has braces a translation cannot fill."""
    try:
        return text(msgid)
    except (KeyError, IndexError, ValueError):
        return msgid


def _command(
    command: Command, config: Config, on_command: OnCommand, text: Callable[[str], str]
) -> app_commands.Command[Any, ..., None]:
    async def callback(interaction: discord.Interaction[Any], **values: Any) -> None:
        await on_command(interaction, command, values)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    descriptions: dict[str, app_commands.locale_str] = {}
    choices: dict[str, Choices] = {}
    completers: dict[str, Completer] = {}
    for option in command.options:
        listed = choices_for(option, config)
        fixed = _fixed_choices(option, listed)
        parameters.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(option),
                # A form command is allowed with no options, or only some: the core
                # then asks for the missing ones in a form, pre-filled with the rest.
                default=inspect.Parameter.empty if option.required and not command.form else None,
            )
        )
        descriptions[option.name] = _described(text, option.help)
        if fixed is not None:
            choices[option.name] = fixed
        elif option.kind is OptionKind.TIMEZONE:
            completers[option.name] = _complete_timezone(config.coalition.timezone)
        elif option.kind in {OptionKind.CHOICES, OptionKind.TAGS}:
            # Tags may also be new words: autocomplete suggests, it does not restrict.
            completers[option.name] = _complete_several(listed)
        elif listed:
            completers[option.name] = _complete_one(listed)
    # discord.py reads the options from the callback's signature: this one is built from
    # the declaration (required options are put first, as Discord wants).
    setattr(callback, "__signature__", inspect.Signature(parameters))  # noqa: B010
    decorated: Any = app_commands.describe(**descriptions)(callback)
    if choices:
        decorated = app_commands.choices(**choices)(decorated)
    if completers:
        decorated = app_commands.autocomplete(**completers)(decorated)
    return app_commands.Command(
        name=command.path[-1], description=_described(text, command.help), callback=decorated
    )


def _annotation(option: Option) -> Any:
    kind = option.kind
    if kind is OptionKind.BOOLEAN:
        return bool
    if kind is OptionKind.INTEGER:
        if option.minimum is None and option.maximum is None:
            return int
        return app_commands.Range[int, option.minimum, option.maximum]
    if kind is OptionKind.MEMBER:
        return discord.User
    if kind in {OptionKind.TEXT, OptionKind.LONG_TEXT}:
        return app_commands.Range[str, None, min(option.max_length, limits.STRING_OPTION)]
    return str


def _fixed_choices(option: Option, listed: tuple[str, ...]) -> Choices | None:
    if option.kind not in {OptionKind.CHOICE, OptionKind.LANGUAGE} or option.choices_from:
        return None
    if not listed or len(listed) > limits.CHOICES:
        return None
    if any(len(value) > limits.CHOICE_VALUE for value in listed):
        return None
    return [
        app_commands.Choice(
            name=plain(choice_label(option.kind.value, value), limits.CHOICE_NAME), value=value
        )
        for value in listed
    ]


def _choice(value: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=plain(value, limits.CHOICE_NAME), value=value)


def matching(candidates: tuple[str, ...] | list[str], typed: str) -> list[str]:
    """Those starting with what was typed (or whose last part does), then those containing it."""
    wanted = typed.strip().lower().replace(" ", "_")
    if not wanted:
        return list(candidates)
    starts, contains = [], []
    for candidate in candidates:
        lowered = candidate.lower().replace(" ", "_")
        if lowered.startswith(wanted) or lowered.rsplit("/", 1)[-1].startswith(wanted):
            starts.append(candidate)
        elif wanted in lowered:
            contains.append(candidate)
    return starts + contains


def _complete_timezone(default: str) -> Completer:
    async def complete(interaction: discord.Interaction[Any], current: str) -> Choices:
        return [_choice(z) for z in search_timezones(current, default)[: limits.CHOICES]]

    return complete


def _complete_one(listed: tuple[str, ...]) -> Completer:
    async def complete(interaction: discord.Interaction[Any], current: str) -> Choices:
        return [_choice(v) for v in matching(listed, current) if len(v) <= limits.CHOICE_VALUE][
            : limits.CHOICES
        ]

    return complete


def _complete_several(listed: tuple[str, ...]) -> Completer:
    async def complete(interaction: discord.Interaction[Any], current: str) -> Choices:
        *done, typing = current.split(",")
        chosen = [d.strip() for d in done if d.strip()]
        taken = {c.lower() for c in chosen}
        found: Choices = []
        for value in matching([v for v in listed if v.lower() not in taken], typing):
            whole = ", ".join([*chosen, value])
            if len(whole) <= limits.CHOICE_VALUE:
                found.append(_choice(whole))
        return found[: limits.CHOICES]

    return complete


class CatalogueTranslator(app_commands.Translator):
    """Descriptions in every language the bot speaks, for people whose Discord uses it."""

    def __init__(self, default_language: str) -> None:
        super().__init__()
        self.default_language = default_language

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        msgid = string.extras.get("msgid")
        wanted = locale_language(locale.value)
        if (
            context.location not in _DESCRIBED
            or not isinstance(msgid, str)
            or wanted == self.default_language
            or wanted not in available_languages()
        ):
            return None
        # A group's description is a sentence with values (see _group_description).
        values = string.extras.get("values") or {}
        text = _safely(partial(translator(wanted).plain, **values), msgid)
        untranslated = _safely(partial(translator("en").plain, **values), msgid)
        if text == untranslated and wanted != "en":
            return None  # no translation yet: Discord shows the default
        return plain(text, limits.DESCRIPTION)


def command_size(node: dict[str, Any]) -> int:
    """A command's payload as Discord counts it against limits.COMMAND_SIZE.

    Names, descriptions and choice values of the command, its subcommands, options and
    choices; of a field with localizations only the longest (the default included).
    """

    def longest(key: str) -> int:
        given = [node.get(key), *(node.get(f"{key}_localizations") or {}).values()]
        return max((len(str(v)) for v in given if v is not None), default=0)

    size = longest("name") + longest("description")
    if "value" in node:
        size += len(str(node["value"]))
    for child in [*(node.get("choices") or []), *(node.get("options") or [])]:
        size += command_size(child)
    return size


def _largest_parts(payload: dict[str, Any], count: int = 3) -> str:
    parts = [(str(o.get("name")), command_size(o)) for o in payload.get("options") or []]
    parts.sort(key=lambda part: -part[1])
    return ", ".join(f"{name} ({size:,})" for name, size in parts[:count])


async def what_to_shorten(
    tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None
) -> str:
    """For the log, when Discord refused a sync: which command is too long, and what to do."""
    translator = tree.translator
    advice = []
    for command in tree.get_commands(guild=guild):
        payload = (
            await command.get_translated_payload(tree, translator)
            if translator is not None
            else command.to_dict(tree)
        )
        size = command_size(payload)
        if size > limits.COMMAND_SIZE:
            advice.append(
                f"/{command.name} has {size:,} characters as Discord counts them (at most "
                f"{limits.COMMAND_SIZE:,}); its largest parts are {_largest_parts(payload)}."
            )
    if not advice:
        return (
            "If that names a setting of config.toml, correct it and restart; otherwise please "
            "report this message to the bot's maintainers."
        )
    return " ".join(
        [
            *advice,
            "Please report this message to the bot's maintainers: the catalogue of "
            "commands has grown past what Discord takes in one command.",
        ]
    )
