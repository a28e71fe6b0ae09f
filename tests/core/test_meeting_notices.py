"""One change, one notice: edits, cancellations and their posts in the channel."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.core.test_meetings import SCHEDULE, coordinator_and_member, scheduled, text_of
from tests.core.test_reminders import FIRST
from tests.harness import Harness
from tests.scheduling.support import reminder_service, with_ref_poster


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


@pytest.mark.both_databases
async def test_cancelling_the_whole_series_asks_first_and_a_double_click_cancels_once(
    harness: Harness,
) -> None:
    poster = await scheduled(harness)
    await harness.click("maria", poster.to("#announcements")[0].button("Going"))
    asked = await harness.say("admin", "meeting cancel 1")
    assert "Cancel Office hours completely" in text_of(asked)
    assert "occurrence=2026-03-05" in text_of(asked)  # how to cancel one date instead
    assert asked.message is not None
    yes, no = asked.message.buttons
    assert (yes.label, no.label) == ("Yes, cancel the meeting", "No, keep the meeting")
    assert "cancelled" not in text_of(await harness.say("maria", "meeting view 1"))  # not yet

    refused = await harness.click("maria", yes)  # anyone who sees a button can click it
    assert "Cancelled" not in text_of(refused)
    kept = await harness.click("admin", no)
    assert "stays as planned" in text_of(kept) and kept.update_original is not None
    assert "cancelled" not in text_of(await harness.say("maria", "meeting view 1"))

    first = await harness.click("admin", yes)
    assert "Cancelled Office hours" in text_of(first)
    assert first.update_original is not None and not first.update_original.buttons
    second = await harness.click("admin", yes)
    assert "already cancelled" in text_of(second) and second.update_original is not None
    (told,) = poster.to("@maria")
    assert "is cancelled, including the meeting on" in told.text
    await reminder_service(harness).run_due()
    assert "This meeting is cancelled." in poster.to("#announcements")[0].text


async def test_cancelling_a_single_meeting_asks_too(harness: Harness) -> None:
    await scheduled(harness)
    await harness.say("admin", "meeting schedule title=Board date=2026-03-06 time=9am")
    asked = await harness.say("admin", "meeting cancel 2")
    assert "Cancel Board on" in text_of(asked) and "occurrence=" not in text_of(asked)
    assert await harness.storage_count("meetings WHERE cancelled") == 0


async def test_cancelling_one_occurrence_tells_the_channel_and_the_card_shows_the_next(
    harness: Harness,
) -> None:
    poster = await scheduled(harness)
    card = poster.to("#announcements")[0]
    await harness.click("maria", card.button("Going"))
    reply = await harness.say("admin", "meeting cancel 1 occurrence=2026-03-05")
    assert "I told #announcements" in text_of(reply)
    notice = poster.to("#announcements")[-1]
    assert notice is not card
    assert "Office hours on Mar 5, 2026" in notice.text and "is cancelled" in notice.text
    assert "The other meetings of the series stay as planned" in notice.text
    (told,) = poster.to("@maria")
    assert "is cancelled" in told.text
    await reminder_service(harness).run_due()
    assert len(poster.to("#announcements")) == 2  # the card is edited, not posted again
    assert "The meeting on Mar 5, 2026" in card.text and "is cancelled" in card.text
    assert "Mar 12, 2026" in card.text and card.edits[-1].buttons
    assert card.edits[-1].buttons[0].target == "1@2026-03-12"


@pytest.mark.both_databases
async def test_a_failed_announcement_is_retried_with_the_occurrence_as_it_is_now(
    harness: Harness,
) -> None:
    poster = with_ref_poster(harness)
    await coordinator_and_member(harness)
    await harness.say("admin", SCHEDULE)
    poster.failures = 1
    service = reminder_service(harness)
    assert (await service.run_due()).failed == 1
    await harness.say("admin", "meeting edit 1 scope=this occurrence=2026-03-05 time=11:00")
    harness.clock.advance(timedelta(seconds=30))
    await service.run_due()
    (card,) = poster.to("#announcements")
    assert "11:00 AM America/Los_Angeles" in card.text


async def test_the_list_reaches_every_upcoming_meeting_a_page_at_a_time(harness: Harness) -> None:
    await coordinator_and_member(harness)
    far = await harness.say("admin", "meeting schedule title=Retreat date=2026-06-06 time=9am")
    assert "Scheduled" in text_of(far)  # 96 days after 2026-03-02
    assert "Retreat" in text_of(await harness.say("maria", "meeting list"))
    for day in range(10, 26):  # 16 more, all sooner
        await harness.say(
            "admin", f"meeting schedule title=Session{day} date=2026-03-{day} time=9am"
        )
    first = text_of(await harness.say("maria", "meeting list"))
    assert "Session10" in first and "Session24" in first and "Retreat" not in first
    assert "Page 1 of 2, 17 meetings in all" in first and "meeting list page=2" in first
    second = text_of(await harness.say("maria", "meeting list page=2"))
    assert "Session25" in second and "Retreat" in second and "Session10" not in second
    assert "Page 2 of 2, the last." in second
    beyond = await harness.say("maria", "meeting list page=3")
    assert beyond.invalid_field == "page" and "page=2" in text_of(beyond)


@pytest.mark.both_databases
async def test_an_announcement_claimed_under_the_key_of_before_0012_is_not_posted_again(
    harness: Harness,
) -> None:
    poster = await scheduled(harness)
    async with harness.storage.engine.begin() as connection:
        from sqlalchemy import text

        # Before 0012 an announcement's key held its occurrence's start.
        await connection.execute(
            text("UPDATE meeting_deliveries SET occurrence_start = :start WHERE kind = 'announce'"),
            {"start": FIRST},
        )
    await reminder_service(harness).run_due()
    assert len(poster.to("#announcements")) == 1
    harness.clock.set(FIRST - timedelta(days=1))
    await reminder_service(harness).run_due()  # channel reminders still go out
    assert any("Reminder" in p.text for p in poster.to("#announcements"))
