"""The synced /coalition command is the catalogue, option for option."""

from __future__ import annotations

from bot.arguments import choices_for
from bot.catalogue import OptionKind
from bot.config import Config, Lists
from bot.registry import build_catalogue
from storage import Storage
from tests.adapters.discord.conftest import WAIT, Bot, running_bot
from tests.fakes.discord import FakeDiscord
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
    root = fake.registered_command("coalition", fake.guild.id)
    assert root is not None
    found: dict[tuple[str, ...], JSON] = {}
    for option in root["options"]:
        if option["type"] == SUB_COMMAND_GROUP:
            for sub in option["options"]:
                assert sub["type"] == SUB_COMMAND
                found[(option["name"], sub["name"])] = sub
        else:
            assert option["type"] == SUB_COMMAND
            found[(option["name"],)] = option
    return found


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
        fake.autocomplete("coalition", "join", {"timezone": "chic"}, focused="timezone"), WAIT
    )
    assert typed.type == AUTOCOMPLETE_RESULT and typed.data is not None
    names = [c["name"] for c in typed.data["choices"]]
    assert names[0] == "America/Chicago"
    assert all("chic" in n.lower() for n in names)

    blank = await fake.interact(
        fake.autocomplete("coalition", "profile edit", {"timezone": ""}, focused="timezone"), WAIT
    )
    assert blank.data is not None
    blank_names = [c["name"] for c in blank.data["choices"]]
    assert blank_names[:3] == ["America/Chicago", "America/New_York", "America/Denver"]
    assert len(blank_names) <= 25


async def test_several_interests_are_completed_one_after_another(bot: Bot) -> None:
    fake = bot.fake
    typed = await fake.interact(
        fake.autocomplete("coalition", "join", {"interests": "Housing, heal"}, focused="interests"),
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
            fake.autocomplete("coalition", "directory", {"region": "2"}, focused="region"), WAIT
        )
    assert typed.data is not None
    assert [c["value"] for c in typed.data["choices"]][:2] == ["Region 02", "Region 12"]
    assert len(typed.data["choices"]) <= 25
