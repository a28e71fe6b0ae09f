"""Reminder DMs: one per person across linked accounts, where they are, in their time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.identity import Identity, Place
from bot.invocation import ActorHints
from tests.core.test_meetings import text_of
from tests.core.test_reminders import FIRST, SCHEDULE
from tests.harness import Harness
from tests.scheduling.support import RefPoster, reminder_service, with_ref_poster

SLACK = Identity("slack", "T1", "U123")


async def linked_and_going(harness: Harness) -> tuple[RefPoster, RefPoster]:
    console = with_ref_poster(harness, "console")
    slack = with_ref_poster(harness, "slack")
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "Maria Lopez", timezone="America/New_York")
    async with harness.storage.unit_of_work() as uow:
        maria = await uow.members.by_identity(harness.who("maria"))
        assert maria is not None
        await uow.members.link_identity(maria.id, SLACK)
        await uow.commit()
    await harness.say("admin", SCHEDULE + " reminders=1d,15m")
    await reminder_service(harness).run_due()
    await harness.click("maria", console.to("#announcements")[0].button("Going"))
    return console, slack


async def from_slack(harness: Harness, text: str) -> str:
    place = Place("slack", "T1", "C1")
    reply = await harness.dispatcher.run_text(SLACK, place, text, ActorHints())
    return text_of(reply)


async def test_one_dm_per_person_on_the_platform_they_last_used_or_chose(
    harness: Harness,
) -> None:
    console, slack = await linked_and_going(harness)
    harness.clock.set(FIRST - timedelta(days=1))
    await reminder_service(harness).run_due()
    await reminder_service(harness, owner="another").run_due()
    # Never used from elsewhere: their first account.
    assert len(console.to("@maria")) == 1 and slack.to("@U123") == []

    await from_slack(harness, "meeting list")  # now they use the bot from Slack
    harness.clock.set(FIRST - timedelta(minutes=15))
    await reminder_service(harness).run_due()
    assert len(console.to("@maria")) == 1 and len(slack.to("@U123")) == 1

    answer = await from_slack(harness, "profile edit dm_platform=console")
    assert "Reminders on: Console" in answer
    harness.clock.set(FIRST)
    await reminder_service(harness).run_due()
    assert len(console.to("@maria")) == 2 and len(slack.to("@U123")) == 1
    async with harness.storage.engine.connect() as connection:
        from sqlalchemy import text

        targets = await connection.scalars(
            text("SELECT target FROM meeting_deliveries WHERE target LIKE '%@%'")
        )
        assert sorted(targets) == ["@2", "@2", "@2"]  # one claim per person and reminder


async def test_a_platform_without_a_linked_account_is_refused(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    refused = await harness.say("maria", "profile edit dm_platform=discord")
    assert refused.invalid_field == "dm_platform"
    assert "no account on Discord" in text_of(refused) and "dm_platform=last" in text_of(refused)


@pytest.mark.both_databases
async def test_a_claim_keyed_per_platform_before_the_upgrade_is_not_sent_again(
    harness: Harness,
) -> None:
    console, _ = await linked_and_going(harness)
    harness.clock.set(FIRST - timedelta(days=1))
    service = reminder_service(harness)
    await service.run_due()
    async with harness.storage.engine.begin() as connection:
        from sqlalchemy import text

        await connection.execute(
            text("UPDATE meeting_deliveries SET target = 'console:@2' WHERE target = '@2'")
        )
    await service.run_due()
    assert len(console.to("@maria")) == 1


async def test_a_reminder_dm_says_the_time_in_the_readers_zone_too(harness: Harness) -> None:
    console, _ = await linked_and_going(harness)
    await harness.join("sam", "Sam Lee", timezone="America/Los_Angeles")
    await harness.click("sam", console.to("#announcements")[0].button("Going"))
    harness.clock.set(FIRST - timedelta(days=1))
    await reminder_service(harness).run_due()
    (maria,) = console.to("@maria")
    assert (
        "Reminder: Office hours starts at Mar 5, 2026, 9:00 AM America/Los_Angeles "
        "(12:00 PM your time)." in maria.text
    )
    (sam,) = console.to("@sam")  # in the meeting's own zone: said once
    assert "your time" not in sam.text and "Reminder: Office hours starts at" in sam.text
    channel = [p for p in console.to("#announcements") if "Reminder" in p.text]
    assert channel and "your time" not in channel[0].text


async def test_the_account_last_used_is_written_only_when_a_linked_member_switches(
    harness: Harness,
) -> None:
    await linked_and_going(harness)

    async def last_used_at() -> list[tuple[object, ...]]:
        async with harness.storage.engine.connect() as connection:
            from sqlalchemy import text

            rows = await connection.execute(
                text("SELECT user_id, last_used_at FROM identities ORDER BY id")
            )
            return [tuple(r) for r in rows]

    before = await last_used_at()
    await from_slack(harness, "meeting list")
    switched = await last_used_at()
    assert switched != before
    harness.clock.advance(timedelta(minutes=5))
    await from_slack(harness, "meeting list")
    await from_slack(harness, "profile view")
    assert await last_used_at() == switched  # the same account again: nothing written
    await harness.say("maria", "meeting list")
    assert await last_used_at() != switched
    await harness.say("admin", "meeting list")  # one account only: never written
    assert [row for row in await last_used_at() if row[0] == "admin"] == [("admin", None)]


async def test_a_change_is_told_once_per_person_in_their_zone(harness: Harness) -> None:
    console, slack = await linked_and_going(harness)
    await harness.say("admin", "meeting edit 1 scope=this occurrence=2026-03-05 time=11:00")
    (told,) = console.to("@maria")
    assert slack.to("@U123") == []
    assert "has moved to Mar 5, 2026, 2:00 PM (America/New_York)" in told.text
