"""/meetings: upcoming sessions and past ones, the reader's zone, join links only when public."""

from __future__ import annotations

from datetime import timedelta

from tests.harness import Harness
from tests.web.support import web_client

WEEKLY = (
    'meeting schedule title="Office hours <b>" date=2026-03-05 time=9am '
    'timezone=America/Los_Angeles link=https://zoom.us/j/111 repeat=weekly agenda="Line one"'
)
PUBLIC = (
    'meeting schedule title="Open webinar" date=2026-03-10 time=1pm '
    "timezone=America/Chicago link=https://zoom.us/j/222 public=yes "
    'topics="Housing, Climate & Health"'
)


async def scheduled(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    for line in (WEEKLY, PUBLIC):
        reply = await harness.say("admin", line)
        assert reply.invalid_field is None, line


async def test_sessions_say_their_zone_and_keep_private_links_in_chat(harness_on: Harness) -> None:
    await scheduled(harness_on)
    async with web_client(harness_on) as client:
        page = await (await client.get("/meetings")).text()
    assert "Times are in America/Chicago." in page
    assert "Office hours &lt;b&gt;" in page and "Open webinar" in page
    assert "Thursday, March 5, 2026, 11:00" in page  # 9am Pacific, in Chicago
    assert "https://zoom.us/j/111" not in page  # not marked public
    assert 'href="https://zoom.us/j/222"' in page
    assert 'href="webcal://localhost:8080/calendar.ics"' in page
    assert 'href="http://localhost:8080/calendar.ics"' in page
    assert 'href="/meetings/1.ics"' in page and "Line one" in page
    assert 'href="webcal://localhost:8080/calendar/topic/climate-health.ics"' in page
    assert '<script src="/static/zone.js"></script>' in page
    assert "a feed of your own: type /coalition meeting feed in the coalition" in page


async def test_the_readers_zone_from_the_page_script(harness_on: Harness) -> None:
    await scheduled(harness_on)
    async with web_client(harness_on) as client:
        madrid = await (await client.get("/meetings", params={"tz": "Europe/Madrid"})).text()
        unknown = await (await client.get("/meetings", params={"tz": "Mars/Olympus" * 200})).text()
        script = await client.get("/static/zone.js")
        assert script.status == 200 and "timeZone" in await script.text()
    assert "Times are in Europe/Madrid." in madrid and "18:00" in madrid.replace("\u202f", " ")
    assert "That time zone is not one I know, so times are in America/Chicago." in unknown


async def test_past_sessions_form_a_timeline_newest_first(harness_on: Harness) -> None:
    await scheduled(harness_on)
    harness_on.clock.advance(timedelta(days=15))  # to March 17
    async with web_client(harness_on) as client:
        page = await (await client.get("/meetings")).text()
    upcoming, _, past = page.partition("Past sessions")
    assert "March 19, 2026" in upcoming and "Open webinar" not in upcoming
    assert past.index("March 12, 2026") < past.index("March 10, 2026") < past.index("March 5")


async def test_no_sessions_is_said(harness_on: Harness) -> None:
    async with web_client(harness_on) as client:
        page = await (await client.get("/meetings", params={"lang": "es"})).text()
    assert "Aún no hay sesiones programadas." in page and "Las horas están en" in page


async def test_editing_makes_a_link_public_and_private_again(harness_on: Harness) -> None:
    await scheduled(harness_on)
    async with web_client(harness_on) as client:
        await harness_on.say("admin", "meeting edit 1 public=yes")
        shown = await (await client.get("/meetings")).text()
        await harness_on.say("admin", "meeting edit 1 public=no")
        hidden = await (await client.get("/meetings")).text()
    assert "https://zoom.us/j/111" in shown and "https://zoom.us/j/111" not in hidden
