"""The synced commands are the catalogue, option for option."""

from __future__ import annotations

from bot.arguments import choices_for
from bot.catalogue import OptionKind
from bot.config import Config, Lists
from bot.registry import build_catalogue
from storage import Storage
from tests.adapters.discord.conftest import WAIT, Bot, running_bot
from tests.fakes.discord import FakeDiscord, address
from tests.fakes.discord_payloads import (
    AUTOCOMPLETE_RESULT,
    BOOLEAN,
    INTEGER,
    JSON,
    STRING,
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    USER,
)

# Every other kind (text, lists, dates, links...) is a string the core checks.
OPTION_TYPES = {OptionKind.BOOLEAN: BOOLEAN, OptionKind.INTEGER: INTEGER, OptionKind.MEMBER: USER}


def described(sent: str, declared: str) -> bool:
    """The declared help, or its first 99 characters and an ellipsis (Discord takes 100)."""
    return sent == declared or (
        len(declared) > 100 and len(sent) == 100 and declared.startswith(sent[:-1].rstrip())
    )


def synced_subcommands(fake: FakeDiscord) -> dict[tuple[str, ...], JSON]:
    """Every synced subcommand by its catalogue path, checking each is where address() says.

    A path found twice (under two top-level commands) fails: each is reachable once.
    """
    found: dict[tuple[str, ...], JSON] = {}
    for top in fake.guild_commands[fake.guild.id]:
        for option in top["options"]:
            if option["type"] == SUB_COMMAND_GROUP:
                for sub in option["options"]:
                    assert sub["type"] == SUB_COMMAND
                    path: tuple[str, ...] = (top["name"], option["name"], sub["name"])
                    found[_catalogue_path(path, found)] = sub
            else:
                assert option["type"] == SUB_COMMAND
                found[_catalogue_path((top["name"], option["name"]), found)] = option
    return found


def _catalogue_path(
    on_discord: tuple[str, ...], found: dict[tuple[str, ...], JSON]
) -> tuple[str, ...]:
    """The catalogue path of a command typed on Discord as `on_discord`."""
    path = on_discord[1:] if on_discord[0] == "coalition" else on_discord
    top, rest = address(" ".join(path))
    assert (top, *rest) == on_discord, f"/{' '.join(on_discord)} is not where address() puts it"
    assert path not in found, f"{' '.join(path)} is on Discord twice"
    return path


async def test_the_synced_command_is_derived_from_the_catalogue(bot: Bot) -> None:
    catalogue, config = build_catalogue(), Config()
    synced = synced_subcommands(bot.fake)
    assert set(synced) == set(catalogue.commands)
    for path, command in catalogue.commands.items():
        entry = synced[path]
        assert described(entry["description"], command.help)
        options = {o["name"]: o for o in entry.get("options", [])}
        assert list(options) == sorted(
            (o.name for o in command.options),
            key=lambda n: not options[n].get("required", False),
        )  # required first, as Discord wants
        assert set(options) == {o.name for o in command.options}
        for option in command.options:
            sent = options[option.name]
            assert sent["type"] == OPTION_TYPES.get(option.kind, STRING), (path, option.name)
            assert described(sent["description"], option.help)
            # A form command takes no option at all: the form asks for the required ones.
            assert sent.get("required", False) == (option.required and not command.form)
            listed = choices_for(option, config)
            fixed = option.kind is OptionKind.LANGUAGE or not option.choices_from
            if option.kind in {OptionKind.CHOICE, OptionKind.LANGUAGE} and fixed:
                assert [c["value"] for c in sent["choices"]] == list(listed)
                assert not sent.get("autocomplete")
            # A configured list is completed: its length never counts against Discord's limit.
            if option.kind in {OptionKind.TIMEZONE, OptionKind.CHOICES, OptionKind.TAGS} or (
                option.choices_from and option.kind is not OptionKind.LANGUAGE
            ):
                assert sent["autocomplete"] is True and "choices" not in sent
            if option.kind in {OptionKind.TEXT, OptionKind.LONG_TEXT}:
                assert sent["max_length"] == option.max_length
            if option.kind is OptionKind.INTEGER and option.minimum is not None:
                assert (sent["min_value"], sent["max_value"]) == (option.minimum, option.maximum)
    join = {o["name"]: o for o in synced[("join",)]["options"]}
    assert [c["name"] for c in join["language"]["choices"]] == ["English (en)", "Español (es)"]


async def test_descriptions_are_localized_for_spanish_discord(bot: Bot) -> None:
    join = synced_subcommands(bot.fake)[("join",)]
    assert join["description_localizations"]["es-ES"] == join["description_localizations"]["es-419"]
    assert join["description_localizations"]["es-ES"] != join["description"]
    assert "en-US" not in join["description_localizations"]  # the default already


async def test_time_zones_are_autocompleted(bot: Bot) -> None:
    fake = bot.fake
    typed = await fake.interact(
        fake.autocomplete(*address("join"), {"timezone": "chic"}, focused="timezone"), WAIT
    )
    assert typed.type == AUTOCOMPLETE_RESULT and typed.data is not None
    names = [c["name"] for c in typed.data["choices"]]
    assert names[0] == "America/Chicago"
    assert all("chic" in n.lower() for n in names)

    blank = await fake.interact(
        fake.autocomplete(*address("profile edit"), {"timezone": ""}, focused="timezone"), WAIT
    )
    assert blank.data is not None
    blank_names = [c["name"] for c in blank.data["choices"]]
    assert blank_names[:3] == ["America/Chicago", "America/New_York", "America/Denver"]
    assert len(blank_names) <= 25


async def test_several_interests_are_completed_one_after_another(bot: Bot) -> None:
    fake = bot.fake
    typed = await fake.interact(
        fake.autocomplete(*address("join"), {"interests": "Housing, heal"}, focused="interests"),
        WAIT,
    )
    assert typed.data is not None
    values = [c["value"] for c in typed.data["choices"]]
    assert values[0] == "Housing, Health Equity"  # starts with what was typed: first
    assert "Housing, Maternal & Child Health" in values  # contains it: after
    assert all(v.startswith("Housing, ") and v.count("Housing") == 1 for v in values)


async def test_long_lists_are_autocompleted_instead_of_fixed_choices(
    fake: FakeDiscord, sqlite: Storage
) -> None:
    regions = tuple(f"Region {n:02d}" for n in range(30))
    config = Config(lists=Lists(regions=regions))
    async with running_bot(fake, sqlite, config):
        region = next(
            o for o in synced_subcommands(fake)[("directory",)]["options"] if o["name"] == "region"
        )
        assert region["autocomplete"] is True and "choices" not in region
        typed = await fake.interact(
            fake.autocomplete(*address("directory"), {"region": "2"}, focused="region"), WAIT
        )
    assert typed.data is not None
    assert [c["value"] for c in typed.data["choices"]][:2] == ["Region 02", "Region 12"]
    assert len(typed.data["choices"]) <= 25


async def test_every_command_is_reachable_on_discord_exactly_once(bot: Bot) -> None:
    catalogue = build_catalogue()
    synced = synced_subcommands(bot.fake)  # fails on a command found twice
    assert sorted(synced) == sorted(catalogue.commands)
    tops = [c["name"] for c in bot.fake.guild_commands[bot.fake.guild.id]]
    groups = [name for name in catalogue.groups() if catalogue.is_group(name)]
    # Fixed by the catalogue, not by size: /coalition holds the one-word commands, and
    # every group (a future capability's too) is a top-level command of its own.
    assert sorted(tops) == sorted(["coalition", *groups])
    assert {"meeting", "resource", "profile"} <= set(groups)


async def test_a_group_is_described_by_its_commands_in_each_language(bot: Bot) -> None:
    meeting = bot.fake.registered_command("meeting", bot.fake.guild.id)
    assert meeting is not None
    names = [o["name"] for o in meeting["options"]]
    assert described(meeting["description"], f"meeting commands: {', '.join(names)}")
    spanish = meeting["description_localizations"]["es-ES"]
    assert spanish.startswith("Comandos de meeting: ") and "schedule" in spanish
