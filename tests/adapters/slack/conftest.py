from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage import Storage
from tests.adapters.slack.harness import CHANNELS, USERS, SlackScene, socket_scene
from tests.fakes.slack import FakeSlack


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(users=USERS, channels=CHANNELS) as fake:
        yield fake
        assert fake.errors == [], "the fake itself raised"
        fake.assert_payloads_valid()


@pytest.fixture
async def slack(fake: FakeSlack, sqlite: Storage) -> AsyncIterator[SlackScene]:
    """The real Bolt app in Socket Mode against the fake, on a fresh SQLite database."""
    async with socket_scene(fake, sqlite) as scene:
        yield scene
