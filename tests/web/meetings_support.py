"""A weekly meeting announced in chat, Maria going, and Dana signed in to the dashboard."""

from __future__ import annotations

import re

from storage import Storage
from tests.core.test_resources import setup
from tests.harness import Harness, text_of
from tests.scheduling.support import RefPoster, reminder_service, with_ref_poster
from tests.web.dashboard_support import WEB, Client, link_for, sign_in

SCHEDULE = (
    'meeting schedule title="Office hours" date=2026-03-05 time=9am '
    'timezone=America/Los_Angeles repeat=weekly agenda="Heat and health"'
)
TITLE = "Office hours"


async def announced(storage: Storage) -> tuple[Harness, RefPoster]:
    """Admin, Dana (coordinator) and Maria; Dana's weekly meeting announced; Maria going."""
    harness = Harness(storage, WEB)
    await setup(harness)
    chat = with_ref_poster(harness)
    reply = await harness.say("dana", SCHEDULE)
    assert "Scheduled" in text_of(reply), text_of(reply)
    await reminder_service(harness).run_due()
    await harness.click("maria", chat.to("#announcements")[0].button("Going"))
    await reminder_service(harness).run_due()
    return harness, chat


async def dana_signed_in(client: Client, harness: Harness) -> str:
    """Sign Dana in; her session's CSRF token."""
    await sign_in(client, await link_for(harness))
    page = await (await client.get("/dashboard/meetings")).text()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)
