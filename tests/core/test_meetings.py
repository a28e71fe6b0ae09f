"""Meeting commands through the dispatcher: scheduling, bad input, RSVPs, edits, calendar files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from bot.identity import Identity
from tests.harness import Harness
from tests.harness import text_of as raw_text
from tests.scheduling.support import RefPoster, reminder_service, with_ref_poster

SCHEDULE = (
    'meeting schedule title="Office hours" date=2026-03-05 time=9am '
    "timezone=America/Los_Angeles link=https://zoom.us/j/1 repeat=weekly"
)


def text_of(reply: object) -> str:
    """The reply's text with Babel's narrow no-break spaces ("9:00\u202fAM") as plain ones."""
    return raw_text(reply).replace("\u202f", " ")  # type: ignore[arg-type]


async def coordinator_and_member(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "Maria Lopez", timezone="America/New_York")


async def scheduled(harness: Harness) -> RefPoster:
    poster = with_ref_poster(harness)
    await coordinator_and_member(harness)
    reply = await harness.say("admin", SCHEDULE)
    assert "Scheduled" in text_of(reply), text_of(reply)
    await reminder_service(harness).run_due()
    return poster


async def test_schedule_announces_once_with_rsvp_buttons(harness: Harness) -> None:
    poster = await scheduled(harness)
    (post,) = poster.to("#announcements")
    assert "New meeting" in post.text and "Office hours" in post.text
    assert "9:00 AM America/Los_Angeles" in post.text
    labels = [b.label for b in post.message.buttons]
    assert labels == ["Going", "Maybe", "Can't go", "Agenda and notes"]
    assert post.message.buttons[0].target == "1@2026-03-05"
    await reminder_service(harness, owner="another").run_due()
    assert len(poster.to("#announcements")) == 1  # claimed once, never again


@pytest.mark.parametrize(
    ("options", "field", "words"),
    [
        ("date=2026-03-01 time=9am", "date", "in the past"),
        ("date=2026-02-30 time=9am", "date", "not a real date"),
        ("date=03/05/2026 time=9am", "date", "year-month-day"),
        ("date=2026-03-05 time=25:00", "time", "14:30"),
        ("date=2026-03-05 time=9am timezone=Mars/Olympus", "timezone", "not a time zone"),
        ("date=2026-03-05 time=9am duration=0", "duration", "at least 1"),
        ("date=2026-03-05 time=9am duration=25h", "duration", "at most 1440"),
        ("date=2026-03-05 time=9am link=ftp://x.org/a", "link", "https://"),
        ("date=2026-03-05 time=9am link=zoom", "link", "https://"),
        ('date=2026-03-05 time=9am link="zoom.us/j/1 now"', "link", "https://"),
        (
            'date=2026-03-05 time=9am repeat="FREQ=WEEKLY;BYDAY=XX"',
            "repeat",
            "FREQ=WEEKLY;BYDAY=TU,TH",
        ),
        ('date=2026-03-05 time=9am repeat="every blue moon"', "repeat", "every 2 weeks"),
    ],
)
async def test_bad_input_is_refused_with_an_example(
    harness: Harness, options: str, field: str, words: str
) -> None:
    await coordinator_and_member(harness)
    reply = await harness.say("admin", f"meeting schedule title=Session {options}")
    assert reply.invalid_field == field
    assert words in text_of(reply)
    assert await harness.storage_count("meetings") == 0


async def test_members_cannot_schedule_but_can_list_and_view(harness: Harness) -> None:
    await scheduled(harness)
    refused = await harness.say("maria", SCHEDULE)
    assert "Only" in text_of(refused)
    listing = text_of(await harness.say("maria", "meeting list"))
    assert "Office hours" in listing and "9:00 AM America/Los_Angeles" in listing
    assert "(America/New_York)" in listing  # Maria's zone in the fallback, the meeting's named
    view = await harness.say("maria", "meeting view 1")
    assert view.message is not None and len(view.message.buttons) == 4


async def test_rsvp_counts_update_the_announcement(harness: Harness) -> None:
    poster = await scheduled(harness)
    post = poster.to("#announcements")[0]
    answer = await harness.click("maria", post.button("Going"))
    assert "You're going to" in text_of(answer)
    await harness.click("admin", post.button("Maybe"))
    await reminder_service(harness).run_due()
    assert "Going: 1 · Maybe: 1 · Can't go: 0" in post.text
    await harness.click("maria", post.button("Can't go"))  # changing one's mind: still one answer
    await reminder_service(harness).run_due()
    assert "Going: 0 · Maybe: 1 · Can't go: 1" in post.text
    attendees = text_of(await harness.say("admin", "meeting attendees 1"))
    assert "Maybe (1): Dana Reyes" in attendees and "Can't go (1): Maria Lopez" in attendees


@pytest.mark.both_databases
async def test_a_linked_member_answering_from_two_platforms_counts_once(harness: Harness) -> None:
    poster = await scheduled(harness)
    async with harness.storage.unit_of_work() as uow:
        maria = await uow.members.by_identity(harness.who("maria"))
        assert maria is not None
        await uow.members.link_identity(maria.id, Identity("slack", "T1", "U123"))
        await uow.commit()
    button = poster.to("#announcements")[0].button("Going")
    from bot.identity import Place
    from bot.invocation import Click

    await harness.click("maria", button)
    await harness.dispatcher.click(
        Click(
            Identity("slack", "T1", "U123"),
            Place("slack", "T1", "C1"),
            button.action,
            button.target,
        )
    )
    assert await harness.storage_count("meeting_rsvps") == 1
    await reminder_service(harness).run_due()
    assert "Going: 1 ·" in poster.to("#announcements")[0].text


async def test_cancelling_one_occurrence_tells_those_going(harness: Harness) -> None:
    poster = await scheduled(harness)
    await harness.click("maria", poster.to("#announcements")[0].button("Going"))
    reply = await harness.say("admin", "meeting cancel 1 occurrence=2026-03-05")
    assert "The rest of the series stays" in text_of(reply)
    (told,) = poster.to("@maria")
    assert "is cancelled" in told.text
    listing = text_of(await harness.say("maria", "meeting list"))
    assert "Mar 12, 2026" in listing and "Mar 5, 2026" not in listing
    wrong = await harness.say("admin", "meeting cancel 1 occurrence=2026-03-06")
    assert wrong.invalid_field == "occurrence" and "occurrence=2026-03-12" in text_of(wrong)


async def test_cancelling_the_series_updates_the_announcement(harness: Harness) -> None:
    poster = await scheduled(harness)
    asked = await harness.say("admin", "meeting cancel 1")
    assert asked.message is not None
    await harness.click("admin", asked.message.buttons[0])
    await reminder_service(harness).run_due()
    post = poster.to("#announcements")[0]
    assert "cancelled" in post.text and not post.edits[-1].buttons
    assert "No meetings are scheduled" in text_of(await harness.say("maria", "meeting list"))


async def test_moving_one_occurrence_keeps_answers_and_tells_attendees(harness: Harness) -> None:
    poster = await scheduled(harness)
    await harness.click("maria", poster.to("#announcements")[0].button("Going"))
    reply = await harness.say("admin", "meeting edit 1 scope=this occurrence=2026-03-05 time=11:00")
    assert "Reminders move with it" in text_of(reply)
    assert "has moved to" in poster.to("@maria")[0].text
    attendees = text_of(await harness.say("admin", "meeting attendees 1 occurrence=2026-03-05"))
    assert "Going (1): Maria Lopez" in attendees
    refused = await harness.say(
        "admin", "meeting edit 1 scope=this occurrence=2026-03-12 title=New"
    )
    assert refused.invalid_field == "scope"


async def test_ics_for_one_occurrence_and_for_the_series(harness: Harness) -> None:
    await scheduled(harness)
    await harness.say("admin", "meeting cancel 1 occurrence=2026-03-12")
    one = await harness.say("maria", "meeting ics 1")
    assert one.message is not None
    (attachment,) = one.message.attachments
    assert attachment.filename == "meeting-1-2026-03-05.ics"
    event = Calendar.from_ical(attachment.content).walk("VEVENT")[0]
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
    series = await harness.say("maria", "meeting ics 1 series=yes")
    assert series.message is not None
    calendar = Calendar.from_ical(series.message.attachments[0].content)
    (event,) = calendar.walk("VEVENT")
    assert b"FREQ=WEEKLY" in event["rrule"].to_ical()
    assert b"20260312T090000" in event["exdate"].to_ical()
    assert calendar.walk("VTIMEZONE")  # the zone travels with the file


async def test_a_series_edit_moves_future_occurrences(harness: Harness) -> None:
    await scheduled(harness)
    reply = await harness.say("admin", 'meeting edit 1 time=10:30 title="Office hours (new time)"')
    assert "Saved" in text_of(reply)
    listing = text_of(await harness.say("maria", "meeting list"))
    assert "10:30 AM America/Los_Angeles" in listing
    harness.clock.advance(timedelta(days=30))
    view = text_of(await harness.say("maria", "meeting view 1"))
    assert "When: Apr 2, 2026 · 10:30 AM America/Los_Angeles" in view  # the next one, moved
