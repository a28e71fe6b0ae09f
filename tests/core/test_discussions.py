"""Discussions through the dispatcher: start, list, follow, close, replies and batched notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from bot.discussions.replies import notify_followers, record_reply, record_reply_now
from bot.messages import Message
from bot.ports import PostedMessage
from tests.harness import Harness, text_of
from tests.scheduling.support import RefPoster, with_ref_poster

START = 'discussion start title="Community advisory boards" question="How did you set yours up?" topics="Health equity, CAB"'


async def setup(harness: Harness) -> RefPoster:
    """An admin, a coordinator (Dana) and two members (Maria, Lee); posts that say where they went."""
    poster = with_ref_poster(harness)
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.join("lee", "Lee Park")
    await harness.say("admin", "role grant @dana coordinator")
    poster.posts.clear()
    return poster


async def started(harness: Harness, poster: RefPoster, line: str = START) -> str:
    reply = await harness.say("maria", line)
    assert "Started discussion" in text_of(reply), text_of(reply)
    return poster.posts[-1].ref.message_id


async def reply_in_thread(harness: Harness, thread: str, *, minutes: int = 0) -> bool:
    at = harness.clock.now() + timedelta(minutes=minutes)
    services = harness.dispatcher.services
    return await record_reply_now(services, "console", "#discussions", thread, at)


async def test_start_posts_the_opening_in_the_discussions_channel(harness: Harness) -> None:
    poster = await setup(harness)
    await started(harness, poster)
    (post,) = poster.to("#discussions")
    assert "Community advisory boards" in post.text and "How did you set yours up?" in post.text
    assert "Started by Maria Lopez" in post.text
    assert [(b.action, b.target) for b in post.message.buttons] == [("discussion.follow", "1")]


async def test_start_in_another_channel(harness: Harness) -> None:
    poster = await setup(harness)
    await started(harness, poster, START + " channel=#peer-learning")
    assert len(poster.to("#peer-learning")) == 1


async def test_a_blank_required_field_opens_the_form_with_the_rest_filled(
    harness: Harness,
) -> None:
    poster = await setup(harness)
    reply = await harness.say("maria", 'discussion start title="Boards" question=" "')
    assert reply.form is not None and reply.message is None
    values = {f.name: f.value for f in reply.form.fields}
    assert values["title"] == "Boards" and values["question"] == ""
    assert await harness.storage_count("discussions") == 0
    assert poster.posts == []


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        (f'discussion start title="{"x" * 121}" question="Why?"', "title", "at most 120"),
        (
            'discussion start title="Boards" question="Why?" channel="two words"',
            "channel",
            "not a channel name",
        ),
    ],
)
async def test_bad_input_is_refused_and_nothing_saved(
    harness: Harness, line: str, field: str, words: str
) -> None:
    poster = await setup(harness)
    reply = await harness.say("maria", line)
    assert reply.invalid_field == field, text_of(reply)
    assert words in text_of(reply)
    assert await harness.storage_count("discussions") == 0
    assert poster.posts == []


async def test_blank_title_from_a_platform_form_is_refused(harness: Harness) -> None:
    """Slack and Discord hand in options without the chat parser: they are checked all the same."""
    poster = await setup(harness)
    reply = await harness.run(
        "maria", ("discussion", "start"), title="   ", question="Why?", from_form=True
    )
    assert reply.invalid_field == "title" and "title is required" in text_of(reply)
    assert await harness.storage_count("discussions") == 0
    assert poster.posts == []


async def test_list_open_first_with_topic_and_word_filters(harness: Harness) -> None:
    poster = await setup(harness)
    await started(harness, poster)
    await started(
        harness,
        poster,
        'discussion start title="Heat plans" question="Who runs cooling centers?" topics=Climate',
    )
    await harness.say("maria", "discussion close id=1")
    listed = text_of(await harness.say("lee", "discussion list"))
    assert listed.index("Heat plans") < listed.index("Community advisory boards")
    assert "(closed)" in listed and "0 replies" in listed
    by_topic = text_of(await harness.say("lee", "discussion list topic=climate"))
    assert "Heat plans" in by_topic and "Community advisory" not in by_topic
    by_words = text_of(await harness.say("lee", "discussion list advisory boards"))
    assert "Community advisory boards" in by_words and "Heat plans" not in by_words
    nothing = text_of(await harness.say("lee", "discussion list zebra"))
    assert "No discussion matches" in nothing


async def test_replies_are_counted_only_in_threads_the_bot_opened(harness: Harness) -> None:
    poster = await setup(harness)
    thread = await started(harness, poster)
    assert await reply_in_thread(harness, thread, minutes=5)
    assert await reply_in_thread(harness, thread, minutes=3)  # out of order: count, keep latest
    assert not await reply_in_thread(harness, "999")
    async with harness.storage.unit_of_work() as uow:
        discussion = await uow.discussions.get(1)
    assert discussion is not None
    assert discussion.replies == 2
    assert discussion.last_activity == harness.clock.now() + timedelta(minutes=5)


@pytest.mark.both_databases
async def test_followers_get_one_message_per_batch(harness: Harness) -> None:
    poster = await setup(harness)
    thread = await started(harness, poster)
    assert "You now follow" in text_of(await harness.say("lee", "discussion follow id=1"))
    assert "already follow" in text_of(await harness.say("lee", "discussion follow id=1"))
    services = harness.dispatcher.services
    assert await notify_followers(services) == 0  # no replies yet
    for _ in range(3):
        await reply_in_thread(harness, thread)
    assert await notify_followers(services) == 2  # Maria (the starter) and Lee, once each
    (to_lee,) = poster.to("@lee")
    assert "3 new replies" in to_lee.text and "Community advisory boards" in to_lee.text
    await reply_in_thread(harness, thread)
    harness.clock.advance(timedelta(minutes=59))
    assert await notify_followers(services) == 0  # within the hour: held back
    harness.clock.advance(timedelta(minutes=1))
    assert await notify_followers(services) == 2
    assert "1 new reply in" in poster.to("@lee")[-1].text
    assert await notify_followers(services) == 0  # told already
    await harness.say("lee", "discussion unfollow id=1")
    await reply_in_thread(harness, thread)
    harness.clock.advance(timedelta(hours=1))
    assert await notify_followers(services) == 1
    assert len(poster.to("@lee")) == 2


async def test_follow_button_follows(harness: Harness) -> None:
    poster = await setup(harness)
    await started(harness, poster)
    (button,) = poster.to("#discussions")[0].message.buttons
    assert "You now follow" in text_of(await harness.click("lee", button))


async def test_following_unknown_or_closed_is_refused(harness: Harness) -> None:
    poster = await setup(harness)
    await started(harness, poster)
    assert "no discussion number 7" in text_of(await harness.say("lee", "discussion follow id=7"))
    await harness.say("maria", "discussion close id=1")
    reply = await harness.say("lee", "discussion follow id=1")
    assert "is closed" in text_of(reply)
    assert await harness.storage_count("discussion_followers") == 1  # the starter only
    assert "don't follow" in text_of(await harness.say("lee", "discussion unfollow id=1"))


async def test_close_by_starter_with_summary(harness: Harness) -> None:
    poster = await setup(harness)
    thread = await started(harness, poster)
    reply = await harness.say("maria", 'discussion close id=1 summary="Start small; pay members."')
    assert "Closed Community advisory boards" in text_of(reply)
    # The recording poster has no threads: the note goes to the thread's channel.
    note = poster.posts[-1]
    assert note.where.endswith("#discussions")
    assert "closed" in note.text and "Start small; pay members." in note.text
    assert not await reply_in_thread(harness, thread)  # closed: no longer counted
    again = await harness.say("dana", "discussion close id=1")
    assert "already closed" in text_of(again)


async def test_only_the_starter_or_a_coordinator_closes(harness: Harness) -> None:
    poster = await setup(harness)
    await started(harness, poster)
    refused = await harness.say("lee", "discussion close id=1")
    assert "Only the member who started" in text_of(refused)
    async with harness.storage.unit_of_work() as uow:
        discussion = await uow.discussions.get(1)
    assert discussion is not None and discussion.is_open
    assert "Closed" in text_of(await harness.say("dana", "discussion close id=1"))


@dataclass
class ThreadingPoster(RefPoster):
    """A platform with threads, as Discord: the thread is a channel of its own."""

    opened: list[tuple[PostedMessage, str]] = field(default_factory=list)
    in_threads: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)

    async def open_thread(self, posted: PostedMessage, title: str) -> PostedMessage:
        self.opened.append((posted, title))
        return PostedMessage(self.platform, f"thread-{posted.message_id}", posted.message_id)

    async def post_in_thread(self, thread: PostedMessage, message: Message) -> None:
        self.in_threads.append((thread.channel, message.fallback_text()))

    async def close_thread(self, thread: PostedMessage) -> None:
        self.closed.append(thread.channel)


async def test_a_platform_with_threads_gets_the_thread_and_the_closing_note(
    harness: Harness,
) -> None:
    await setup(harness)
    poster = ThreadingPoster("console")
    harness.dispatcher.broadcaster.disconnect("console")
    harness.dispatcher.broadcaster.connect(poster)
    await harness.say("maria", START)
    ((opening, title),) = poster.opened
    assert title == "Community advisory boards" and opening.channel == "#discussions"
    services = harness.dispatcher.services
    thread = opening.message_id
    assert await record_reply(services, "console", f"thread-{thread}", thread, harness.clock.now())
    assert not await record_reply(services, "console", "#discussions", thread, harness.clock.now())
    await harness.say("maria", 'discussion close id=1 summary="Pay members."')
    assert (
        poster.in_threads == [(f"thread-{thread}", poster.in_threads[0][1])]
        and "Pay members." in poster.in_threads[0][1]
    )
    assert poster.closed == [f"thread-{thread}"]
    assert len(poster.to("#discussions")) == 1  # only the opening: the note went in the thread


@pytest.mark.both_databases
async def test_a_batch_claimed_by_an_instance_that_died_is_resent_not_lost(
    harness: Harness,
) -> None:
    poster = await setup(harness)
    thread = await started(harness, poster)
    await harness.say("lee", "discussion follow id=1")
    for _ in range(2):
        await reply_in_thread(harness, thread)
    now = harness.clock.now()
    async with harness.storage.unit_of_work() as uow:  # claimed as notify_followers would ...
        (due,) = await uow.discussions.unnotified(now, now)
        assert await uow.discussions.claim_notice(due.id, due.notified_replies, now, now)
        await uow.commit()  # ... and the process died before posting
    services = harness.dispatcher.services
    assert await notify_followers(services) == 0  # the claim may still be posting
    timeout = timedelta(seconds=harness.config.meetings.claim_timeout_seconds)
    harness.clock.advance(timeout - timedelta(seconds=1))
    assert await notify_followers(services) == 0
    harness.clock.advance(timedelta(seconds=2))
    await reply_in_thread(harness, thread)  # one more since: told in the same batch
    assert await notify_followers(services) == 2  # taken over: Maria and Lee, once each
    (to_lee,) = poster.to("@lee")
    assert "3 new replies" in to_lee.text
    harness.clock.advance(timedelta(hours=2))
    assert await notify_followers(services) == 0  # marked told after the posts
