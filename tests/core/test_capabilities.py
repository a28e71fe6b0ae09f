"""Capabilities plug in by declaration (bot/capability.py, bot/registry.py)."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.capability import Capability, Listener
from bot.catalogue import Args, Catalogue, CatalogueError, Command, Option, OptionKind
from bot.clock import ManualClock
from bot.config import Config
from bot.context import Context
from bot.delivery import Broadcaster, Services
from bot.dispatcher import Dispatcher
from bot.invocation import ThreadMessage
from bot.messages import Reply
from bot.ports import UnitOfWork
from bot.registry import CAPABILITIES, build_catalogue, catalogue_of, listeners, parts
from bot.transaction import Transaction
from bot.whenargs import DATE_TIME_TYPES
from storage import Storage
from tests.databases import sqlite_storage


def protocol_properties(protocol: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(protocol, lambda m: isinstance(m, property))}


def test_each_repository_of_the_unit_of_work_belongs_to_one_capability() -> None:
    declared = [name for capability in CAPABILITIES for name in capability.repositories]
    assert len(declared) == len(set(declared))
    kernel = protocol_properties(Transaction) - {"members"}
    assert set(declared) == protocol_properties(UnitOfWork) - kernel


async def test_storage_makes_every_repository_in_a_unit_of_work(tmp_path: Path) -> None:
    async with sqlite_storage(tmp_path) as storage, storage.unit_of_work() as uow:
        for capability in CAPABILITIES:
            for name in capability.repositories:
                assert getattr(uow, name) is not None


def test_the_catalogue_has_every_capabilitys_commands_and_option_types() -> None:
    catalogue = build_catalogue()
    for capability in CAPABILITIES:
        assert all(catalogue.command(c.path) is c for c in capability.commands)
        assert all(catalogue.action(a.name) is a for a in capability.actions)
        for kind, read in capability.option_types.items():
            assert catalogue.option_types[kind] is read


def test_a_command_whose_option_kind_no_capability_reads_is_refused_at_start() -> None:
    async def handler(ctx: Context, args: Args) -> Reply:
        return Reply()

    when = Command(("when",), "help", handler, (Option("day", OptionKind.DATE, "help"),))
    with pytest.raises(CatalogueError, match="date"):
        Catalogue((when,), ())


async def test_every_timed_part_is_made_once_for_the_process(tmp_path: Path) -> None:
    async with sqlite_storage(tmp_path) as storage:
        dispatcher = made_with(storage)
        for capability in CAPABILITIES:
            for kind in capability.timed:
                part = dispatcher.services.get(kind)
                assert part is dispatcher.services.get(kind)
                assert callable(part.run_due) and callable(part.next_due)


def made_with(storage: Storage, listeners: tuple[Listener, ...] = ()) -> Dispatcher:
    return Dispatcher(
        build_catalogue(),
        storage.unit_of_work,
        ManualClock(datetime(2026, 3, 2, tzinfo=UTC)),
        Config(),
        Broadcaster(),
        parts=parts(),
        listeners=listeners,
    )


async def test_an_event_reaches_every_listener_even_past_one_that_fails(tmp_path: Path) -> None:
    heard: list[tuple[str, ThreadMessage]] = []

    async def failing(services: Services, event: ThreadMessage) -> bool:
        heard.append(("failing", event))
        raise RuntimeError("a capability's bug")

    def listening(name: str, takes: bool) -> Listener:
        async def listen(services: Services, event: ThreadMessage) -> bool:
            heard.append((name, event))
            return takes

        return listen

    event = ThreadMessage("slack", "C1", "1.0", datetime(2026, 3, 2, tzinfo=UTC))
    async with sqlite_storage(tmp_path) as storage:
        ignoring = listening("ignoring", False)
        dispatcher = made_with(storage, listeners=(failing, listening("taking", True), ignoring))
        assert await dispatcher.event(event)  # one took it
        assert heard == [("failing", event), ("taking", event), ("ignoring", event)]
        assert not await made_with(storage, listeners=(failing, ignoring)).event(event)


def test_the_discussions_listen_for_messages_in_threads() -> None:
    (discussions,) = (c for c in CAPABILITIES if c.name == "discussions")
    assert discussions.listeners and set(discussions.listeners) <= set(listeners())


def test_two_capabilities_reading_the_same_option_kind_are_refused_at_start() -> None:
    mine = Capability("mine", option_types={OptionKind.DATE: DATE_TIME_TYPES[OptionKind.DATE]})
    theirs = Capability("theirs", option_types=dict(DATE_TIME_TYPES))
    with pytest.raises(CatalogueError, match="'mine' and 'theirs' both read date"):
        catalogue_of((mine, theirs))
    assert catalogue_of((theirs,)).option_types == DATE_TIME_TYPES
