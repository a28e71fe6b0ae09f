"""What the bot logs while answering a Discord interaction names that interaction."""

from __future__ import annotations

import io
import json
import logging

from adapters.logs import JsonFormatter
from storage import Storage
from tests.adapters.discord.conftest import running_bot
from tests.fakes.discord import FakeDiscord, address


async def test_log_lines_of_an_interaction_carry_its_id(
    fake: FakeDiscord, storage: Storage
) -> None:
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(JsonFormatter())
    dispatcher_log = logging.getLogger("bot.dispatcher")
    dispatcher_log.addHandler(handler)
    level = dispatcher_log.level
    dispatcher_log.setLevel(logging.DEBUG)  # it says how long each command took
    try:
        async with running_bot(fake, storage) as bot:
            payload = fake.slash_command(*address("help"), {}, user="alice")
            await fake.interact(payload, 5.0)
            assert bot.client.is_ready()
    finally:
        dispatcher_log.removeHandler(handler)
        dispatcher_log.setLevel(level)
    lines = [json.loads(line) for line in written.getvalue().splitlines()]
    timed = [line for line in lines if "took" in line["message"]]
    assert timed and all(line.get("interaction_id") == str(payload["id"]) for line in timed)
