"""Office-hours questions through the dispatcher: ask, upvote, list, answer, hide, leave."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

import pytest

from bot.config import CoalitionSettings, Config, Lists
from bot.messages import Message
from bot.posted import PostedMessage
from bot.questions.promote import qa_type
from storage import Storage
from tests.harness import Harness, text_of
from tests.scheduling.support import Post, RefPoster, reminder_service, with_ref_poster

ASK = 'question ask question="How do we report a cluster of cases?" topics="Reporting"'


async def setup(harness: Harness) -> RefPoster:
    """An admin, a coordinator (Dana) and two members (Maria, Lee)."""
    poster = with_ref_poster(harness)
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.join("lee", "Lee Park")
    await harness.say("admin", "role grant @dana coordinator")
    poster.posts.clear()
    return poster


async def asked(harness: Harness, poster: RefPoster, line: str = ASK) -> Post:
    reply = await harness.say("maria", line)
    assert "Asked question" in text_of(reply), text_of(reply)
    return poster.posts[-1]


async def linked(harness: Harness, user: str, other: str) -> None:
    code = text_of(await harness.say(user, "link")).split("code=")[1].split()[0]
    assert "now belongs to" in text_of(await harness.say(other, f"link code={code}"))


async def test_ask_posts_to_office_hours_with_an_upvote_button(harness: Harness) -> None:
    poster = await setup(harness)
    post = await asked(harness, poster)
    assert post.where == "#office-hours"
    assert "How do we report a cluster" in post.text and "Maria Lopez" in post.text
    assert "Reporting" in post.text and "0 upvotes" in post.text
    assert [(b.label, b.target) for b in post.message.buttons] == [("Upvote", "1")]


async def test_no_options_opens_the_form(harness: Harness) -> None:
    await setup(harness)
    reply = await harness.say("maria", "question ask")
    assert reply.form is not None
    assert {f.name for f in reply.form.fields} >= {"question", "topics", "anonymous", "meeting"}


async def test_anonymous_shows_no_name_but_admins_see_who_asked(harness: Harness) -> None:
    poster = await setup(harness)
    post = await asked(harness, poster, ASK + " anonymous=yes")
    assert "Maria" not in post.text and "Anonymous" in post.text
    await harness.click("lee", post.button("Upvote"))
    assert "Maria" not in post.text
    coordinator = text_of(await harness.say("dana", "question list"))
    assert "Anonymous" in coordinator and "Maria" not in coordinator
    admin = text_of(await harness.say("admin", "question list"))
    assert "Maria Lopez" in admin
    # Answered: the asker is told privately, and the post still names nobody.
    await harness.say("dana", 'question answer 1 answer="Use form 12"')
    assert "Maria" not in post.text and "Use form 12" in post.text
    (told,) = poster.to("@maria")
    assert "Your question #1 was answered" in told.text


@pytest.mark.both_databases
async def test_upvotes_count_once_per_member_across_linked_accounts(harness: Harness) -> None:
    poster = await setup(harness)
    post = await asked(harness, poster)
    await linked(harness, "lee", "lee2")
    replies = await asyncio.gather(
        harness.click("lee", post.button("Upvote")),
        harness.click("lee2", post.button("Upvote")),
    )
    said = sorted(text_of(r) for r in replies)
    assert "already upvoted this question" in said[0] and "You upvoted" in said[1]
    assert "1 upvote" in post.text and await harness.storage_count("question_upvotes") == 1
    await harness.click("dana", post.button("Upvote"))
    assert "2 upvotes" in post.text


async def test_own_question_cannot_be_upvoted(harness: Harness) -> None:
    poster = await setup(harness)
    post = await asked(harness, poster)
    own = text_of(await harness.click("maria", post.button("Upvote")))
    assert "You asked this question, so you cannot upvote it." in own
    assert "0 upvotes" in post.text


@pytest.mark.both_databases
async def test_list_is_for_coordinators_most_upvoted_first(harness: Harness) -> None:
    poster = await setup(harness)
    await asked(harness, poster, 'question ask question="First one?"')
    second = await asked(harness, poster, 'question ask question="Second one?"')
    await harness.click("lee", second.button("Upvote"))
    assert "coordinators" in text_of(await harness.say("lee", "question list"))
    listed = text_of(await harness.say("dana", "question list"))
    assert listed.index("Second one?") < listed.index("First one?")


async def test_list_by_meeting(harness: Harness) -> None:
    poster = await setup(harness)
    refused = text_of(await harness.say("maria", ASK + " meeting=9"))
    assert "There is no meeting #9. Type /coalition meeting list to see" in refused
    await asked(harness, poster)
    assert "No open questions." in text_of(await harness.say("dana", "question list meeting=9"))


@pytest.mark.both_databases
async def test_answer_once_tells_the_asker_and_shows_on_the_post(harness: Harness) -> None:
    poster = await setup(harness)
    post = await asked(harness, poster)
    done = text_of(await harness.say("dana", 'question answer 1 answer="https://example.org/g"'))
    assert "Answered question #1" in done
    assert "https://example.org/g" in post.text and post.edits[-1].buttons == ()
    (told,) = poster.to("@maria")
    assert "https://example.org/g" in told.text
    again = text_of(await harness.say("admin", 'question answer 1 answer="Other"'))
    assert "Question #1 was already answered by Dana Reyes on" in again
    assert "No open questions." in text_of(await harness.say("dana", "question list"))
    late = text_of(await harness.click("lee", post.button("Upvote")))
    assert "answered or hidden" in late


async def test_hide_removes_it_from_the_post_and_queue(harness: Harness) -> None:
    poster = await setup(harness)
    post = await asked(harness, poster)
    assert "coordinators" in text_of(await harness.say("lee", "question hide 1"))
    assert "Hid question #1" in text_of(await harness.say("dana", "question hide 1"))
    assert "hidden by a coordinator" in post.text and "cluster" not in post.text
    assert "No open questions." in text_of(await harness.say("dana", "question list"))
    assert "already hidden" in text_of(await harness.say("dana", "question hide 1"))
    for line in ("question hide 99", "question answer 99 answer=Yes", "question promote 99"):
        missing = text_of(await harness.say("dana", line))
        assert "There is no question #99. Type /coalition question list to see" in missing


async def test_a_2000_character_question_is_refused_with_a_sentence(harness: Harness) -> None:
    poster = await setup(harness)
    reply = text_of(await harness.say("maria", 'question ask question="' + "x" * 2000 + '"'))
    assert "at most 1000 characters" in reply, reply
    assert poster.posts == [] and await harness.storage_count("questions") == 0


async def test_an_empty_typed_question_opens_the_form(harness: Harness) -> None:
    poster = await setup(harness)
    reply = await harness.say("maria", 'question ask question="  " topics="Reporting"')
    assert reply.form is not None
    assert poster.posts == [] and await harness.storage_count("questions") == 0


async def test_an_empty_question_from_a_platform_form_is_refused(harness: Harness) -> None:
    poster = await setup(harness)
    reply = await harness.run("maria", ("question", "ask"), question="   ", from_form=True)
    assert reply.invalid_field == "question" and "question is required" in text_of(reply)
    assert poster.posts == [] and await harness.storage_count("questions") == 0


@pytest.mark.both_databases
async def test_leaving_anonymises_questions_and_upvotes_keep_their_count(
    harness: Harness,
) -> None:
    poster = await setup(harness)
    mine = await asked(harness, poster)
    theirs = await asked(harness, poster, 'question ask question="Other?"')
    await harness.click("lee", mine.button("Upvote"))
    reply = await harness.say("maria", "export")
    assert reply.message is not None
    exported = json.loads(reply.message.attachments[0].content)["questions"]
    assert [q["question"] for q in exported] == [1, 2]
    assert theirs is not None
    leave = await harness.say("lee", "leave")
    assert leave.message is not None
    await harness.click("lee", leave.message.buttons[0])
    leave = await harness.say("maria", "leave")
    assert leave.message is not None
    await harness.click("maria", leave.message.buttons[0])
    assert await harness.storage_count("question_upvotes") == 0
    listed = text_of(await harness.say("admin", "question list"))
    assert "1 upvote" in listed and "Maria" not in listed and "Former member" in listed


async def test_promote_an_answer_into_the_library_through_review(harness: Harness) -> None:
    poster = await setup(harness)
    await asked(harness, poster)
    early = text_of(await harness.say("dana", "question promote 1"))
    assert "has no answer yet" in early
    await harness.say("dana", 'question answer 1 answer="Call the county clerk"')
    not_link = text_of(await harness.say("dana", "question promote 1"))
    assert "is not a link" in not_link
    done = await harness.say("dana", "question promote 1 url=https://example.org/faq")
    assert "sent" in text_of(done) and "for review" in text_of(done)
    (review,) = poster.to("#coordinators")
    assert "How do we report a cluster of cases?" in review.text and "Q&A" in review.text
    again = text_of(await harness.say("dana", "question promote 1 url=https://example.org/faq"))
    assert "already suggested" in again


async def promoted_type(harness: Harness) -> str:
    return (await promoted(harness))[0]


async def promoted(harness: Harness) -> tuple[str, RefPoster]:
    poster = await setup(harness)
    await asked(harness, poster)
    await harness.say("dana", 'question answer 1 answer="https://example.org/faq"')
    done = await harness.say("dana", "question promote 1")
    assert "for review" in text_of(done), text_of(done)
    async with harness.storage.unit_of_work() as uow:
        resource = await uow.resources.get(1)
    assert resource is not None
    return resource.type, poster


@pytest.mark.both_databases
async def test_a_promoted_answer_is_a_q_and_a_members_can_search_by(harness: Harness) -> None:
    assert "Q&A" in harness.config.lists.resource_types  # a default type
    kind, poster = await promoted(harness)
    assert kind == "Q&A"
    (review,) = poster.to("#coordinators")
    approve = next(b for b in review.message.buttons if b.action == "resource.approve")
    await harness.click("dana", approve)
    found = text_of(await harness.say("maria", 'resource search type="Q&A"'))
    assert "How do we report a cluster of cases?" in found, found


async def test_a_config_without_q_and_a_files_promoted_answers_as_other(database: Storage) -> None:
    """A config.toml written before "Q&A" was a default still works."""
    types = ("law", "toolkit", "Other")
    config = Config(lists=Lists(resource_types=types))
    assert await promoted_type(Harness(database, config)) == "Other"


async def promoted_language(
    harness: Harness, asker: str, line: str, *, leaves: bool = False
) -> str:
    """Dana (English) promotes the answer to `asker`'s question; the library entry's language."""
    poster = await setup(harness)
    await harness.say("lee", "profile edit language=es")
    await harness.say("dana", "profile edit language=en")
    await harness.say("maria", "profile edit language=en")
    reply = await harness.say(asker, line)
    assert "Asked question" in text_of(reply) or "Pregunta" in text_of(reply), text_of(reply)
    await harness.say("dana", 'question answer 1 answer="https://example.org/preguntas"')
    if leaves:
        leave = await harness.say(asker, "leave")
        assert leave.message is not None
        await harness.click(asker, leave.message.buttons[0])
    done = await harness.say("dana", "question promote 1")
    assert "for review" in text_of(done), text_of(done)
    assert poster.to("#coordinators")
    async with harness.storage.unit_of_work() as uow:
        resource = await uow.resources.get(1)
    assert resource is not None
    return resource.language


ASK_ES = 'question ask question="¿Cómo reportamos un brote?"'


@pytest.mark.both_databases
async def test_a_promoted_question_is_filed_in_its_askers_language(harness: Harness) -> None:
    assert await promoted_language(harness, "lee", ASK_ES) == "es"


@pytest.mark.both_databases
async def test_an_anonymous_question_is_filed_in_the_coalitions_language(
    database: Storage,
) -> None:
    # Anonymous: the asker's language could hint at who asked, so the coalition's is used
    # (neither Maria's nor Dana's, both English).
    spanish = Config(coalition=CoalitionSettings(language="es"))
    anonymous = ASK + " anonymous=yes"
    assert await promoted_language(Harness(database, spanish), "maria", anonymous) == "es"


@pytest.mark.both_databases
async def test_a_departed_askers_question_is_filed_in_the_coalitions_language(
    database: Storage,
) -> None:
    spanish = Config(coalition=CoalitionSettings(language="es"))
    assert await promoted_language(Harness(database, spanish), "maria", ASK, leaves=True) == "es"


def test_the_q_and_a_type_is_found_however_the_config_spells_it() -> None:
    assert qa_type(("law", "Q & A", "other")) == "Q & A"
    assert qa_type(("law", "q&a")) == "q&a"
    assert qa_type(("law", "toolkit")) == "Q&A"  # nothing to match: still named as asked


@dataclass
class ThreadedPoster(RefPoster):
    """A platform with threads: a message in a thread is a post that can be edited."""

    def __post_init__(self) -> None:
        self.thread_of: dict[str, PostedMessage] = {}

    async def open_thread(self, posted: PostedMessage, title: str) -> PostedMessage:
        return PostedMessage(self.platform, f"thread-{posted.message_id}", posted.message_id)

    async def post_in_thread(self, thread: PostedMessage, message: Message) -> PostedMessage:
        ref = PostedMessage(self.platform, thread.channel, str(len(self.posts) + 1))
        self.posts.append(Post(f"thread:{thread.channel}", message, ref))
        return ref

    async def close_thread(self, thread: PostedMessage) -> None:
        return None


MEETING = (
    'meeting schedule title="Office hours" date=2026-03-05 time=9am '
    "timezone=America/Los_Angeles repeat=weekly"
)


@pytest.mark.both_databases
async def test_a_question_for_a_meeting_goes_to_its_discussions_thread(harness: Harness) -> None:
    await setup(harness)
    poster = ThreadedPoster()
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(poster)
    assert "Scheduled" in text_of(await harness.say("admin", MEETING))
    await reminder_service(harness).run_due()

    # No discussion yet: the office-hours channel.
    first = text_of(await harness.say("maria", ASK + " meeting=1"))
    assert "posting it in #office-hours" in first, first
    assert poster.posts[-1].where == "#office-hours"

    (card,) = poster.to("#announcements")
    await harness.click("lee", card.button("Agenda and notes"))  # the Mar 5 occurrence's
    asked_in_thread = await harness.say(
        "maria", 'question ask question="Is the deadline moving?" meeting=1 anonymous=yes'
    )
    said = text_of(asked_in_thread)
    assert "in the thread of Office hours — Mar 5, 2026" in said and "It shows no name" in said
    post = poster.posts[-1]
    assert post.where.startswith("thread:thread-") and "Is the deadline moving?" in post.text
    await harness.click("lee", post.button("Upvote"))
    assert "1 upvote" in post.text  # the post in the thread is kept current

    # Without a meeting, as before.
    await harness.say("maria", 'question ask question="Any news?"')
    assert poster.posts[-1].where == "#office-hours"
