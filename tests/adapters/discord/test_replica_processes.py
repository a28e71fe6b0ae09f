"""Two `coalition-bot run` processes on one PostgreSQL database, against the fake Discord.

Both are connected, so the fake (as Discord) delivers each interaction to both
gateway sessions. For a command, a button click and each step of a form, one
process answers (one callback, never a second one refused with 40060) and the
other says in its log that the interaction is another replica's; the effect (a
join request posted, a member approved, a form step saved) happens once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.adapters.discord.conftest import buttons_of, text_of
from tests.adapters.discord.test_forms import PAGE_ONE
from tests.adapters.ops_client import until_ready
from tests.fakes.discord import FakeDiscord, InteractionResponse, RecordedCall, address
from tests.fakes.discord_payloads import JSON
from tests.scheduling.platform_process import COMMAND, WAIT, kill_all, ready_url, run_environment
from tests.scheduling.process_database import ProcessDatabase, process_database

pytestmark = pytest.mark.postgres
LINE_LIMIT = 1 << 24  # with -v, discord.py logs whole gateway payloads on one line


class Heard:
    """Every line both processes log (-v), to await a process's word that an
    interaction is the other's."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.changed = asyncio.Event()

    async def read(self, stream: asyncio.StreamReader) -> None:
        async for raw in stream:
            self.lines.append(raw.decode(errors="replace"))
            self.changed.set()

    def left(self, interaction_id: int) -> int:
        said = f"interaction {interaction_id} is answered by another replica"
        return sum(said in line for line in self.lines)

    async def until_left(self, interaction_id: int) -> None:
        async with asyncio.timeout(WAIT):
            while self.left(interaction_id) < 1:
                self.changed.clear()
                await self.changed.wait()


@asynccontextmanager
async def two_processes(
    fake: FakeDiscord, tmp_path: Path, database: ProcessDatabase, config: str
) -> AsyncIterator[Heard]:
    heard = Heard()
    env = {
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_URL": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DISCORD_GUILD_IDS": str(fake.guild.id),
    }
    processes: list[asyncio.subprocess.Process] = []
    readers: list[asyncio.Task[None]] = []
    try:
        for name in ("one", "two"):
            home = tmp_path / name
            home.mkdir()
            process = await asyncio.create_subprocess_exec(
                COMMAND,
                "-v",
                "run",
                cwd=home,
                env=run_environment(home, env, database, config),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                limit=LINE_LIMIT,
            )
            processes.append(process)
            assert process.stderr is not None
            readers.append(asyncio.create_task(heard.read(process.stderr)))
        async with aiohttp.ClientSession() as session:
            for process in processes:
                url = await ready_url(process)
                async with asyncio.timeout(WAIT):
                    await until_ready(session, url)  # connected to the fake, commands synced
        assert fake.identify_count == 2
        yield heard
    finally:
        await kill_all(processes)
        await asyncio.gather(*readers, return_exceptions=True)


def callbacks(fake: FakeDiscord, interaction_id: int) -> list[RecordedCall]:
    return fake.find_calls("POST", rf"/interactions/{interaction_id}/[^/]+/callback")


async def once(fake: FakeDiscord, heard: Heard, payload: JSON) -> InteractionResponse:
    """Deliver to both sessions: one process answers, once; the other leaves it."""
    response = await fake.interact(payload, WAIT)
    await heard.until_left(response.interaction_id)
    assert heard.left(response.interaction_id) == 1
    assert [c.status for c in callbacks(fake, response.interaction_id)] == [200]
    return response


def button(payload: JSON | None, word: str) -> JSON:
    return next(b for b in buttons_of(payload) if word in b["custom_id"])


async def test_a_command_a_click_and_a_form_step_each_happen_once(tmp_path: Path) -> None:
    fake = FakeDiscord()
    fake.guild.add_text_channel("coordinators")  # where join requests go
    # Alice is an admin, so a coordinator; joining asks the coordinators.
    config = f'admins = ["discord:{fake.member("alice").id}"]\n'
    config += "[coalition]\napproval_required = true\n"
    async with fake, process_database("postgresql", tmp_path) as database:
        async with two_processes(fake, tmp_path, database, config) as heard:
            joined = await once(
                fake, heard, command(fake, "join", _options("Alice Admin"), "alice")
            )
            assert "Welcome" in text_of(joined.data)

            # A command: Bob's join request, posted for the coordinators once.
            asked = await once(fake, heard, command(fake, "join", _options("Bob Okafor"), "bob"))
            assert "sent to the coordinators" in text_of(asked.data)
            card = await fake.wait_for_message(
                "coordinators", lambda m: "Bob Okafor" in text_of(m), timeout=WAIT
            )
            # A button click: Alice approves him, once; he is welcomed once.
            approve = button(card, "join.approve")["custom_id"]
            await once(fake, heard, fake.component_click(approve, card, user="alice"))
            dm = await fake.wait_for_message(fake.dm_channel("bob"), timeout=WAIT)
            assert "Welcome to Our Coalition" in text_of(dm)

            # A form in steps, each step taken by whichever process claims it.
            opened = await once(fake, heard, command(fake, "join", {}, "carol"))
            assert opened.data is not None
            submit = fake.modal_submit(
                opened.data["custom_id"], PAGE_ONE, user="carol", labels=True
            )
            step = await once(fake, heard, submit)
            assert "Step 1 of 2 is saved" in text_of(step.data) and step.message is not None
            more = button(step.data, ":open:")["custom_id"]
            rest = await once(fake, heard, fake.component_click(more, step.message, user="carol"))
            assert rest.data is not None
            values: dict[str, str | list[str]] = {
                "interests": [],
                "timezone": "America/Denver",
                "language": ["en"],
            }
            last = fake.modal_submit(
                rest.data["custom_id"], values, user="carol", message=step.message, labels=True
            )
            done = await once(fake, heard, last)
            assert "sent to the coordinators" in text_of(done.data)

            shared = fake.messages_in("coordinators", include_ephemeral=False)
            cards = [text_of(m) for m in shared]
            assert sum("Bob Okafor" in c for c in cards) == 1, cards
            assert sum("Carol Diaz" in c for c in cards) == 1
            assert len(fake.messages_in(fake.dm_channel("bob"))) == 1
            async with database.storage.engine.connect() as connection:
                members = await connection.exec_driver_sql("SELECT count(*) FROM members")
                assert members.scalar_one() == 3  # alice, bob, carol: each stored once
        assert fake.server_errors == [] and fake.rejected == []


def command(fake: FakeDiscord, path: str, options: dict[str, Any], user: str) -> JSON:
    return fake.slash_command(*address(path), options, user=user)


def _options(name: str) -> dict[str, str]:
    return {
        "name": name,
        "organization": f"{name} Health Department",
        "discipline": "Epidemiology",
        "region": "West",
    }
