"""Every top-level command fits in what Discord takes for one, whatever lists are configured.

Discord counts names, descriptions and choice values of a command, its options and
choices (each field at its longest localization) against 8,000 characters, and refuses
the whole sync with 400/50035 beyond it. The counting here is the fake's
(tests/fakes/discord.py), written from Discord's documentation, not the adapter's.
"""

from __future__ import annotations

import logging
import string
from typing import Any

import discord
import pytest
from discord import app_commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.commands import CatalogueTranslator, build_commands
from bot.catalogue import Catalogue, Command, Option, OptionKind
from bot.config import CoalitionSettings, Config, Lists
from bot.messages import Message, Section, text
from bot.registry import build_catalogue
from storage import Storage
from tests.adapters.discord.conftest import Bot, running_bot, text_of
from tests.fakes.discord import COMMAND_SIZE, FakeDiscord, address, command_size, running_fake

LIST_NAMES = ("disciplines", "regions", "interests", "resource_types", "topics")


async def payloads(config: Config, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """Every top-level command as discord.py sends it, localizations included, by name."""
    client = discord.Client(intents=discord.Intents.none())
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)

    async def ignore(*args: Any) -> None:
        return None

    translator = CatalogueTranslator(config.coalition.language)
    sent: dict[str, Any] = {}
    for command in build_commands(catalogue or build_catalogue(), config, ignore):
        sent[command.name] = await command.get_translated_payload(tree, translator)
    return sent


def long_lists(entries: int = 60, length: int = 100) -> Lists:
    return Lists(
        **{
            name: tuple(f"{name} {n:03d} " + "x" * (length - len(name) - 5) for n in range(entries))
            for name in LIST_NAMES
        }
    )


def config_lists(entry: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(entry, min_size=1, max_size=40, unique_by=str.lower).map(tuple)


ENTRY = st.text(string.ascii_letters + string.digits, min_size=1, max_size=120)


async def test_with_the_default_lists_every_command_fits_with_room_to_spare() -> None:
    sent = await payloads(Config())
    assert "coalition" in sent and "meeting" in sent
    for name, command in sent.items():
        size = command_size(command)
        # Headroom for a group to grow; the test below fails first if it ever runs out.
        assert size <= COMMAND_SIZE - 2000, f"/{name} has {size} of {COMMAND_SIZE} characters"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lists=st.fixed_dictionaries({name: config_lists(ENTRY) for name in LIST_NAMES}),
    name=st.text(string.ascii_letters + " ", min_size=1, max_size=80).filter(str.strip),
    language=st.sampled_from(("en", "es")),
)
async def test_whatever_lists_are_configured_every_command_fits(
    lists: dict[str, tuple[str, ...]], name: str, language: str
) -> None:
    config = Config(coalition=CoalitionSettings(name=name, language=language), lists=Lists(**lists))
    sent = await payloads(config)
    assert set(sent) == set(await payloads(Config()))  # the same commands, whatever the lists
    for command in sent.values():
        assert command_size(command) <= COMMAND_SIZE, command["name"]


async def test_configured_lists_are_autocompleted_so_their_length_never_counts() -> None:
    sent = await payloads(Config(lists=long_lists()))
    catalogue = build_catalogue()
    for path, command in catalogue.commands.items():
        top, rest = address(" ".join(path))
        node = sent[top]
        for part in rest:
            node = next(o for o in node["options"] if o["name"] == part)
        for option in command.options:
            synced = next(o for o in node.get("options", []) if o["name"] == option.name)
            if option.choices_from:
                assert synced.get("autocomplete") is True and "choices" not in synced, path
    default = await payloads(Config())
    assert {n: command_size(p) for n, p in sent.items()} == {
        n: command_size(p) for n, p in default.items()
    }


async def test_very_long_lists_sync_and_complete(fake: FakeDiscord, sqlite: Storage) -> None:
    async with running_bot(fake, sqlite, Config(lists=long_lists(entries=200))) as bot:
        registered = fake.guild_commands[fake.guild.id]
        assert sorted(c["name"] for c in registered) == sorted(await payloads(Config()))
        assert all(command_size(c) <= COMMAND_SIZE for c in registered)
        typed = await fake.interact(
            fake.autocomplete(*address("directory"), {"region": "regions 019"}, focused="region")
        )
    assert typed.data is not None
    assert next(c["value"] for c in typed.data["choices"]).startswith("regions 019")
    assert bot.fake.rejected == []


def padded(extra: int) -> Catalogue:
    """The real catalogue and a group of `extra` commands whose help takes 100 characters."""
    real = build_catalogue()
    filler = tuple(
        Command(
            ("zz", f"filler{n:02d}"),
            "h" * 100,
            real.commands[("help",)].handler,
            tuple(Option(f"o{i}", OptionKind.TEXT, "o" * 100, "O") for i in range(3)),
        )
        for n in range(extra)
    )
    return Catalogue((*real.commands.values(), *filler), real.actions.values(), real.option_types)


class PaddedDispatcher:
    """The real dispatcher behind a catalogue with a group too large for one Discord command."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.catalogue = padded(20)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_the_fake_refuses_a_command_over_the_limit_as_discord_does() -> None:
    sent = (await payloads(Config(), padded(20)))["zz"]
    assert command_size(sent) > COMMAND_SIZE
    async with running_fake() as fake:
        client = discord.Client(intents=discord.Intents.none())
        async with client:
            await client.login(fake.token)
            with pytest.raises(discord.HTTPException) as refused:
                await client.http.bulk_upsert_guild_commands(
                    fake.application_id, fake.guild.id, [sent]
                )
        assert fake.rejected
    assert (refused.value.status, refused.value.code) == (400, 50035)
    assert "exceeds maximum size (8000)" in refused.value.text


async def test_a_refused_sync_is_explained_and_the_bot_keeps_running(
    fake: FakeDiscord, sqlite: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="adapters.discord.client"):
        async with running_bot(fake, sqlite, wrap=PaddedDispatcher) as bot:
            # One sync for the server: the group too large takes the others down with it.
            assert fake.registered_command("coalition", fake.guild.id) is None
            assert bot.runner.poster is not None
            await bot.runner.poster.post_to_channel("general", _hello())
            assert fake.find_calls("POST", r"/channels/\d+/messages")
    (refusal,) = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert "members there cannot use them" in refusal
    assert "Command exceeds maximum size (8000)" in refusal  # what Discord said
    assert "/zz has" in refusal and "largest parts are filler" in refusal
    assert "/coalition has" not in refusal and "/meeting has" not in refusal
    assert next(problem for _, problems in fake.rejected for problem in problems).startswith(
        "APPLICATION_COMMAND_TOO_LARGE"
    )
    fake.rejected.clear()  # refused on purpose


def _hello() -> Message:
    return Message((Section(text("still here")),))


async def test_a_value_off_a_configured_list_is_refused_with_the_list(bot: Bot) -> None:
    """Autocomplete suggests, it does not restrict: the core says what to choose instead."""
    answered = await bot.command(
        "join",
        {"name": "Ana", "organization": "X", "discipline": "Nursing", "region": "Atlantis"},
        user="carol",
    )
    said = text_of(answered.data)
    assert "**Atlantis** is not one of the choices for **region**" in said
    assert "Northeast, Southeast, Midwest, Southwest, West" in said
