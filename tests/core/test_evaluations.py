"""Session evaluations through the dispatcher: set up, sent at the end, answered, reminded."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from pydantic import ValidationError

from adapters.scheduling import Scheduler
from bot.capability_settings import Evaluations
from bot.config import Config
from bot.evaluations.sending import EvaluationSending
from bot.meetings.cards import CHECKIN_ACTION
from bot.messages import Button, Form
from storage import Storage
from tests.core.test_reminders import FIRST, SCHEDULE
from tests.evaluation_answers import answers_read_back
from tests.harness import Harness, text_of
from tests.scheduling.support import Post, RefPoster, reminder_service, with_ref_poster

END = FIRST + timedelta(hours=1)  # the first session, 9am-10am in Los Angeles


async def setup(harness: Harness, line: str = "evaluation add 1") -> RefPoster:
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
    values = form.submitted({f.name: f.value for f in form.fields} | answers)
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
async def test_those_who_checked_in_without_answering_are_asked_too(harness: Harness) -> None:
    poster = await setup(harness)
    harness.clock.set(FIRST + timedelta(minutes=5))
    here = Button("I'm here", CHECKIN_ACTION, "1@2026-03-05")
    for user in ("sam", "maria"):  # Sam never answered; Maria said Going and came
        assert "checked in" in text_of(await harness.click(user, here))
    await ended(harness)
    assert [len(asks(poster, who)) for who in ("sam", "maria", "lee")] == [1, 1, 1]


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
    # The session is carried, not asked: only the questions are shown.
    assert [f.label for f in form.fields] == [
        "How useful was this session?",
        "What will you use in your work?",
        "What should we cover next?",
    ]
    assert form.carried == (("session", "1@2026-03-05"),)
    assert form.fields[0].choices == ("1", "2", "3", "4", "5")
    done = await answer_through_form(
        harness, "maria", post, answer1="4", answer2="The line list template"
    )
    assert "saved, without your name" in done
    again = text_of(await harness.click("maria", post.message.buttons[0]))
    assert "already answered" in again and "cannot be changed" in again
    assert await harness.storage_count("evaluation_respondents") == 1
    assert await harness.storage_count("evaluation_named") == 0
    async with harness.storage.unit_of_work() as uow:
        (report,) = await answers_read_back(uow.session)
    assert report.responses == 1 and report.usefulness == (4,) and report.sent == 2
    assert report.texts == (("What will you use in your work?", "The line list template", None),)


async def test_the_form_is_in_the_members_language(harness: Harness) -> None:
    poster = await setup(harness)
    await ended(harness)
    form = (await harness.click("lee", asks(poster, "lee")[0].message.buttons[0])).form
    assert form is not None and form.language == "es"
    assert form.fields[0].label == "¿Qué tan útil fue esta sesión?"


async def test_a_named_answer_can_be_changed_within_the_window(harness: Harness) -> None:
    poster = await setup(harness, "evaluation add 1 anonymous=no")
    await ended(harness)
    post = asks(poster, "maria")[0]
    assert "named" in post.text
    assert "saved with your name" in await answer_through_form(harness, "maria", post, answer1="2")
    offer = await harness.click("maria", post.message.buttons[0])
    assert "already answered" in text_of(offer)
    assert offer.message is not None
    change = await harness.click("maria", offer.message.buttons[0])
    assert change.form is not None and change.form.fields[0].value == "2"
    values = change.form.submitted({f.name: f.value for f in change.form.fields} | {"answer1": "5"})
    changed = await harness.run("maria", change.form.command, from_form=True, **values)
    assert "changed" in text_of(changed)
    async with harness.storage.unit_of_work() as uow:
        (report,) = await answers_read_back(uow.session)
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
    removed = text_of(await harness.say("admin", "evaluation remove 1"))
    assert "no longer has an evaluation" in removed
    await ended(harness)
    assert poster.posts == []
    again = text_of(await harness.say("admin", "evaluation remove 1"))
    assert "has no evaluation to remove" in again


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("evaluation add 9", "There is no meeting #9"),
        ("evaluation add 1 template=long", "no evaluation template long"),
        ("evaluation add 1", "already has an evaluation"),
    ],
)
async def test_bad_set_up_is_refused_with_a_sentence(
    harness: Harness, line: str, words: str
) -> None:
    await setup(harness)
    assert words in text_of(await harness.say("admin", line))


async def test_only_coordinators_set_up_evaluations(harness: Harness) -> None:
    await setup(harness)
    assert "Only" in text_of(await harness.say("maria", "evaluation remove 1"))


async def test_a_bad_usefulness_is_refused_beside_its_field(harness: Harness) -> None:
    poster = await setup(harness)
    await ended(harness)
    reply = await harness.say("maria", "evaluation answer session=1@2026-03-05 answer1=9")
    assert reply.invalid_field == "answer1" and "from 1 to 5" in text_of(reply)
    assert await harness.storage_count("evaluation_respondents") == 0
    del poster


async def test_leaving_anonymises_named_answers_and_export_lists_them(harness: Harness) -> None:
    poster = await setup(harness, "evaluation add 1 anonymous=no")
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
        (report,) = await answers_read_back(uow.session)
    assert report.usefulness == (4,) and report.texts == (
        ("What should we cover next?", "Data", None),
    )


def test_templates_come_from_the_config_and_are_checked() -> None:
    short = Evaluations.model_validate(
        {"templates": {"short": [{"text": "Worth it?", "kind": "scale"}]}}
    )
    assert set(short.templates) == {"default", "short"}
    for bad in (
        [{"text": f"Q{n}?"} for n in range(5)],
        [],
        [{"text": "x" * 46}],
        [{"text": "Useful {really}?"}],
        [{"text": "Useful?", "kind": "stars"}],
    ):
        with pytest.raises(ValidationError):
            Evaluations.model_validate({"templates": {"bad": bad}})


async def test_a_template_of_the_coalitions_own_is_asked_as_written(sqlite: Storage) -> None:
    templates = {"short": [{"text": "Worth your time?", "kind": "scale"}]}
    harness = Harness(sqlite, Config.model_validate({"evaluations": {"templates": templates}}))
    poster = await setup(harness, "evaluation add 1 template=short anonymous=no")
    await ended(harness)
    form = (await harness.click("lee", asks(poster, "lee")[0].message.buttons[0])).form
    assert form is not None and [f.label for f in form.fields] == ["Worth your time?"]


@pytest.mark.both_databases
async def test_the_scheduler_plans_a_job_at_the_end_and_it_sends_then(harness: Harness) -> None:
    poster = await setup(harness)
    services = harness.dispatcher.services
    scheduler = Scheduler(
        harness.storage, services.broadcaster, harness.clock, harness.config, owner="test"
    )
    scheduler.plan(sending(harness))
    scheduler.is_leader = True  # alone: no lock to take, and no timer fires by itself
    try:
        harness.clock.set(END - timedelta(hours=1))
        await scheduler.sweep()
        assert END in scheduler.planned_instants
        assert asks(poster, "maria") == []
        harness.clock.set(END)  # the planned job fires: a sweep
        await scheduler.sweep()
        assert len(asks(poster, "maria")) == 1
        reminder = END + timedelta(days=2)
        harness.clock.set(reminder - timedelta(hours=1))
        await scheduler.sweep()
        assert reminder in scheduler.planned_instants
        harness.clock.set(reminder)
        await scheduler.sweep()
        assert len(asks(poster, "maria")) == 2 and "Reminder" in asks(poster, "maria")[1].text
    finally:
        await scheduler.close()


async def test_a_missing_usefulness_is_asked_for_beside_its_field(harness: Harness) -> None:
    await setup(harness)
    await ended(harness)
    reply = await harness.say("maria", 'evaluation answer session=1@2026-03-05 answer2="Maps"')
    assert reply.invalid_field == "answer1"
    assert "How useful was this session? with a number from 1 to 5." in text_of(reply)


@pytest.mark.both_databases
async def test_failed_dms_and_post_are_taken_again_after_the_claim_timeout(
    harness: Harness,
) -> None:
    poster = await setup(harness)
    poster.failures = 3  # both DMs and the channel post: the platform is down
    await ended(harness)
    assert poster.posts == []
    timeout = timedelta(seconds=harness.config.meetings.claim_timeout_seconds)
    harness.clock.set(END + timeout - timedelta(seconds=1))
    await sending(harness).run_due()
    assert poster.posts == []  # still held by the claims that failed
    harness.clock.set(END + timeout)
    await asyncio.gather(sending(harness).run_due(), sending(harness).run_due())
    assert len(asks(poster, "maria")) == 1 and len(asks(poster, "lee")) == 1
    assert len(poster.to("#announcements")) == 1
    harness.clock.set(END + timeout * 3)
    await sending(harness).run_due()
    assert len(poster.posts) == 3


async def test_a_too_long_answer_names_its_question_not_a_field(harness: Harness) -> None:
    """The form's fields are answer1, answer2...: a refusal that said "answer2 can be at
    most 1000 characters" meant nothing to the member, who sees the question."""
    poster = await setup(harness)
    await ended(harness)
    (post,) = asks(poster, "maria")
    said = await answer_through_form(harness, "maria", post, answer1="4", answer2="y" * 3000)
    assert "Your answer to What will you use in your work? can be at most 1000" in said
    assert "yours has 3000" in said and "answer2" not in said
    (post,) = asks(poster, "lee")
    dicho = await answer_through_form(harness, "lee", post, answer1="4", answer3="y" * 1001)
    assert "Su respuesta a ¿Qué deberíamos tratar la próxima vez?" in dicho
    assert await harness.storage_count("evaluation_respondents") == 0
