"""A known set of answers, check-ins and evaluation answers, and the report it must give.

Built through the core's commands (members, meetings, roles) and the storage
repositories (answers, attendance, evaluations), as the bot writes them.

  Office hours (meeting 1, weekly on Thursdays from 2026-03-05):
    2026-03-05  going Maria, Lee; maybe Sam; not going Ana
                attended Maria, Lee, Sam
                anonymous evaluation sent to Maria, Lee, Sam; answered 5 and 4
    2026-03-12  going Maria, Ana; attended Maria, Ana; evaluation sent to both, no answer
    2026-03-19, 2026-03-26  nobody answered (held: in a report made after them);
                2026-03-26 moved to Friday 2026-03-27: shown there, "moved from" 03-26
    2026-04-02  going and attended Maria: after the period
  Data workshop (meeting 2, once, 2026-03-10):
                going Lee, nobody recorded attending; named evaluation sent to Lee, answered 3
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.attendance.model import Source
from bot.evaluations.model import Opened, Question
from bot.meetings.model import Answer
from bot.ports import UnitOfWork
from tests.harness import Harness, text_of

PERIOD = "from=2026-03-01 to=2026-03-31"
SINCE, UNTIL = date(2026, 3, 1), date(2026, 3, 31)
MARCH_5, MARCH_10, MARCH_12, MARCH_19, MARCH_26, MARCH_27, APRIL_2 = (
    date(2026, 3, 5),
    date(2026, 3, 10),
    date(2026, 3, 12),
    date(2026, 3, 19),
    date(2026, 3, 26),
    date(2026, 3, 27),
    date(2026, 4, 2),
)
QUESTIONS = (
    Question("How useful was this session?", "scale"),
    Question("What will you use in your work?", "text"),
    Question("What should we cover next?", "text"),
)
# Member ids, in the order they join.
DANA, CORA, MARIA, LEE, SAM, ANA = 1, 2, 3, 4, 5, 6
AT = datetime(2026, 3, 5, 18, tzinfo=UTC)
# A report made after the period: every session of March has ended (the chat's
# reports, at the harness's clock in early March, list only those with attendance
# or evaluations: bot/reports/build.py).
AFTER = datetime(2026, 4, 1, tzinfo=UTC)


async def people(harness: Harness) -> None:
    await harness.join("admin", "Dana Reyes")
    await harness.join("cora", "Cora Mendes")
    await harness.join(
        "maria",
        "María López",
        organization="Alameda County Public Health",
        jurisdiction="Alameda County",
    )
    # The same department typed in other capitals: one organization.
    await harness.join(
        "lee",
        "Lee Park",
        organization="alameda county public health",
        jurisdiction="Alameda County",
    )
    # Hidden from the directory: counted, never named.
    await harness.join(
        "sam",
        "Sam Hidden",
        organization="Cook County Department of Public Health",
        jurisdiction="Cook County",
        region="Midwest",
    )
    await harness.say("sam", "profile edit listed=no")
    await harness.join(
        "ana",
        "Ana Torres",
        organization="Harris County Public Health",
        jurisdiction="Harris County",
        region="Southwest",
    )
    assert "now a coordinator" in text_of(
        await harness.say("admin", "role grant @cora coordinator")
    )
    await harness.say(
        "admin",
        'meeting schedule title="Office hours" date=2026-03-05 time=9am '
        "timezone=America/Los_Angeles link=https://zoom.us/j/1 repeat=weekly reminders=none",
    )
    await harness.say(
        "admin",
        'meeting schedule title="Data workshop" date=2026-03-10 time=10am '
        "timezone=America/Chicago link=https://zoom.us/j/2 reminders=none",
    )


async def _evaluation(
    uow: UnitOfWork, meeting_id: int, anonymous: bool, day: date, sent: list[int]
) -> int:
    evaluation = await uow.evaluations.of_meeting(meeting_id)
    if evaluation is None:
        evaluation = await uow.evaluations.add(
            meeting_id,
            anonymous=anonymous,
            template="default",
            questions=QUESTIONS,
            by_member_id=DANA,
            at=AT,
        )
    assert evaluation is not None
    end = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=20)
    await uow.evaluations.open(
        Opened(evaluation.id, day, end, end + timedelta(days=7), end + timedelta(days=2))
    )
    for member_id in sent:
        assert await uow.evaluations.claim_send(
            evaluation.id, day, member_id, owner="test", now=end, hold=timedelta(minutes=5)
        )
        await uow.evaluations.sent(evaluation.id, day, member_id, end)
    return evaluation.id


async def known_sessions(harness: Harness) -> None:
    await people(harness)
    moved = await harness.say(
        "admin", "meeting edit 1 scope=this occurrence=2026-03-26 date=2026-03-27"
    )
    assert "Mar 27" in text_of(moved), text_of(moved)
    async with harness.storage.unit_of_work() as uow:
        answers = [
            (1, MARCH_5, MARIA, Answer.GOING),
            (1, MARCH_5, LEE, Answer.GOING),
            (1, MARCH_5, SAM, Answer.MAYBE),
            (1, MARCH_5, ANA, Answer.NOT_GOING),
            (1, MARCH_12, MARIA, Answer.GOING),
            (1, MARCH_12, ANA, Answer.GOING),
            (1, APRIL_2, MARIA, Answer.GOING),
            (2, MARCH_10, LEE, Answer.GOING),
        ]
        for meeting_id, day, member_id, answer in answers:
            await uow.rsvps.answer(meeting_id, day, member_id, answer, at=AT)
        await uow.attendance.mark(1, MARCH_5, [MARIA, LEE, SAM], Source.CHECKIN, AT)
        await uow.attendance.mark(1, MARCH_12, [MARIA], Source.COORDINATOR, AT)
        await uow.attendance.mark(1, MARCH_12, [ANA], Source.IMPORT, AT)
        await uow.attendance.mark(1, APRIL_2, [MARIA], Source.CHECKIN, AT)
        office = await _evaluation(uow, 1, True, MARCH_5, [MARIA, LEE, SAM])
        await _evaluation(uow, 1, True, MARCH_12, [MARIA, ANA])
        workshop = await _evaluation(uow, 2, False, MARCH_10, [LEE])
        now = datetime(2026, 3, 11, tzinfo=UTC)
        for evaluation, day, member_id, given in (
            (office, MARCH_5, MARIA, ["5", "Use the toolkit", ""]),
            (office, MARCH_5, LEE, ["4", "", "More on <data>"]),
            (workshop, MARCH_10, LEE, ["3", "Named & shared", ""]),
        ):
            assert await uow.evaluations.answer(evaluation, day, member_id, given, now) == "saved"
        await uow.commit()
