"""Polls through the dispatcher: create, vote by button, change, close by command and at its time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from adapters.scheduling import Scheduler
from bot.polls.closing import PollClosing
from bot.polls.edits import PollEdits
from tests.harness import Harness, text_of
from tests.scheduling.support import Post, RefPoster, with_ref_poster

CREATE = (
    'poll create question="Which day suits the training?" options="Tuesday, Wednesday, Thursday"'
)


async def setup(harness: Harness) -> RefPoster:
    """An admin, a coordinator (Dana) and two members (Maria, Lee); posts that say where they went.

    The posts are edited on every vote here, so each test reads them right after a click;
    the pace of edits (one per second per post) is tested in test_poll_edits.py.
    """
    poster = with_ref_poster(harness)
    services = harness.dispatcher.services
    services.add(PollEdits(services, interval=0))
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.join("lee", "Lee Park")
    await harness.say("admin", "role grant @dana coordinator")
    poster.posts.clear()
    return poster


async def created(harness: Harness, poster: RefPoster, line: str = CREATE) -> Post:
    reply = await harness.say("maria", line)
    assert "Created poll" in text_of(reply), text_of(reply)
    return poster.posts[-1]


async def test_create_posts_the_poll_with_a_button_per_option(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster)
    assert post.where == "#announcements"
    assert "Which day suits the training?" in post.text
    assert [b.label for b in post.message.buttons] == ["Tuesday", "Wednesday", "Thursday"]
    assert [b.target for b in post.message.buttons] == ["1:0", "1:1", "1:2"]


async def test_votes_update_the_post_with_result_bars_and_can_change(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster)
    assert "You voted for Tuesday" in text_of(await harness.click("lee", post.button("Tuesday")))
    assert "█" * 10 in post.text and "1 vote (100%)" in post.text
    changed = await harness.click("lee", post.button("Thursday"))
    assert "changed your vote to Thursday" in text_of(changed)
    await harness.click("maria", post.button("Thursday"))
    assert "2 votes (100%)" in post.text and "2 members have voted" in post.text
    assert "0 votes (0%)" in post.text


async def test_one_vote_per_member_from_a_linked_account(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster)
    code = text_of(await harness.say("lee", "link")).split("code=")[1].split()[0]
    linked = await harness.say("lee2", f"link code={code}")
    assert "now belongs to Lee Park" in text_of(linked)
    await harness.click("lee", post.button("Tuesday"))
    await harness.click("lee2", post.button("Wednesday"))
    assert "1 member has voted" in post.text
    assert "0 votes (0%)" in post.text.split("Wednesday")[0].split("Tuesday")[1]


async def test_multiple_choice_toggles(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster, CREATE + " multiple=yes")
    await harness.click("lee", post.button("Tuesday"))
    await harness.click("lee", post.button("Wednesday"))
    assert "2 votes" not in post.text and "1 member has voted" in post.text
    taken = await harness.click("lee", post.button("Tuesday"))
    assert "took back your vote for Tuesday" in text_of(taken)
    assert await harness.storage_count("poll_choices") == 1


async def test_results_hidden_until_close(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster, CREATE + " results=at-close")
    await harness.click("lee", post.button("Tuesday"))
    assert "1 vote" not in post.text and "shown when the poll closes" in post.text
    await harness.say("maria", "poll close 1")
    assert "1 vote (100%)" in post.text and post.edits[-1].buttons == ()
    (results,) = [p for p in poster.to("#announcements") if "Poll closed" in p.text]
    assert "1 vote (100%)" in results.text


async def test_anonymous_poll_keeps_no_member_with_the_answer(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster, CREATE + " anonymous=yes")
    await harness.click("lee", post.button("Tuesday"))
    again = await harness.click("lee", post.button("Wednesday"))
    assert "already voted in this anonymous poll" in text_of(again)
    assert await harness.storage_count("poll_choices") == 0
    assert await harness.storage_count("poll_voters") == 1
    assert "1 vote (100%)" in post.text


async def test_close_by_creator_or_coordinator_only_and_once(harness: Harness) -> None:
    poster = await setup(harness)
    await created(harness, poster)
    refused = await harness.say("lee", "poll close 1")
    assert "Only the member who created poll #1 or a coordinator" in text_of(refused)
    assert "Closed poll #1" in text_of(await harness.say("dana", "poll close 1"))
    assert "Poll #1 is already closed." in text_of(await harness.say("maria", "poll close 1"))
    missing = text_of(await harness.say("maria", "poll close 99"))
    assert "There is no poll #99. Type /coalition poll list to see the polls" in missing


async def test_a_vote_on_a_closed_poll_is_refused_with_the_results(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster)
    await harness.click("lee", post.button("Tuesday"))
    await harness.say("maria", "poll close 1")
    late = text_of(await harness.click("maria", post.button("Wednesday")))
    assert "This poll is closed" in late and "1 vote (100%)" in late


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('poll create question="Q?" options="Only one"', "from 2 to 10 options"),
        (
            'poll create question="Q?" options="' + ", ".join(f"o{i}" for i in range(11)) + '"',
            "you gave 11",
        ),
        ('poll create question="Q?" options="Yes, yes"', "is there twice"),
        (f'poll create question="{"x" * 2000}" options="a, b"', "at most 300 characters"),
        ('poll create question="Q?" options="a, b" date=2026-03-01', "has already passed"),
        ('poll create question="Q?" options="a, b" anonymous=yes multiple=yes', "one final"),
    ],
)
async def test_bad_input_is_refused_with_a_sentence(
    harness: Harness, line: str, words: str
) -> None:
    poster = await setup(harness)
    reply = text_of(await harness.say("maria", line))
    assert words in reply, reply
    assert poster.posts == [] and await harness.storage_count("polls") == 0


async def test_an_empty_question_opens_the_form(harness: Harness) -> None:
    await setup(harness)
    reply = await harness.say("maria", 'poll create question=" " options="a, b"')
    assert reply.form is not None
    assert await harness.storage_count("polls") == 0


@pytest.mark.both_databases
async def test_closes_at_its_time_exactly_once(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster, CREATE + " date=2026-03-03 time=5pm")
    closing = harness.dispatcher.services.get(PollClosing)
    assert await closing.run_due() == 0
    harness.clock.advance(timedelta(days=2))
    closed = await asyncio.gather(closing.run_due(), closing.run_due())
    assert sorted(closed) == [0, 1]
    assert len([p for p in poster.to("#announcements") if "Poll closed" in p.text]) == 1
    assert post.edits[-1].buttons == ()


@pytest.mark.both_databases
async def test_the_scheduler_plans_a_job_at_the_closing_instant_and_it_closes_then(
    harness: Harness,
) -> None:
    poster = await setup(harness)
    services = harness.dispatcher.services
    scheduler = Scheduler(
        harness.storage, services.broadcaster, harness.clock, harness.config, owner="test"
    )
    scheduler.plan(services.get(PollClosing))
    scheduler.is_leader = True  # alone: no lock to take, and no timer fires by itself
    try:
        post = await created(harness, poster, CREATE + " date=2026-03-03 time=5pm")
        async with harness.storage.unit_of_work() as uow:
            poll = await uow.polls.get(1)
        assert poll is not None and poll.closes_at is not None
        harness.clock.advance(poll.closes_at - harness.clock.now() - timedelta(hours=1))
        await scheduler.sweep()  # what a wake-up after the poll's creation does
        assert poll.closes_at in scheduler.planned_instants
        harness.clock.advance(timedelta(hours=1) - timedelta(seconds=1))
        await scheduler.sweep()
        assert post.edits == [] or post.edits[-1].buttons != ()
        harness.clock.advance(timedelta(seconds=1))  # the planned job fires: a sweep
        await scheduler.sweep()
        assert post.edits[-1].buttons == ()
        assert [p for p in poster.to("#announcements") if "Poll closed" in p.text]
        assert poll.closes_at not in scheduler.planned_instants
    finally:
        await scheduler.close()


@pytest.mark.both_databases
async def test_a_results_post_that_fails_is_retried_and_posted_once(harness: Harness) -> None:
    poster = await setup(harness)
    await created(harness, poster)
    closing = harness.dispatcher.services.get(PollClosing)

    def results() -> list[Post]:
        return [p for p in poster.to("#announcements") if "Poll closed" in p.text]

    poster.failures = 1  # the platform is down for the results post
    await harness.say("maria", "poll close 1")
    assert results() == []
    retry = harness.clock.now() + timedelta(minutes=1)
    assert retry in await closing.next_due(harness.clock.now() + timedelta(hours=1))
    harness.clock.advance(timedelta(seconds=59))
    await closing.run_due()
    assert results() == []  # not before its backoff
    harness.clock.advance(timedelta(seconds=1))
    await asyncio.gather(closing.run_due(), closing.run_due())
    assert len(results()) == 1
    harness.clock.advance(timedelta(hours=1))
    await closing.run_due()
    assert len(results()) == 1
    assert await closing.next_due(harness.clock.now() + timedelta(days=1)) == []


@pytest.mark.both_databases
async def test_two_votes_at_once_and_a_close_while_voting(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster)
    await asyncio.gather(
        harness.click("lee", post.button("Tuesday")),
        harness.click("dana", post.button("Tuesday")),
        harness.click("admin", post.button("Wednesday")),
        harness.say("maria", "poll close 1"),
    )
    async with harness.storage.unit_of_work() as uow:
        poll = await uow.polls.get(1)
    assert poll is not None and not poll.is_open
    (results,) = [p for p in poster.to("#announcements") if "Poll closed" in p.text]
    # Every vote counted is in the final results, and no vote came after them.
    assert sum(poll.counts) == poll.voters
    assert f"{poll.voters} member" in results.text


async def test_no_options_opens_the_form(harness: Harness) -> None:
    await setup(harness)
    reply = await harness.say("maria", "poll create")
    assert reply.form is not None
    names = [f.name for f in reply.form.fields]
    assert names[:2] == ["question", "options"] and "date" in names and "time" in names


async def test_a_non_member_is_told_to_join(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster)
    reply = text_of(await harness.click("stranger", post.button("Tuesday")))
    assert "join the coalition first" in reply
    assert await harness.storage_count("poll_voters") == 0


@pytest.mark.both_databases
async def test_votes_at_once_are_all_counted_on_the_post(harness: Harness) -> None:
    poster = await setup(harness)
    post = await created(harness, poster)
    await asyncio.gather(
        *(harness.click(user, post.button("Tuesday")) for user in ("lee", "dana", "admin"))
    )
    assert "3 votes (100%)" in post.text and "3 members have voted" in post.text


async def test_named_results_say_who_chose_what_and_anonymous_ones_do_not(
    harness: Harness,
) -> None:
    poster = await setup(harness)
    named = await created(harness, poster)
    anonymous = await created(harness, poster, CREATE + " anonymous=yes")
    for post in (named, anonymous):
        await harness.click("lee", post.button("Tuesday"))
        await harness.click("dana", post.button("Thursday"))
    await harness.say("maria", "poll close 1")
    await harness.say("maria", "poll close 2")
    first, second = [p for p in poster.to("#announcements") if "Poll closed" in p.text]
    assert "Lee Park" in first.text and "Dana Reyes" in first.text
    assert first.text.index("Lee Park") < first.text.index("Thursday")
    assert "Lee Park" not in second.text and "Dana Reyes" not in second.text


async def test_an_empty_question_from_a_platform_form_is_refused(harness: Harness) -> None:
    poster = await setup(harness)
    reply = await harness.run(
        "maria", ("poll", "create"), question="   ", options="a, b", from_form=True
    )
    assert reply.invalid_field == "question" and "question is required" in text_of(reply)
    assert poster.posts == [] and await harness.storage_count("polls") == 0


@pytest.mark.both_databases
async def test_poll_list_shows_open_and_recently_closed_polls(harness: Harness) -> None:
    poster = await setup(harness)
    none = text_of(await harness.say("lee", "poll list"))
    assert "There are no open polls, and none closed in the last 7 days" in none
    assert "/coalition poll create" in none
    await created(harness, poster, 'poll create question="Old?" options="A, B"')
    await harness.say("maria", "poll close 1")
    harness.clock.advance(timedelta(days=8))  # poll 1 closed more than 7 days ago
    await created(harness, poster, 'poll create question="Closed lately?" options="A, B"')
    post = await created(harness, poster, CREATE + " date=2026-03-20 time=17:00")
    await created(harness, poster, 'poll create question="No end?" options="A, B"')
    await harness.click("lee", post.button("Tuesday"))
    await harness.click("maria", post.button("Wednesday"))
    await harness.say("maria", "poll close 2")

    listed = text_of(await harness.say("lee", "poll list"))
    assert "Old?" not in listed
    opened, closed = listed.split("Closed in the last 7 days:")
    assert opened.index("#3") < opened.index("#4")  # closing soonest first, no end last
    assert "Which day suits the training?" in opened and "2 members have voted" in opened
    assert "closes Mar 20, 2026" in opened
    assert "No end?" in opened and "open until closed with /coalition poll close 4" in opened
    assert "#2 Closed lately?" in closed and "0 members have voted" in closed
    assert "closed Mar 10, 2026" in closed


async def test_poll_list_says_when_only_closed_polls_are_left(harness: Harness) -> None:
    poster = await setup(harness)
    await created(harness, poster)
    await harness.say("maria", "poll close 1")
    listed = text_of(await harness.say("lee", "poll list"))
    assert "No poll is open." in listed and "Closed in the last 7 days:" in listed
