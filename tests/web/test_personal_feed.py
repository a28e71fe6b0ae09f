"""/calendar/{token}.ics read by a second parser (`ical`): exactly the occurrences the
member answered Going or Maybe, as they are now; ETag and 304; 404 with no data for
an unknown, revoked or departed member's token; the token never logged."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import make_mocked_request

from adapters.web.headers import _loggable
from bot.config import Config, WebSettings
from bot.meetings.lookup import occurrence_on
from bot.messages import Message
from storage import Storage
from tests.harness import Harness, text_of
from tests.web.support import web_client
from tests.web.test_calendar_feed import at, changed_series, read

WEB = Config(web=WebSettings(enabled=True, public_url="http://localhost:8080"))
ADDRESS = re.compile(r"http://localhost:8080(/calendar/[A-Za-z0-9_-]+\.ics)")
ZONE = ZoneInfo("America/Los_Angeles")
ANSWER = {"going": "meeting.rsvp_yes", "maybe": "meeting.rsvp_maybe", "no": "meeting.rsvp_no"}


async def answer(harness: Harness, user: str, meeting: int, day: str | None, said: str) -> None:
    line = f"meeting view {meeting}" + (f" occurrence={day}" if day else "")
    view = await harness.say(user, line)
    assert isinstance(view.message, Message), text_of(view)
    pressed = next(b for b in view.message.buttons if b.action == ANSWER[said])
    await harness.click(user, pressed)


async def feed_path(harness: Harness, user: str) -> str:
    found = ADDRESS.search(text_of(await harness.say(user, "meeting feed")))
    assert found
    return found.group(1)


async def answered(storage: Storage) -> Harness:
    """The weekly series (one occurrence cancelled, one moved) and a public webinar;
    Maria's answers on some of them, and Dana's, which are not Maria's feed."""
    harness = Harness(storage, WEB)
    await changed_series(harness)
    await harness.join("maria", "Maria Lopez")
    await harness.join("dana", "Dana Reyes")
    await answer(harness, "maria", 1, "2026-03-05", "going")
    await answer(harness, "maria", 1, "2026-03-19", "maybe")  # moved to 11:00
    await answer(harness, "maria", 1, "2026-03-26", "no")
    await answer(harness, "maria", 2, None, "going")
    await answer(harness, "dana", 1, "2026-04-02", "going")
    return harness


async def test_the_feed_holds_the_occurrences_answered_going_or_maybe(storage: Storage) -> None:
    harness = await answered(storage)
    path = await feed_path(harness, "maria")
    async with web_client(harness) as client:
        response = await client.get(path)
        content = await response.text()
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/calendar")
    calendar = read(content)
    async with storage.unit_of_work() as uow:
        series, webinar = await uow.meetings.get(1), await uow.meetings.get(2)
        assert series is not None and webinar is not None
        changes = await uow.meetings.changes([1, 2])
    ours = [
        occurrence_on(series, changes.get(1, {}), date(2026, 3, 5)),
        occurrence_on(webinar, changes.get(2, {}), webinar.start.date()),
        occurrence_on(series, changes.get(1, {}), date(2026, 3, 19)),
    ]
    theirs = list(calendar.timeline_tz(ZONE))
    assert [at(e.start) for e in theirs] == [o.start for o in ours if o]
    assert [e.uid for e in theirs] == [
        "meeting-1-2026-03-05@coalition-bot",
        "meeting-2@coalition-bot",
        "meeting-1-2026-03-19@coalition-bot",
    ]
    assert at(theirs[2].start) == datetime(2026, 3, 19, 11, 0, tzinfo=ZONE)  # where it moved
    assert all(not e.rrule for e in calendar.events)  # occurrences, never the whole series
    # The member's own feed carries the private call's link, as chat does.
    assert theirs[0].url == "https://zoom.us/j/111"
    assert "2026-04-02" not in content and "20260402" not in content  # Dana's answer


async def test_an_answer_changes_the_etag_and_an_unchanged_feed_is_a_304(
    storage: Storage,
) -> None:
    harness = await answered(storage)
    path = await feed_path(harness, "maria")
    async with web_client(harness) as client:
        first = await client.get(path)
        tag = first.headers["ETag"]
        again = await client.get(path, headers={"If-None-Match": tag})
        assert again.status == 304 and await again.read() == b""
        await answer(harness, "maria", 1, "2026-03-05", "no")
        changed = await client.get(path, headers={"If-None-Match": tag})
        assert changed.status == 200 and changed.headers["ETag"] != tag
        calendar = read(await changed.text())
    assert {e.uid for e in calendar.events} == {
        "meeting-2@coalition-bot",
        "meeting-1-2026-03-19@coalition-bot",
    }


async def test_unknown_revoked_and_departed_tokens_are_a_404_with_no_data(
    storage: Storage,
) -> None:
    harness = await answered(storage)
    maria = await feed_path(harness, "maria")
    dana = await feed_path(harness, "dana")
    await harness.say("maria", "meeting feed revoke=yes")
    question = await harness.say("dana", "leave")
    assert isinstance(question.message, Message)
    await harness.click("dana", question.message.buttons[0])  # confirm
    async with web_client(harness) as client:
        for path in (maria, dana, "/calendar/guessed.ics", "/calendar/" + "x" * 300 + ".ics"):
            response = await client.get(path)
            page = await response.text()
            assert response.status == 404 and "Page not found" in page, path
            assert "Office hours" not in page and "BEGIN:VCALENDAR" not in page
        fresh = await feed_path(harness, "maria")
        assert fresh != maria and (await client.get(fresh)).status == 200


@pytest.mark.parametrize("path", ["/calendar/s3cret-token.ics", "/dashboard/login/s3cret-token"])
def test_a_failure_logs_the_path_without_its_token(path: str) -> None:
    assert "s3cret" not in _loggable(make_mocked_request("GET", path))
    assert _loggable(make_mocked_request("GET", "/calendar.ics")) == "/calendar.ics"


async def test_answers_over_a_year_old_leave_the_feed(storage: Storage) -> None:
    harness = await answered(storage)
    path = await feed_path(harness, "maria")
    harness.clock.advance(datetime(2027, 3, 18, tzinfo=ZONE) - harness.clock.now())
    async with web_client(harness) as client:
        calendar = read(await (await client.get(path)).text())
    # March 5 and 10 of 2026 ended more than a year ago; March 19 did not.
    assert [e.uid for e in calendar.events] == ["meeting-1-2026-03-19@coalition-bot"]
