"""What polls need from storage, as protocols (storage/polls.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from bot.polls.model import NewPoll, Poll, PollSummary, Vote
from bot.posted import PostedMessage


class MyVote(NamedTuple):
    """A poll a member voted in, as their export shows it; no choices if anonymous."""

    poll_id: int
    question: str
    anonymous: bool
    choices: tuple[str, ...]


class PollRepository(Protocol):
    async def add(self, new: NewPoll, by_member_id: int, at: datetime) -> Poll: ...

    async def get(self, poll_id: int) -> Poll | None: ...

    async def listing(self, closed_since: datetime, limit: int) -> list[PollSummary]:
        """Open polls, closing soonest first (those with no closing time last, newest
        first), then those closed since `closed_since`, last closed first; at most
        `limit` of each."""
        ...

    async def add_post(self, poll_id: int, posted: PostedMessage) -> None:
        """Remember where a platform put the poll, so its counts can be edited."""
        ...

    async def vote(self, poll_id: int, member_id: int, option: int) -> Vote:
        """Count a click on an option (0-based) by a member: the outcome and the option.

        Reads no more of the poll than the vote needs (its kind, the option's label):
        a closed or missing poll is CLOSED, an option it doesn't have NO_OPTION.

        Named polls: a single-choice vote replaces the member's earlier one; a
        multiple-choice click toggles the option. Anonymous polls: one vote per
        member, final, and nothing stored ties it to them (the voter table holds
        only who voted; the counts only how many).
        """
        ...

    async def voter_names(self, poll_id: int) -> dict[int, list[str]]:
        """A named poll's voters by option (0-based), in name order; empty if anonymous."""
        ...

    async def forget_voter(self, member_id: int) -> None:
        """A member leaves: the rows saying they voted, and what they chose, go.

        The counts stay, so a named poll's result is unchanged; it no longer
        names them among the voters.
        """
        ...

    async def votes_of(self, member_id: int) -> list[MyVote]:
        """The polls the member voted in, oldest first: for their export."""
        ...

    async def close(self, poll_id: int, by_member_id: int | None, at: datetime) -> bool:
        """Close it if still open; False if it was closed first (by a person or its time)."""
        ...

    async def closing_between(self, after: datetime, until: datetime) -> list[datetime]:
        """The closing instants in (after, until] of polls still open."""
        ...

    async def claim_results(
        self, poll_id: int, now: datetime, hold: timedelta
    ) -> tuple[int, frozenset[str]] | None:
        """Take the closed poll's results post if due (moved on by `hold` meanwhile):
        (tries so far, platforms already posted on); None if not due or taken."""
        ...

    async def results_tried(
        self, poll_id: int, posted_on: frozenset[str], tries: int, next_at: datetime | None
    ) -> None:
        """Note a try of the results post; `next_at` None: nothing left to try."""
        ...

    async def results_due(self, now: datetime) -> list[int]:
        """Closed polls whose results post is due again."""
        ...

    async def results_between(self, after: datetime, until: datetime) -> list[datetime]:
        """Instants in (after, until] when a results post is due again."""
        ...

    async def due(self, now: datetime) -> list[int]:
        """Open polls whose closing time has come."""
        ...


class PollsRepositories(Protocol):
    @property
    def polls(self) -> PollRepository: ...
