"""A discussion per meeting occurrence, from the card's button, on SQLite and PostgreSQL.

The first click opens it (the clicker starts and follows it); later clicks, by
anyone and even at the same moment, are answered with that same discussion.
"""

from __future__ import annotations

import asyncio
from datetime import date

from bot.discussions.model import NewDiscussion
from bot.meetings.cards import DISCUSS_ACTION
from bot.messages import Button
from storage import Storage
from tests.harness import Harness, text_of
from tests.scheduling.support import RefPoster, reminder_service, with_ref_poster

SCHEDULE = (
    'meeting schedule title="Office hours" date=2026-03-05 time=9am '
    "timezone=America/Los_Angeles repeat=weekly"
)


async def announced(storage: Storage) -> tuple[Harness, RefPoster, Button]:
    """Dana (admin) scheduled weekly office hours; Maria and Lee are members."""
    harness = Harness(storage)
    poster = with_ref_poster(harness)
    await harness.join("admin", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await harness.join("lee", "Lee Park")
    assert "Scheduled" in text_of(await harness.say("admin", SCHEDULE))
    await reminder_service(harness).run_due()
    (card,) = poster.to("#announcements")
    return harness, poster, card.button("Agenda and notes")


async def test_the_first_click_opens_the_occurrence_discussion(storage: Storage) -> None:
    harness, poster, button = await announced(storage)
    assert (button.action, button.target) == (DISCUSS_ACTION, "1@2026-03-05")

    reply = await harness.click("maria", button)
    assert "Started discussion #1, Office hours — Mar 5, 2026" in text_of(reply)
    opening = poster.to("#announcements")[-1]
    assert "Office hours — Mar 5, 2026" in opening.text
    assert "Agenda and notes for Office hours on Mar 5, 2026" in opening.text
    assert "Started by Maria Lopez" in opening.text
    async with storage.unit_of_work() as uow:
        discussion = await uow.discussions.for_occurrence(1, date(2026, 3, 5))
        assert discussion is not None and discussion.id == 1
        assert len(discussion.threads) == 1  # replies under the opening are counted
        maria = await uow.members.by_identity(harness.who("maria"))
        assert maria is not None
        assert await uow.discussions.followers(1) == [maria.id]


async def test_a_second_click_answers_with_the_same_discussion(storage: Storage) -> None:
    harness, poster, button = await announced(storage)
    await harness.click("maria", button)
    posts = len(poster.posts)

    again = await harness.click("lee", button)
    assert "This meeting already has its discussion: #1 Office hours — Mar 5, 2026" in text_of(
        again
    )
    assert again.message is not None
    (follow,) = again.message.buttons
    assert "You now follow" in text_of(await harness.click("lee", follow))
    assert "already has its discussion: #1" in text_of(await harness.click("maria", button))
    assert await harness.storage_count("discussions") == 1
    assert len(poster.posts) == posts  # nothing posted again

    # The next week's occurrence is another meeting: its own discussion.
    next_week = Button(button.label, DISCUSS_ACTION, "1@2026-03-12")
    assert "Started discussion #2, Office hours — Mar 12, 2026" in text_of(
        await harness.click("lee", next_week)
    )


async def test_only_members_and_real_occurrences(storage: Storage) -> None:
    harness, _, button = await announced(storage)
    assert "You need to join" in text_of(await harness.click("stranger", button))
    no_such_day = Button(button.label, DISCUSS_ACTION, "1@2026-03-06")
    assert "was cancelled on that day" in text_of(await harness.click("maria", no_such_day))
    broken = Button(button.label, DISCUSS_ACTION, "nonsense")
    assert "no longer works" in text_of(await harness.click("maria", broken))
    assert await harness.storage_count("discussions") == 0


async def test_two_clicks_at_once_make_one_discussion(storage: Storage) -> None:
    harness, _, button = await announced(storage)
    replies = await asyncio.gather(harness.click("maria", button), harness.click("lee", button))
    texts = sorted(text_of(r) for r in replies)
    assert "Started discussion #" in texts[0] and "already has its discussion" in texts[1]
    assert await harness.storage_count("discussions") == 1
    assert await harness.storage_count("meeting_discussions") == 1


async def test_the_race_is_settled_in_storage(storage: Storage) -> None:
    """The loser checked before the winner committed, then waited on the key: it gets theirs."""
    harness, _, _ = await announced(storage)
    day = date(2026, 3, 5)
    new = NewDiscussion("Office hours — Mar 5, 2026", "Agenda?", (), "announcements")
    now = harness.clock.now()
    if storage.backend == "sqlite":
        # A unit of work that may write holds SQLite's write lock from its BEGIN
        # (storage/database.py), so the loser cannot check before the winner commits:
        # the two take turns, and the second finds the first's discussion.
        async def add(by: int) -> tuple[int, bool]:
            async with storage.unit_of_work() as uow:
                found, created = await uow.discussions.add_for_occurrence(new, by, now, 1, day)
                await uow.commit()
            return found.id, created

        (a, a_created), (b, b_created) = await asyncio.gather(add(2), add(3))
        assert a == b and [a_created, b_created].count(True) == 1
        assert await harness.storage_count("discussions") == 1
        return
    async with storage.unit_of_work() as first:
        won, created = await first.discussions.add_for_occurrence(new, 2, now, 1, day)
        assert created
        async with storage.unit_of_work() as second:
            assert await second.discussions.for_occurrence(1, day) is None  # not committed yet
            losing = asyncio.create_task(second.discussions.add_for_occurrence(new, 3, now, 1, day))
            await asyncio.sleep(0.3)  # it is waiting for the winner's transaction
            assert not losing.done()
            await first.commit()
            lost, created = await losing
            assert not created and lost.id == won.id
            await second.commit()
    assert await harness.storage_count("discussions") == 1


async def test_once_it_exists_the_card_names_the_occurrences_discussion(storage: Storage) -> None:
    harness, poster, button = await announced(storage)
    assert "Agenda and notes:" not in text_of(await harness.say("maria", "meeting view 1"))
    await harness.click("maria", button)

    line = "Agenda and notes: Office hours — Mar 5, 2026 (discussion #1)"
    viewed = await harness.say("lee", "meeting view 1")
    assert line in text_of(viewed)
    assert viewed.message is not None
    assert "Agenda and notes" in [b.label for b in viewed.message.buttons]  # still there
    # Another occurrence has no discussion yet: its card has no line.
    assert "Agenda and notes:" not in text_of(
        await harness.say("lee", "meeting view 1 occurrence=2026-03-12")
    )

    # The announcement already posted is refreshed at the next sweep to show it too.
    await reminder_service(harness).run_due()
    (announcement, *_) = poster.to("#announcements")
    assert announcement.edits and line in announcement.edits[-1].fallback_text()
