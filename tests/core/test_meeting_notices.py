"""One change, one notice: edits, cancellations and their posts in the channel."""

from __future__ import annotations

from tests.core.test_meetings import scheduled, text_of
from tests.harness import Harness
from tests.scheduling.support import reminder_service


async def test_moving_one_occurrence_posts_no_second_announcement(harness: Harness) -> None:
    poster = await scheduled(harness)
    card = poster.to("#announcements")[0]
    await harness.click("maria", card.button("Going"))
    await reminder_service(harness).run_due()
    assert len(card.edits) == 1  # the count
    reply = await harness.say("admin", "meeting edit 1 scope=this occurrence=2026-03-05 time=11:00")
    assert "Reminders move with it" in text_of(reply)
    await reminder_service(harness).run_due()
    await reminder_service(harness, owner="another").run_due()
    assert poster.to("#announcements") == [card]  # no second "New meeting"
    assert len(card.edits) == 2 and "11:00 AM America/Los_Angeles" in card.text
    (told,) = poster.to("@maria")
    assert "has moved to" in told.text


async def test_editing_the_series_on_its_first_day_posts_no_second_announcement(
    harness: Harness,
) -> None:
    poster = await scheduled(harness)
    await harness.say("admin", "meeting edit 1 time=10:30")
    await reminder_service(harness).run_due()
    (card,) = poster.to("#announcements")
    assert len(card.edits) == 1 and "10:30 AM America/Los_Angeles" in card.text


async def test_a_meeting_link_without_its_scheme_is_completed_as_resource_links_are(
    harness: Harness,
) -> None:
    await scheduled(harness)
    reply = await harness.say(
        "admin", "meeting schedule title=Session date=2026-03-06 time=9am link=zoom.us/j/77"
    )
    assert "https://zoom.us/j/77" in text_of(reply)
    edited = await harness.say("admin", "meeting edit 1 link=meet.example.org/abc")
    assert "https://meet.example.org/abc" in text_of(edited)
    cleared = await harness.say("admin", 'meeting edit 2 link=""')
    assert "zoom.us" not in text_of(cleared)
