"""A meeting row that cannot give a sensible series never stops the others' reminders.

Rows are broken directly in the database, as rows written before today's checks
(or by hand) would be, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

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
