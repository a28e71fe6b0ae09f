"""Attendance through the dispatcher: "I'm here" on the starting-now reminder, the
coordinators' corrections, the export and leaving."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.meetings.cards import CHECKIN_ACTION
from bot.messages import Button
from tests.harness import Harness, text_of
from tests.scheduling.support import Post, RefPoster, reminder_service, with_ref_poster

# Thursday 2026-03-05 9:00 in Los Angeles (PST) = 17:00 UTC, weekly, an hour long.
FIRST = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
SCHEDULE = (
    'meeting schedule title="Office hours" date=2026-03-05 time=9am '
    "timezone=America/Los_Angeles link=https://zoom.us/j/1 repeat=weekly reminders=none"
)
HERE = Button("I'm here", CHECKIN_ACTION, "1@2026-03-05")


async def setup(harness: Harness) -> RefPoster:
    """An admin (Dana), a coordinator (Cora), members Maria and Lee, and the weekly meeting."""
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    await harness.join("cora", "Cora Mendes")
    await harness.join("maria", "María López")
    await harness.join("lee", "Lee Park")
    await harness.say("admin", "role grant @cora coordinator")
    await harness.say("admin", SCHEDULE)
    return poster


async def starting_now(harness: Harness, poster: RefPoster) -> Post:
    harness.clock.set(FIRST)
    await reminder_service(harness).run_due()
    return next(p for p in poster.to("#announcements") if "is starting now" in p.text)


async def test_the_starting_now_reminder_checks_in_once(harness: Harness) -> None:
    poster = await setup(harness)
    post = await starting_now(harness, poster)
    here = post.button("I'm here")
    assert (here.action, here.target) == (CHECKIN_ACTION, "1@2026-03-05")
    assert "checked in to Office hours" in text_of(await harness.click("maria", here))
    again = text_of(await harness.click("maria", here))
    assert "You are already checked in to Office hours" in again
    assert await harness.storage_count("attendance") == 1


async def test_a_linked_account_counts_as_the_same_member(harness: Harness) -> None:
    await setup(harness)
    code = text_of(await harness.say("lee", "link")).split("code=")[1].split()[0]
    await harness.say("lee2", f"link code={code}")
    harness.clock.set(FIRST + timedelta(minutes=5))
    assert "checked in" in text_of(await harness.click("lee", HERE))
    assert "already checked in" in text_of(await harness.click("lee2", HERE))
    assert await harness.storage_count("attendance") == 1


async def test_only_reminders_at_the_start_carry_the_button(harness: Harness) -> None:
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    await harness.say("admin", SCHEDULE.replace("reminders=none", "reminders=15m"))
    harness.clock.set(FIRST - timedelta(minutes=15))
    await reminder_service(harness).run_due()
    early = next(p for p in poster.to("#announcements") if "Reminder:" in p.text)
    assert "I'm here" not in [b.label for b in early.message.buttons]


async def test_check_in_opens_15_minutes_before_and_closes_at_the_end(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(FIRST - timedelta(minutes=15, seconds=1))
    early = text_of(await harness.click("maria", HERE))
    assert "Check-in for Office hours opens at" in early and "15 minutes before" in early
    assert await harness.storage_count("attendance") == 0
    harness.clock.set(FIRST - timedelta(minutes=15))
    assert "checked in" in text_of(await harness.click("maria", HERE))
    harness.clock.set(FIRST + timedelta(minutes=60))
    late = text_of(await harness.click("lee", HERE))
    assert "Check-in for Office hours closed at" in late and "ask a coordinator" in late
    assert await harness.storage_count("attendance") == 1


async def test_a_non_member_is_told_to_join(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(FIRST)
    assert "join the coalition first" in text_of(await harness.click("stranger", HERE))
    assert await harness.storage_count("attendance") == 0


async def test_a_cancelled_occurrence_or_a_stale_button_says_so(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(FIRST)
    stale = Button("I'm here", CHECKIN_ACTION, "nonsense")
    assert "no longer works" in text_of(await harness.click("maria", stale))
    gone = Button("I'm here", CHECKIN_ACTION, "99@2026-03-05")
    assert "There is no meeting 99" in text_of(await harness.click("maria", gone))
    not_a_day = Button("I'm here", CHECKIN_ACTION, "1@2026-03-06")
    assert "nothing to check in to" in text_of(await harness.click("maria", not_a_day))


@pytest.mark.both_databases
async def test_clicks_at_once_from_two_platforms_leave_one_row(harness: Harness) -> None:
    await setup(harness)
    code = text_of(await harness.say("lee", "link")).split("code=")[1].split()[0]
    await harness.say("lee2", f"link code={code}")
    harness.clock.set(FIRST)
    replies = await asyncio.gather(*(harness.click(u, HERE) for u in ("lee", "lee2") * 3))
    said = [text_of(r) for r in replies]
    assert sum("You're checked in" in s for s in said) == 1
    assert sum("already checked in" in s for s in said) == 5
    assert await harness.storage_count("attendance") == 1


@pytest.mark.both_databases
async def test_coordinators_mark_and_unmark_members(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(FIRST + timedelta(days=1))
    shown = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-05"))
    assert "0 members present" in shown and "Nobody is marked yet" in shown
    assert "members=@maria,@lee" in shown
    marked = text_of(
        await harness.say(
            "cora", "meeting attendance id=1 occurrence=2026-03-05 members=@maria,@lee"
        )
    )
    assert "Marked present: María López, Lee Park." in marked
    assert "2 members present" in marked and "Lee Park (marked by a coordinator)" in marked
    again = text_of(
        await harness.say(
            "cora", 'meeting attendance id=1 occurrence=2026-03-05 members="@lee" remove=@maria'
        )
    )
    assert "Already marked: Lee Park." in again and "No longer marked: María López." in again
    assert "Marked present" not in again  # nobody new: no "Marked present: -."
    assert "1 member present" in again and "María" not in again.split("present")[-1]
    twice = text_of(
        await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-05 remove=@maria")
    )
    assert "Were not marked: María López." in twice and "No longer marked" not in twice
    assert await harness.storage_count("attendance") == 1


async def test_a_check_in_is_listed_with_how_it_came(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(FIRST)
    await harness.click("maria", HERE)
    shown = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-05"))
    assert "1 member present" in shown and "María López (checked in)" in shown


@pytest.mark.both_databases
async def test_a_cancelled_date_is_said_to_be_cancelled(harness: Harness) -> None:
    """The coordinator remembered the date right: "does not meet on" would send them
    looking for a typo."""
    await setup(harness)
    await harness.say("admin", "meeting cancel 1 occurrence=2026-03-12")
    harness.clock.set(FIRST + timedelta(days=8))
    wrong = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-12"))
    assert "Office hours was cancelled on 2026-03-12" in wrong, wrong
    assert "nearest dates are 2026-03-05, 2026-03-19" in wrong
    await harness.say("cora", "profile edit language=es")
    dicho = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-12"))
    assert "Office hours se canceló el 2026-03-12" in dicho, dicho
    not_a_date = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-13"))
    assert "no se reúne el 2026-03-13" in not_a_date
    checked = text_of(
        await harness.click("maria", Button("I'm here", CHECKIN_ACTION, "1@2026-03-12"))
    )
    assert "was cancelled on that day" in checked


@pytest.mark.both_databases
async def test_a_cancelled_meetings_dates_are_said_to_be_cancelled(harness: Harness) -> None:
    await setup(harness)
    asked = await harness.say("admin", "meeting cancel 1")
    assert asked.message is not None
    await harness.click("admin", asked.message.buttons[0])
    harness.clock.set(FIRST + timedelta(days=1))
    wrong = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-05"))
    assert "Office hours was cancelled, so it did not meet on 2026-03-05" in wrong, wrong
    off_day = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-06"))
    assert "does not meet on 2026-03-06" in off_day
    checked = text_of(await harness.click("maria", HERE))
    assert "was cancelled on that day" in checked


async def test_corrections_refuse_what_is_wrong(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(FIRST + timedelta(days=1))
    member = text_of(await harness.say("maria", "meeting attendance id=1 occurrence=2026-03-05"))
    assert "coordinator" in member
    wrong = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-08"))
    assert "Office hours does not meet on 2026-03-08" in wrong
    assert "nearest dates are 2026-03-05, 2026-03-12" in wrong
    before = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-01"))
    assert "nearest date is 2026-03-05: type occurrence=2026-03-05" in before  # one date
    unknown = text_of(
        await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-05 members=@nobody")
    )
    assert "I can't find the member @nobody" in unknown
    both = text_of(
        await harness.say(
            "cora", "meeting attendance id=1 occurrence=2026-03-05 members=@lee remove=@lee"
        )
    )
    assert "Lee Park is both in members and in remove" in both
    future = text_of(
        await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-12 members=@lee")
    )
    assert "has not started yet" in future
    assert await harness.storage_count("attendance") == 0


async def test_attendance_is_in_the_export_and_goes_on_leaving(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(FIRST)
    await harness.click("maria", HERE)
    await harness.click("lee", HERE)
    reply = await harness.say("maria", "export")
    assert reply.message is not None
    exported = json.loads(reply.message.attachments[0].content)["attendance"]
    assert exported == [
        {
            "meeting": 1,
            "title": "Office hours",
            "occurrence": "2026-03-05",
            "source": "checkin",
            "recorded_at": FIRST.isoformat(),
        }
    ]
    leave = await harness.say("maria", "leave")
    assert leave.message is not None
    await harness.click("maria", leave.message.buttons[0])
    assert await harness.storage_count("attendance") == 1
    shown = text_of(await harness.say("cora", "meeting attendance id=1 occurrence=2026-03-05"))
    assert "Lee Park" in shown and "María" not in shown


async def test_a_missing_date_is_asked_for_with_the_meeting_already_typed(
    harness: Harness,
) -> None:
    await setup(harness)
    said = text_of(await harness.say("cora", "meeting attendance 1"))
    # The example keeps the 1: without it, typing the example would fail again.
    assert (
        "occurrence is required. For example: /coalition meeting attendance id=1 occurrence="
        in said
    )
