"""The opening most Slack tests share: the fake Slack with one more channel, the bot on
Socket Mode with Dana as the configured admin, and members joined by name."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Config
from storage import Storage
from tests.adapters.slack.harness import CHANNELS, USERS, SlackScene, socket_scene
from tests.fakes.slack import FakeSlack

ADMIN_CONFIG = Config(admins=("slack:UDANA",))
NAMES = {"UDANA": "Dana Reyes", "U1": "Maria Lopez", "USAM": "Sam Okafor"}


@asynccontextmanager
async def admin_scene(storage: Storage, channel: str, channel_id: str) -> AsyncIterator[SlackScene]:
    """Run the bot against a fake Slack that also has `channel`; check the fake stayed sound."""
    channels = {**CHANNELS, channel: channel_id}
    async with (
        FakeSlack(users=USERS, channels=channels) as fake,
        socket_scene(fake, storage, ADMIN_CONFIG) as scene,
    ):
        yield scene
        assert fake.errors == [], "the fake itself raised"
        fake.assert_payloads_valid()


async def join(scene: SlackScene, *users: str) -> None:
    """Each user types `/join` with their name from NAMES, in order."""
    for user in users:
        await scene.command(
            f'join name="{NAMES[user]}" organization="County PH" discipline=Policy region=West',
            user=user,
        )
