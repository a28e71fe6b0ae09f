"""A known data set for the engagement page, and its figures worked out by hand.

Admin, Dana (coordinator) and Maria join through chat (tests/core/test_resources.py
setup: West, Epidemiology, "<name> Health Department", 2026-03); the rest is written
straight through the repositories, at chosen dates. Now is 2026-03-02 (the harness's
clock), so the charts per month cover 2025-04 to 2026-03.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.dashboard.engagement import HIDDEN, NOT_GIVEN, Chart, Row
from bot.discussions.model import NewDiscussion, ReplyCount
from bot.identity import Identity
from bot.meetings.model import Answer, Meeting
from bot.members import Profile
from bot.resources.model import ResourceStatus, Suggestion
from storage import Storage

HIDDEN_NAME = "Hidden Person"


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


async def seed(storage: Storage) -> None:
    """Members beside the three of setup(), resources, answers and discussions."""
    people = [
        ("Ana", "County A", "Midwest", "Health Education", True, at(2026, 1, 15)),
        ("Ben", "County A", "Midwest", "Health Education", True, at(2026, 1, 20)),
        ("Cai", "County B", "", "Epidemiology", True, at(2025, 12, 3)),
        (HIDDEN_NAME, "Secret Org", "Midwest", "Epidemiology", False, at(2026, 2, 10)),
        ("Old Timer", "County B", "West", "Epidemiology", True, at(2024, 1, 1)),
    ]
    async with storage.unit_of_work() as uow:
        ids = {}
        for name, organization, region, discipline, listed, joined in people:
            profile = Profile(
                display_name=name,
                organization=organization,
                region=region,
                discipline=discipline,
                listed=listed,
            )
            member = await uow.members.add(
                profile, Identity("console", "local", name), pending=False, at=joined
            )
            ids[name] = member.id
        ana = ids["Ana"]
        for n, (kind, suggested, approved) in enumerate(
            [
                ("toolkit", at(2026, 1, 5), at(2026, 2, 1)),
                ("toolkit", at(2026, 2, 10), at(2026, 2, 11)),
                ("policy", at(2026, 2, 12), None),
                ("research", at(2025, 1, 1), at(2026, 1, 2)),
            ]
        ):
            url = f"https://example.org/r{n}"
            added = await uow.resources.add(
                Suggestion(url, url, f"Resource {n}", "About it", kind), ana, suggested
            )
            assert added is not None
            if approved is not None:
                await uow.resources.decide(added.id, ResourceStatus.APPROVED, ana, approved)
        office = await uow.meetings.add(
            Meeting(0, "Office hours", datetime(2026, 2, 20, 10), "America/Chicago", 60, "general"),
            at=at(2026, 2, 1),
        )
        session = await uow.meetings.add(
            Meeting(0, "Learning session", datetime(2026, 3, 10, 10), "UTC", 60, "general"),
            at=at(2026, 2, 1),
        )
        for name, answer in [
            ("Ana", Answer.GOING),
            ("Ben", Answer.GOING),
            ("Cai", Answer.MAYBE),
            (HIDDEN_NAME, Answer.NOT_GOING),
        ]:
            await uow.rsvps.answer(
                office.id, date(2026, 2, 20), ids[name], answer, at=at(2026, 2, 15)
            )
        await uow.rsvps.answer(
            session.id, date(2026, 3, 10), ids["Ben"], Answer.GOING, at=at(2026, 3, 1)
        )
        for title, replies, latest in [
            ("Housing data sources", 5, at(2026, 2, 1)),
            ("Vaccine outreach", 2, at(2026, 2, 20)),
            ("Quiet one", 0, at(2026, 2, 20)),
            ("Old talk", 9, at(2024, 5, 1)),
        ]:
            started = await uow.discussions.add(
                NewDiscussion(title, "What do you think?", (), "general"), ana, latest
            )
            if replies:
                await uow.discussions.add_replies([ReplyCount(started.id, replies, latest)])
        await uow.commit()


def months(counts: dict[str, tuple[int, ...]], width: int) -> tuple[Row, ...]:
    every = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 4)]
    return tuple(Row(m, counts.get(m, (0,) * width)) for m in every)


EXPECTED = (
    Chart(
        "regions",
        "Members by region",
        "Region",
        ("Members",),
        (Row("West", (4,)), Row("Midwest", (3,)), Row(NOT_GIVEN, (1,), True)),
    ),
    Chart(
        "disciplines",
        "Members by discipline",
        "Discipline",
        ("Members",),
        (Row("Epidemiology", (6,)), Row("Health Education", (2,))),
    ),
    Chart(
        "organizations",
        "Members by organization",
        "Organization",
        ("Members",),
        (
            Row("County A", (2,)),
            Row("County B", (2,)),
            Row("Admin Health Department", (1,)),
            Row("Dana Reyes Health Department", (1,)),
            Row("Maria Lopez Health Department", (1,)),
            Row(HIDDEN, (1,), True),
        ),
    ),
    Chart(
        "joins",
        "Members who joined, per month",
        "Month",
        ("Joined",),
        months({"2025-12": (1,), "2026-01": (2,), "2026-02": (1,), "2026-03": (3,)}, 1),
        across=False,
    ),
    Chart(
        "answers",
        "Answers per session",
        "Session",
        ("Will attend", "Might attend", "Won't attend"),
        (
            Row("Office hours (2026-02-20)", (2, 1, 1)),
            Row("Learning session (2026-03-10)", (1, 0, 0)),
        ),
        stacked=True,
    ),
    Chart(
        "suggested",
        "Resources suggested per month, by type",
        "Month",
        ("policy", "research", "toolkit"),
        months({"2026-01": (0, 0, 1), "2026-02": (1, 0, 1)}, 3),
        series_said=False,
        across=False,
        stacked=True,
    ),
    Chart(
        "approved",
        "Resources approved per month, by type",
        "Month",
        ("policy", "research", "toolkit"),
        months({"2026-01": (0, 1, 0), "2026-02": (0, 0, 2)}, 3),
        series_said=False,
        across=False,
        stacked=True,
    ),
    Chart(
        "discussions",
        "Most active discussions",
        "Discussion",
        ("Replies",),
        (Row("Housing data sources", (5,)), Row("Vaccine outreach", (2,))),
    ),
)
