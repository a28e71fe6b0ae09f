"""The sessions report from Slack end to end: the real Bolt app against the fake Slack,
on a database holding the known sessions (tests/reports_data.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.config import Config
from storage import Storage
from tests.adapters.slack.harness import CHANNELS, USERS, SlackScene, socket_scene
from tests.adapters.slack.opening import join
from tests.fakes.slack import FakeSlack
from tests.harness import Harness
from tests.reports_data import AFTER, known_sessions

CONFIG = Config(admins=("slack:UDANA",))


@pytest.fixture
async def scene(sqlite: Storage) -> AsyncIterator[SlackScene]:
    await known_sessions(Harness(sqlite))
    async with (
        FakeSlack(users=USERS, channels=CHANNELS) as fake,
        socket_scene(fake, sqlite, CONFIG) as scene,
    ):
        yield scene
        assert fake.errors == [], "the fake itself raised"
        fake.assert_payloads_valid()


async def test_an_admin_reads_the_report_in_slack(scene: SlackScene) -> None:
    await join(scene, "UDANA")
    shown = await scene.command("report sessions from=2026-03-01 to=2026-03-31", user="UDANA")
    text = str((await scene.answer(shown)).params)
    assert "Sessions: 3. Participants: 4 (1 at two or more). Organizations: 3." in text
    assert "2026-03-05 Office hours: going 2, maybe 1, not going 1; attended 3" in text
    for name in ("María", "Lee Park", "Sam Hidden", "Ana Torres"):
        assert name not in text
    assert isinstance(scene.app.clock, ManualClock)
    scene.app.clock.set(AFTER)  # every session of March has ended, the moved one too
    later = await scene.command("report sessions from=2026-03-01 to=2026-03-31", user="UDANA")
    moved = str((await scene.answer(later)).params)
    assert "2026-03-27 (moved from 2026-03-26) Office hours: going 0" in moved, moved
    wrong = await scene.command("report sessions series=99", user="UDANA")
    assert "There is no meeting 99" in str((await scene.answer(wrong)).params)
    await scene.settled()
