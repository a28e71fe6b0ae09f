"""Session evaluations through the dispatcher: set up, sent at the end, answered, reminded."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from bot.evaluations.sending import EvaluationSending
from bot.messages import Form
from tests.core.test_reminders import FIRST, SCHEDULE
from tests.harness import Harness, text_of
from tests.scheduling.support import Post, RefPoster, reminder_service, with_ref_poster

END = FIRST + timedelta(hours=1)  # the first session, 9am-10am in Los Angeles


async def setup(harness: Harness, line: str = "meeting evaluation 1") -> RefPoster:
    """A coordinator (admin), two members going (Maria, Lee), one not answering (Sam)."""
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.join("lee", "Lee Park", language="es")
    await harness.join("sam", "Sam Roy")
    await harness.say("admin", SCHEDULE)
    await reminder_service(harness).run_due()
    card = poster.to("#announcements")[0]
    for user in ("maria", "lee"):
        await harness.click(user, card.button("Going"))
    reply = text_of(await harness.say("admin", line))
    assert "now has an evaluation" in reply, reply
    poster.posts.clear()
    return poster


def sending(harness: Harness) -> EvaluationSending:
    return harness.dispatcher.services.get(EvaluationSending)


async def ended(harness: Harness) -> None:
    harness.clock.set(END)
    await sending(harness).run_due()


def asks(poster: RefPoster, who: str) -> list[Post]:
    return poster.to(f"@{who}")


async def answer_through_form(harness: Harness, user: str, post: Post, **answers: str) -> str:
    reply = await harness.click(user, post.message.buttons[0])
    form = reply.form
    assert isinstance(form, Form), text_of(reply)
    values = {f.name: f.value for f in form.fields} | answers
    done = await harness.run(user, form.command, from_form=True, **values)
    return text_of(done)


async def test_sent_at_the_end_to_those_going_and_posted_in_the_channel(harness: Harness) -> None:
    poster = await setup(harness)
    harness.clock.set(END - timedelta(minutes=1))
    await sending(harness).run_due()
    assert asks(poster, "maria") == []
    await ended(harness)
    assert len(asks(poster, "maria")) == 1 and len(asks(poster, "lee")) == 1
    assert asks(poster, "sam") == []
    assert "How was Office hours?" in asks(poster, "maria")[0].text
    assert "anonymous" in asks(poster, "maria")[0].text
    assert "¿Qué tal" in asks(poster, "lee")[0].text  # in the member's language
    (public,) = poster.to("#announcements")
    assert "Share your feedback" in public.text
    await sending(harness).run_due()
    assert len(asks(poster, "maria")) == 1 and len(poster.to("#announcements")) == 1


@pytest.mark.both_databases
async def test_sent_exactly_once_by_sweeps_at_once(harness: Harness) -> None:
    poster = await setup(harness)
    harness.clock.set(END)
    await asyncio.gather(*(sending(harness).run_due() for _ in range(3)))
    assert len(asks(poster, "maria")) == 1 and len(asks(poster, "lee")) == 1
    assert len(poster.to("#announcements")) == 1


async def test_the_scheduler_is_told_the_end_and_the_reminder(harness: Harness) -> None:
    await setup(harness)
    harness.clock.set(END - timedelta(hours=2))
    assert END in await sending(harness).next_due(END + timedelta(hours=1))
    await ended(harness)
    reminder = END + timedelta(days=2)
    assert reminder in await sending(harness).next_due(END + timedelta(days=3))


async def test_answered_through_the_form_anonymously(harness: Harness) -> None:
    poster = await setup(harness)
    await ended(harness)
    post = asks(poster, "maria")[0]
    form = (await harness.click("maria", post.message.buttons[0])).form
    assert form is not None
    assert [f.label for f in form.fields][1:] == [
        "How useful was this session?",
        "What will you use in your work?",
        "What should we cover next?",
    ]
    assert form.fields[1].choices == ("1", "2", "3", "4", "5")
    done = await answer_through_form(
        harness, "maria", post, answer1="4", answer2="The line list template"
    )
    assert "saved, without your name" in done
    again = text_of(await harness.click("maria", post.message.buttons[0]))
    assert "already answered" in again and "cannot be changed" in again
    assert await harness.storage_count("evaluation_respondents") == 1
    assert await harness.storage_count("evaluation_named") == 0
    async with harness.storage.unit_of_work() as uow:
        (report,) = await uow.evaluations.report()
    assert report.responses == 1 and report.usefulness == (4,) and report.sent == 2
    assert report.texts == (("What will you use in your work?", "The line list template", None),)


async def test_the_form_is_in_the_members_language(harness: Harness) -> None:
    poster = await setup(harness)
    await ended(harness)
    form = (await harness.click("lee", asks(poster, "lee")[0].message.buttons[0])).form
    assert form is not None and form.language == "es"
    assert form.fields[1].label == "¿Qué tan útil fue esta sesión?"


async def test_a_named_answer_can_be_changed_within_the_window(harness: Harness) -> None:
    poster = await setup(harness, "meeting evaluation 1 anonymous=no")
    await ended(harness)
    post = asks(poster, "maria")[0]
    assert "named" in post.text
    assert "saved with your name" in await answer_through_form(harness, "maria", post, answer1="2")
    offer = await harness.click("maria", post.message.buttons[0])
    assert "already answered" in text_of(offer)
    assert offer.message is not None
    change = await harness.click("maria", offer.message.buttons[0])
    assert change.form is not None and change.form.fields[1].value == "2"
    values = {f.name: f.value for f in change.form.fields} | {"answer1": "5"}
    changed = await harness.run("maria", change.form.command, from_form=True, **values)
    assert "changed" in text_of(changed)
    async with harness.storage.unit_of_work() as uow:
        (report,) = await uow.evaluations.report()
    assert report.usefulness == (5,) and report.responses == 1


async def test_the_public_button_for_those_who_did_not_rsvp(harness: Harness) -> None:
    poster = await setup(harness)
    await ended(harness)
    (public,) = poster.to("#announcements")
    assert "saved" in await answer_through_form(harness, "sam", public, answer1="3")


async def test_reminded_once_only_those_who_did_not_answer(harness: Harness) -> None:
    poster = await setup(harness)
    await ended(harness)
    await answer_through_form(harness, "maria", asks(poster, "maria")[0], answer1="5")
    harness.clock.set(END + timedelta(days=2) - timedelta(minutes=1))
    await sending(harness).run_due()
    assert len(asks(poster, "lee")) == 1
    harness.clock.set(END + timedelta(days=2))
    await asyncio.gather(sending(harness).run_due(), sending(harness).run_due())
    assert len(asks(poster, "lee")) == 2 and "Recordatorio" in asks(poster, "lee")[1].text
    assert len(asks(poster, "maria")) == 1
    harness.clock.set(END + timedelta(days=3))
    await sending(harness).run_due()
    assert len(asks(poster, "lee")) == 2


async def test_after_the_window_an_answer_is_refused(harness: Harness) -> None:
    poster = await setup(harness)
    await ended(harness)
    harness.clock.set(END + timedelta(days=7))
    late = text_of(await harness.click("maria", asks(poster, "maria")[0].message.buttons[0]))
    assert "no longer taken" in late
    typed = await harness.say("maria", "evaluation answer session=1@2026-03-05 answer1=4")
    assert "no longer taken" in text_of(typed)


async def test_a_meeting_without_an_evaluation_sends_nothing(harness: Harness) -> None:
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.say("admin", SCHEDULE)
    await reminder_service(harness).run_due()
    await harness.click("maria", poster.to("#announcements")[0].button("Going"))
    poster.posts.clear()
    await ended(harness)
    assert poster.posts == []


async def test_removed_evaluations_are_not_sent(harness: Harness) -> None:
    poster = await setup(harness)
    removed = text_of(await harness.say("admin", "meeting evaluation-remove 1"))
    assert "no longer has an evaluation" in removed
    await ended(harness)
    assert poster.posts == []
    again = text_of(await harness.say("admin", "meeting evaluation-remove 1"))
    assert "has no evaluation to remove" in again


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("meeting evaluation 9", "There is no meeting #9"),
        ("meeting evaluation 1 template=long", "no evaluation template long"),
        ("meeting evaluation 1", "already has an evaluation"),
    ],
)
async def test_bad_set_up_is_refused_with_a_sentence(
    harness: Harness, line: str, words: str
) -> None:
    await setup(harness)
    assert words in text_of(await harness.say("admin", line))


async def test_only_coordinators_set_up_evaluations(harness: Harness) -> None:
    await setup(harness)
    assert "Only" in text_of(await harness.say("maria", "meeting evaluation-remove 1"))


async def test_a_bad_usefulness_is_refused_beside_its_field(harness: Harness) -> None:
    poster = await setup(harness)
    await ended(harness)
    reply = await harness.say("maria", "evaluation answer session=1@2026-03-05 answer1=9")
    assert reply.invalid_field == "answer1" and "from 1 to 5" in text_of(reply)
    assert await harness.storage_count("evaluation_respondents") == 0
    del poster


async def test_leaving_anonymises_named_answers_and_export_lists_them(harness: Harness) -> None:
    poster = await setup(harness, "meeting evaluation 1 anonymous=no")
    await ended(harness)
    await answer_through_form(
        harness, "maria", asks(poster, "maria")[0], answer1="4", answer3="Data"
    )
    reply = await harness.say("maria", "export")
    assert reply.message is not None
    exported = json.loads(reply.message.attachments[0].content)["session_evaluations"]
    assert exported == [
        {
            "meeting": 1,
            "occurrence": "2026-03-05",
            "sent": True,
            "answered": True,
            "answers": ["4", "", "Data"],
        }
    ]
    leave = await harness.say("maria", "leave")
    assert leave.message is not None
    await harness.click("maria", leave.message.buttons[0])
    assert await harness.storage_count("evaluation_named") == 0
    assert await harness.storage_count("evaluation_respondents") == 0
    async with harness.storage.unit_of_work() as uow:
        (report,) = await uow.evaluations.report()
    assert report.usefulness == (4,) and report.texts == (
        ("What should we cover next?", "Data", None),
    )
