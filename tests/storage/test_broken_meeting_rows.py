"""A meeting row that cannot give a sensible series never stops the others' reminders.

Rows are broken directly in the database, as rows written before today's checks
(or by hand) would be, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from adapters.scheduling import Scheduler
from bot.meetings.reminders import SweepReport
from storage import Storage
from tests.harness import Harness, text_of
from tests.scheduling.support import reminder_service, with_ref_poster

# Thursday 2026-03-05 9:00 in Los Angeles (PST) = 17:00 UTC.
FIRST = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
GOOD = (
    'meeting schedule title="Office hours" date=2026-03-05 time=9am '
    "timezone=America/Los_Angeles repeat=weekly"
)
OTHER = (
    'meeting schedule title="Broken {n}" date=2026-03-04 time=10am '
    "timezone=America/Chicago repeat=weekly"
)
BROKEN = [
    ("rule", "FREQ=WEEKLY;INTERVAL=0"),
    ("rule", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31"),
    ("rule", "FREQ=SECONDLY"),
    ("rule", "FREQ=WEEKLY;COUNT=0"),
    ("timezone", "Mars/Olympus_Mons"),
    ("start_local", "9999-12-31T23:00:00"),
    ("start_local", "not a date"),
    ("reminders", "ten,minutes"),
]


async def test_broken_rows_are_skipped_and_the_sweep_finishes(storage: Storage) -> None:
    harness = Harness(storage)
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    for n in range(len(BROKEN)):
        assert "Scheduled" in text_of(await harness.say("admin", OTHER.format(n=n)))
    assert "Scheduled" in text_of(await harness.say("admin", GOOD))
    service = reminder_service(harness)
    await service.run_due()  # the announcements, before the rows break
    async with storage.engine.begin() as connection:
        for meeting_id, (column, value) in enumerate(BROKEN, start=1):
            await connection.execute(
                text(f"UPDATE meetings SET {column} = :value WHERE id = :id"),
                {"value": value, "id": meeting_id},
            )
    good_id = len(BROKEN) + 1
    for moment in (FIRST - timedelta(days=1), FIRST - timedelta(minutes=15), FIRST):
        harness.clock.set(moment)
        await service.run_due()
    reminded = [p.text for p in poster.to("#announcements") if "New meeting" not in p.text]
    assert len(reminded) == 3 and all("Office hours" in r for r in reminded)
    assert "is starting now" in reminded[-1]
    assert f"meeting {good_id}" in text_of(await harness.say("admin", "meeting list"))
    # After a restart (a fresh service on the same database), the same holds.
    harness.clock.set(datetime(2026, 3, 12, 16, 0, tzinfo=UTC))  # 9:00 PDT
    await reminder_service(harness).run_due()
    reminded = [p.text for p in poster.to("#announcements") if "New meeting" not in p.text]
    assert "is starting now" in reminded[-1] and "Mar 12, 2026" in reminded[-1]


async def _break(storage: Storage, meeting_id: int, column: str, value: str | None) -> None:
    async with storage.engine.begin() as connection:
        await connection.execute(
            text(f"UPDATE meetings SET {column} = :value WHERE id = :id"),
            {"value": value, "id": meeting_id},
        )


async def _two_meetings(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    assert "Scheduled" in text_of(await harness.say("admin", OTHER.format(n=1)))
    assert "Scheduled" in text_of(await harness.say("admin", GOOD))


async def test_the_plan_skips_a_broken_row(storage: Storage) -> None:
    harness = Harness(storage)
    with_ref_poster(harness)
    await _two_meetings(harness)
    for column, value in BROKEN:
        await _break(storage, 1, column, value)
        harness.clock.set(FIRST - timedelta(hours=12))
        due = await reminder_service(harness).next_due(FIRST + timedelta(minutes=1))
        assert due == [FIRST - timedelta(minutes=15), FIRST], (column, value)
        scheduler = Scheduler(
            storage, harness.dispatcher.broadcaster, harness.clock, harness.config
        )
        scheduler.plan(reminder_service(harness))  # as the meetings capability registers it
        await scheduler._plan()  # what the scheduler runs after every sweep
        assert scheduler.planned == 2, (column, value)


async def test_a_taken_over_claim_of_a_broken_meeting_is_given_up_and_others_go_on(
    storage: Storage,
) -> None:
    harness = Harness(storage)
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    for title in ("Breaks", "Office hours"):  # at the same instant, only at the start
        await harness.say("admin", GOOD.replace("Office hours", title) + " reminders=none")
    await reminder_service(harness).run_due()  # the announcements
    breaks = [("timezone", "Mars/Olympus_Mons"), ("reminders", "x")]
    # The first two starts: 9:00 in Los Angeles, PST then PDT.
    for start, (column, value) in zip(
        [FIRST, FIRST + timedelta(days=7, hours=-1)], breaks, strict=True
    ):
        harness.clock.set(start)
        claimed = await reminder_service(harness, "dead").claim_due(SweepReport())
        assert sorted(j.meeting.id for j in claimed) == [1, 2]  # and then it died
        await _break(storage, 1, column, value)
        harness.clock.advance(timedelta(seconds=harness.config.meetings.claim_timeout_seconds + 1))
        await reminder_service(harness, "alive").run_due()
        async with storage.engine.connect() as connection:
            found = await connection.execute(
                text("SELECT meeting_id, status FROM meeting_deliveries WHERE id IN (:a, :b)"),
                {"a": claimed[0].delivery.id, "b": claimed[1].delivery.id},
            )
            assert sorted(tuple(r) for r in found) == [(1, "gave_up"), (2, "sent")], (column, value)
        await _break(storage, 1, column, "America/Los_Angeles" if column == "timezone" else None)
    reminded = [p.text for p in poster.to("#announcements") if "New meeting" not in p.text]
    assert len(reminded) == 2 and all("Office hours" in r for r in reminded)


async def test_a_broken_row_does_not_stop_the_announcements_refresh(storage: Storage) -> None:
    harness = Harness(storage)
    poster = with_ref_poster(harness)
    await _two_meetings(harness)
    service = reminder_service(harness)
    await service.run_due()  # the announcements
    broken, good = poster.to("#announcements")
    await _break(storage, 1, "rule", "FREQ=WEEKLY;INTERVAL=0")
    await _break(storage, 1, "timezone", "Mars/Olympus_Mons")
    await harness.join("maria", "Maria Lopez")
    await harness.click("maria", broken.button("Going"))
    await harness.click("maria", good.button("Going"))
    await service.run_due()
    assert good.edits and "Going: 1 ·" in good.text
    async with storage.engine.connect() as connection:
        wanted = await connection.scalar(
            text("SELECT count(*) FROM meetings WHERE refresh_at IS NOT NULL")
        )
    assert wanted == 0  # the broken one's request is not tried forever


async def test_a_delivery_row_with_an_unknown_target_is_ignored(storage: Storage) -> None:
    harness = Harness(storage)
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    await harness.say("admin", GOOD + " reminders=none")
    await reminder_service(harness).run_due()  # the announcement
    async with storage.engine.begin() as connection:  # a claim written by hand
        await connection.execute(
            text(
                "INSERT INTO meeting_deliveries (meeting_id, occurrence_start, occurrence, "
                "kind, offset_minutes, target, due_at, status, late, attempts, owner, "
                "claimed_at) SELECT meeting_id, occurrence_start, occurrence, kind, "
                "offset_minutes, 'nowhere', due_at, 'claimed', late, attempts, owner, "
                "claimed_at FROM meeting_deliveries"
            )
        )
    for moment in (FIRST, FIRST + timedelta(hours=1)):
        harness.clock.set(moment)
        await reminder_service(harness).run_due()
    reminded = [p.text for p in poster.to("#announcements") if "New meeting" not in p.text]
    assert len(reminded) == 1 and "is starting now" in reminded[0]
