"""The report's figures against a count made in Python, over random answers and check-ins
(seeded, so a failure repeats), on SQLite and PostgreSQL: the SQL aggregation must add up
to the same numbers whatever the mix, including periods with no attendance at all."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.attendance.model import Source
from bot.meetings.model import Answer
from bot.reports.build import build_report
from bot.reports.model import Basis, Period
from tests.harness import Harness

pytestmark = pytest.mark.both_databases

FIRST = date(2026, 3, 5)
DAYS = [FIRST + timedelta(weeks=n) for n in range(4)]
AT = datetime(2026, 3, 5, 18, tzinfo=UTC)
MADE = datetime(2026, 4, 1, tzinfo=UTC)  # after the last of DAYS
# (organization, jurisdiction, region): the first two are one department typed twice.
PEOPLE = [
    ("Alameda Public Health", "Alameda", "West"),
    ("ALAMEDA public health", "Alameda", "West"),
    ("Cook County DPH", "Cook", "Midwest"),
    ("Harris County PH", "Harris", "Southwest"),
    ("Harris County PH", "Harris", "Southwest"),
    ("Kings County", "", "Northeast"),
]
ANSWERS = [None, Answer.GOING, Answer.MAYBE, Answer.NOT_GOING]


async def coalition(harness: Harness) -> list[int]:
    await harness.join("admin", "Dana Reyes")
    for n, (organization, jurisdiction, region) in enumerate(PEOPLE):
        extra = {"jurisdiction": jurisdiction} if jurisdiction else {}
        await harness.join(
            f"p{n}", f"Person {n}", organization=organization, region=region, **extra
        )
    await harness.say(
        "admin",
        'meeting schedule title="Weekly" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles link=https://zoom.us/j/1 repeat=weekly reminders=none",
    )
    return [n + 2 for n in range(len(PEOPLE))]  # member ids, after the admin's 1


async def test_random_mixes_add_up_as_counted_by_hand(harness: Harness) -> None:
    members = await coalition(harness)
    for seed in range(8):
        rng = random.Random(seed)
        none_attend = seed % 4 == 3
        answers = {(d, m): rng.choice(ANSWERS) for d in DAYS for m in members}
        present = {(d, m) for d in DAYS for m in members if not none_attend and rng.random() < 0.4}
        async with harness.storage.unit_of_work() as uow:
            for m in members:
                await uow.rsvps.forget_member(m, at=AT)
                await uow.attendance.forget_member(m)
            for (d, m), answer in answers.items():
                if answer is not None:
                    await uow.rsvps.answer(1, d, m, answer, at=AT)
            for d, m in present:
                await uow.attendance.mark(1, d, [m], Source.CHECKIN, AT)
            await uow.commit()
        async with harness.storage.unit_of_work() as uow:
            report = await build_report(uow, Period(DAYS[0], DAYS[-1]), MADE)
        basis = Basis.ATTENDED if present else Basis.GOING
        assert report.basis is basis, seed
        counted = present if present else {k for k, a in answers.items() if a is Answer.GOING}
        profile = dict(zip(members, PEOPLE, strict=True))
        # Every week was held: those nobody answered are there too, with zeros.
        assert [s.occurrence for s in report.sessions] == DAYS, seed
        for line in report.sessions:
            d = line.occurrence
            said = [answers[(d, m)] for m in members]
            assert (line.going, line.maybe, line.declined) == (
                said.count(Answer.GOING),
                said.count(Answer.MAYBE),
                said.count(Answer.NOT_GOING),
            ), seed
            assert line.attended == sum(1 for k in present if k[0] == d), seed
            here = [profile[m] for (day, m) in counted if day == d]
            assert line.organizations == len({p[0].lower() for p in here}), seed
            assert line.jurisdictions == len({p[1] for p in here if p[1]}), seed
        people = [m for _, m in counted]
        assert report.totals.participants == len(set(people)), seed
        assert report.totals.returning == sum(1 for m in set(people) if people.count(m) >= 2)
        assert sorted(n for _, n in report.totals.organizations) == sorted(
            [
                len({m for m in set(people) if profile[m][0].lower() == key})
                for key in {profile[m][0].lower() for m in people}
            ]
        ), seed
        assert report.totals.regions == tuple(sorted({profile[m][2] for m in people})), seed
