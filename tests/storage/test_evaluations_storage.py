"""The evaluations repository on both databases: claims once, answers, anonymity, the report."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.evaluations.model import AnswerOutcome, Opened, Question
from bot.meetings.model import Answer, Meeting
from storage import Storage
from tests.databases import postgres_storage
from tests.evaluation_answers import answers_read_back
from tests.harness import Harness

END = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
DAY = date(2026, 3, 5)
QUESTIONS = (Question("Useful?", "scale"), Question("Next?", "text"))
HOLD = timedelta(minutes=2)


async def members(storage: Storage) -> list[int]:
    harness = Harness(storage)
    for user, name in (("a", "Ann Lee"), ("b", "Ben Cho"), ("c", "Cam Roy")):
        await harness.join(user, name)
    async with storage.unit_of_work() as uow:
        found = [await uow.members.by_identity(Harness.who(u)) for u in "abc"]
    return [m.id for m in found if m is not None]


async def evaluated(storage: Storage, *, anonymous: bool = True) -> tuple[int, list[int]]:
    """A meeting with an evaluation whose 2026-03-05 occurrence is opened; a and b going."""
    ids = await members(storage)
    async with storage.unit_of_work() as uow:
        meeting = await uow.meetings.add(
            Meeting(
                0, "Office hours", datetime(2026, 3, 5, 9, 0), "America/Los_Angeles", 60, "general"
            ),
            at=END - timedelta(days=3),
        )
        for member in ids[:2]:
            await uow.rsvps.answer(
                meeting.id, DAY, member, Answer.GOING, at=END - timedelta(days=1)
            )
        evaluation = await uow.evaluations.add(
            meeting.id,
            anonymous=anonymous,
            template="default",
            questions=QUESTIONS,
            by_member_id=ids[0],
            at=END - timedelta(days=2),
        )
        assert evaluation is not None
        opened = Opened(evaluation.id, DAY, END, END + timedelta(days=7), END + timedelta(days=2))
        assert await uow.evaluations.open(opened)
        assert not await uow.evaluations.open(opened)
        await uow.commit()
    return evaluation.id, ids


async def test_each_send_is_claimed_once_and_again_only_when_stale(storage: Storage) -> None:
    evaluation, (a, b, _c) = await evaluated(storage)
    async with storage.unit_of_work() as uow:
        assert await uow.evaluations.recipients(evaluation, DAY) == [a, b]
        claim = uow.evaluations.claim_send
        assert await claim(evaluation, DAY, a, owner="one", now=END, hold=HOLD) == "new"
        assert await claim(evaluation, DAY, a, owner="two", now=END, hold=HOLD) == ""
        later = END + HOLD
        assert await claim(evaluation, DAY, a, owner="two", now=later, hold=HOLD) == "again"
        await uow.evaluations.sent(evaluation, DAY, a, later)
        assert await claim(evaluation, DAY, a, owner="one", now=END + HOLD * 5, hold=HOLD) == ""
        assert await uow.evaluations.recipients(evaluation, DAY) == [b]
        # A DM that keeps failing is given up after its tries.
        assert await claim(evaluation, DAY, b, owner="o", now=END, hold=HOLD, tries=2) == "new"
        after = END + HOLD
        assert await claim(evaluation, DAY, b, owner="o", now=after, hold=HOLD, tries=2) == "again"
        later = END + HOLD * 3
        assert await claim(evaluation, DAY, b, owner="o", now=later, hold=HOLD, tries=2) == ""
        await uow.commit()


async def test_reminders_go_once_to_those_sent_who_have_not_answered(storage: Storage) -> None:
    evaluation, (a, b, _) = await evaluated(storage)
    async with storage.unit_of_work() as uow:
        for member in (a, b):
            await uow.evaluations.claim_send(evaluation, DAY, member, owner="o", now=END, hold=HOLD)
            await uow.evaluations.sent(evaluation, DAY, member, END)
        assert (
            await uow.evaluations.answer(evaluation, DAY, a, ["5", ""], END) == AnswerOutcome.SAVED
        )
        opened = await uow.evaluations.opened(evaluation, DAY)
        assert opened is not None
        remind = END + timedelta(days=2)
        assert await uow.evaluations.claim_reminders(opened, owner="o", now=remind, hold=HOLD) == [
            b
        ]
        assert await uow.evaluations.claim_reminders(opened, owner="p", now=remind, hold=HOLD) == []
        await uow.evaluations.reminded(evaluation, DAY, b, remind)
        assert (
            await uow.evaluations.claim_reminders(opened, owner="p", now=remind + HOLD, hold=HOLD)
            == []
        )
        await uow.commit()


async def test_anonymous_answers_once_with_no_member(storage: Storage) -> None:
    evaluation, (a, b, c) = await evaluated(storage)
    async with storage.unit_of_work() as uow:
        answer = uow.evaluations.answer
        assert await answer(evaluation, DAY, a, ["4", "Data"], END) == AnswerOutcome.SAVED
        assert await answer(evaluation, DAY, a, ["1", ""], END) == AnswerOutcome.ALREADY
        assert await answer(evaluation, DAY, c, ["2", ""], END) == AnswerOutcome.SAVED
        closed = END + timedelta(days=7)
        assert await answer(evaluation, DAY, b, ["3", ""], closed) == AnswerOutcome.CLOSED
        assert await uow.evaluations.named_answers(evaluation, DAY, a) is None
        (report,) = await answers_read_back(uow.session)
        await uow.commit()
    assert report.responses == 2 and sorted(report.usefulness) == [2, 4]
    assert report.texts == (("Next?", "Data", None),)
    async with storage.engine.connect() as connection:
        stored = await connection.scalar(text("SELECT answers FROM evaluation_anonymous"))
    assert sorted(json.loads(str(stored))) == [["2", ""], ["4", "Data"]]


async def test_named_answers_change_and_are_named_in_the_report(storage: Storage) -> None:
    evaluation, (a, _b, _) = await evaluated(storage, anonymous=False)
    async with storage.unit_of_work() as uow:
        answer = uow.evaluations.answer
        assert await answer(evaluation, DAY, a, ["2", "More data"], END) == AnswerOutcome.SAVED
        assert await answer(evaluation, DAY, a, ["5", "Maps"], END) == AnswerOutcome.CHANGED
        assert await uow.evaluations.named_answers(evaluation, DAY, a) == ("5", "Maps")
        (report,) = await answers_read_back(
            uow.session, since=END, until=END + timedelta(seconds=1)
        )
        assert await answers_read_back(uow.session, since=END + timedelta(seconds=1)) == []
        await uow.commit()
    assert report.usefulness == (5,) and report.texts == (("Next?", "Maps", "Ann Lee"),)


async def test_a_removed_evaluation_takes_no_answers_and_can_be_added_again(
    storage: Storage,
) -> None:
    evaluation, (a, _, _) = await evaluated(storage)
    async with storage.unit_of_work() as uow:
        got = await uow.evaluations.get(evaluation)
        assert got is not None
        assert await uow.evaluations.remove(got.meeting_id, END)
        assert not await uow.evaluations.remove(got.meeting_id, END)
        assert (
            await uow.evaluations.answer(evaluation, DAY, a, ["3", ""], END) == AnswerOutcome.CLOSED
        )
        assert await uow.evaluations.taking_answers(END) == []
        again = await uow.evaluations.add(
            got.meeting_id,
            anonymous=False,
            template="default",
            questions=QUESTIONS,
            by_member_id=a,
            at=END,
        )
        assert again is not None and again.id == evaluation and not again.anonymous
        await uow.commit()


@pytest.mark.postgres
async def test_no_row_stamp_ties_an_anonymous_answer_to_its_respondent() -> None:
    """PostgreSQL's xmin of the respondent rows must not single out the last to answer."""
    # SQLite keeps no per-row transaction stamp: this is PostgreSQL's alone.
    async with postgres_storage() as storage:
        evaluation, (a, b, c) = await evaluated(storage)
        for member in (a, b, c):
            async with storage.unit_of_work() as uow:
                await uow.evaluations.answer(evaluation, DAY, member, ["4", ""], END)
                await uow.commit()
        async with storage.engine.connect() as connection:
            stamps = (
                await connection.execute(
                    text("SELECT DISTINCT xmin::text FROM evaluation_respondents")
                )
            ).all()
    assert len(stamps) == 1
