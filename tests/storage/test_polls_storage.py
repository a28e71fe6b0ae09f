"""The polls repository on both databases: votes, changes, toggles, anonymity, one close."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.polls.model import NewPoll, Vote, VoteOutcome
from storage import Storage
from tests.databases import postgres_storage
from tests.harness import Harness

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


async def members(storage: Storage) -> list[int]:
    harness = Harness(storage)
    for user, name in (("a", "Ann Lee"), ("b", "Ben Cho"), ("c", "Cam Roy")):
        await harness.join(user, name)
    async with storage.unit_of_work() as uow:
        found = [await uow.members.by_identity(Harness.who(u)) for u in "abc"]
    return [m.id for m in found if m is not None]


def new(*, multiple: bool = False, anonymous: bool = False) -> NewPoll:
    return NewPoll("Which day?", ("Tue", "Wed", "Thu"), multiple, anonymous, True, "general", None)


async def test_named_single_choice_changes_and_multiple_toggles(storage: Storage) -> None:
    a, b, _ = await members(storage)
    async with storage.unit_of_work() as uow:
        single = await uow.polls.add(new(), a, AT)
        several = await uow.polls.add(new(multiple=True), a, AT)
        assert (await uow.polls.vote(single.id, a, 0)).outcome == VoteOutcome.ADDED
        assert (await uow.polls.vote(single.id, a, 2)).outcome == VoteOutcome.CHANGED
        assert (await uow.polls.vote(single.id, b, 2)).outcome == VoteOutcome.ADDED
        assert (await uow.polls.vote(several.id, a, 0)).outcome == VoteOutcome.ADDED
        assert (await uow.polls.vote(several.id, a, 1)).outcome == VoteOutcome.ADDED
        assert (await uow.polls.vote(several.id, a, 0)).outcome == VoteOutcome.REMOVED
        await uow.commit()
    async with storage.unit_of_work() as uow:
        got = await uow.polls.get(single.id)
        assert got is not None and got.counts == (0, 0, 2) and got.voters == 2
        got = await uow.polls.get(several.id)
        assert got is not None and got.counts == (0, 1, 0) and got.voters == 1
        assert await uow.polls.voter_names(single.id) == {2: ["Ann Lee", "Ben Cho"]}


async def test_a_vote_reads_only_its_option_and_says_its_label(storage: Storage) -> None:
    a, b, _ = await members(storage)
    async with storage.unit_of_work() as uow:
        poll = await uow.polls.add(new(), a, AT)
        assert await uow.polls.vote(poll.id, a, 1) == Vote(VoteOutcome.ADDED, "Wed")
        assert await uow.polls.vote(poll.id, a, 2) == Vote(VoteOutcome.CHANGED, "Thu")
        assert await uow.polls.vote(poll.id, b, 3) == Vote(VoteOutcome.NO_OPTION)
        assert await uow.polls.vote(poll.id + 1, b, 0) == Vote(VoteOutcome.CLOSED)
        # The same option again takes a single choice back: no longer a voter.
        assert await uow.polls.vote(poll.id, a, 2) == Vote(VoteOutcome.REMOVED, "Thu")
        await uow.commit()
    async with storage.unit_of_work() as uow:
        got = await uow.polls.get(poll.id)
        assert got is not None and got.counts == (0, 0, 0) and got.voters == 0


async def test_anonymous_votes_are_counts_only_and_final(storage: Storage) -> None:
    a, b, c = await members(storage)
    async with storage.unit_of_work() as uow:
        poll = await uow.polls.add(new(anonymous=True), a, AT)
        for member, option in ((a, 0), (b, 1), (c, 1)):
            assert (await uow.polls.vote(poll.id, member, option)).outcome == VoteOutcome.ADDED
        assert (await uow.polls.vote(poll.id, b, 0)).outcome == VoteOutcome.ALREADY
        await uow.commit()
    async with storage.unit_of_work() as uow:
        got = await uow.polls.get(poll.id)
        assert got is not None and got.counts == (1, 2, 0) and got.voters == 3
        assert await uow.polls.voter_names(poll.id) == {}


async def test_closed_once_and_no_vote_after(storage: Storage) -> None:
    a, b, _ = await members(storage)
    async with storage.unit_of_work() as uow:
        poll = await uow.polls.add(new(), a, AT)
        assert await uow.polls.due(AT) == []
        assert await uow.polls.close(poll.id, a, AT)
        assert not await uow.polls.close(poll.id, None, AT)
        assert (await uow.polls.vote(poll.id, b, 0)).outcome == VoteOutcome.CLOSED
        await uow.commit()


@pytest.mark.postgres
async def test_no_row_stamp_ties_an_anonymous_answer_to_its_voter() -> None:
    """PostgreSQL's xmin (the transaction that last wrote a row) of the option rows
    must not single out the option the last voter chose."""
    # SQLite keeps no per-row transaction stamp: this is PostgreSQL's alone.
    async with postgres_storage() as storage:
        await _no_stamp_ties_the_last_vote(storage)


async def _no_stamp_ties_the_last_vote(storage: Storage) -> None:
    a, b, _ = await members(storage)
    async with storage.unit_of_work() as uow:
        poll = await uow.polls.add(new(anonymous=True), a, AT)
        await uow.commit()
    for member, option in ((a, 0), (b, 1)):
        async with storage.unit_of_work() as uow:
            await uow.polls.vote(poll.id, member, option)
            await uow.commit()
    async with storage.engine.connect() as connection:
        stamps = (
            await connection.execute(
                text("SELECT DISTINCT xmin::text FROM poll_options WHERE poll_id = :p"),
                {"p": poll.id},
            )
        ).all()
    assert len(stamps) == 1
