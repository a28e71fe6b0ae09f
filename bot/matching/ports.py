"""What peer matching needs from storage, as protocols (storage/matching.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from bot.matching.model import OptIn, Placement, Preferences, RoundStats
from bot.members import Member


class MatchingRepository(Protocol):
    async def opt_in(self, member_id: int, preferences: Preferences, at: datetime) -> bool:
        """Store (or replace) the member's wishes, ending any snooze; True if newly in."""
        ...

    async def opt_out(self, member_id: int) -> bool:
        """False if they were not opted in."""
        ...

    async def snooze(self, member_id: int, until: date) -> bool:
        """False if they are not opted in."""
        ...

    async def opted_in_members(self) -> list[tuple[OptIn, Member]]:
        """Every opt-in of an active member, with the member (profile and accounts)."""
        ...

    async def opt_in_of(self, member_id: int) -> OptIn | None: ...

    async def opted_in(self) -> list[OptIn]: ...

    async def claim_round(self, due_at: datetime, instance: str, at: datetime) -> int | None:
        """The round of that instant, if this call made it; None if it exists already.

        One insert under a unique key (the instant), so two replicas or a restart
        run a round once.
        """
        ...

    async def has_round(self, due_at: datetime) -> bool: ...

    async def recent_pairs(self, rounds: int) -> set[frozenset[int]]:
        """The member-id pairs grouped together in the latest `rounds` rounds."""
        ...

    async def place(self, round_id: int, groups: Sequence[tuple[int, ...]]) -> None: ...

    async def unintroduced(self, stale_before: datetime) -> list[tuple[int, int]]:
        """(round, group) of groups with a member not introduced yet, and not taken (or
        taken before `stale_before`, by an instance that did not finish)."""
        ...

    async def claim_introduction(
        self, round_id: int, group: int, at: datetime, stale_before: datetime
    ) -> list[tuple[int, int]]:
        """(member id, tries so far) of the group's members not yet introduced, if this
        call took them (a lease until `at` grows stale); [] if another has them."""
        ...

    async def introduced(self, round_id: int, member_ids: Sequence[int], at: datetime) -> None:
        """Their introduction is done (sent, or given up)."""
        ...

    async def checkins_due(
        self, round_due_before: datetime, stale_before: datetime
    ) -> list[tuple[int, int]]:
        """(round, member) not yet asked "Did you meet?", of rounds due before the instant."""
        ...

    async def claim_checkin(
        self, round_id: int, member_id: int, at: datetime, stale_before: datetime
    ) -> int:
        """The tries so far if this call took that member's check-in; 0 if another has it
        or it is done (once per member and round)."""
        ...

    async def asked(self, round_id: int, member_id: int, at: datetime) -> None:
        """Their check-in is done (sent, or given up)."""
        ...

    async def answer(self, round_id: int, member_id: int, answer: str, at: datetime) -> bool:
        """Record the answer; False if the member was not in that round."""
        ...

    async def round_instants(self, after: datetime) -> list[datetime]:
        """The instants of rounds held after `after`."""
        ...

    async def group_of(self, round_id: int, member_id: int) -> list[int]:
        """The member ids of the member's group in that round (themselves included)."""
        ...

    async def placements_of(self, member_id: int) -> list[Placement]: ...

    async def stats(self, limit: int) -> list[RoundStats]:
        """The latest rounds, newest first."""
        ...

    async def forget(self, member_id: int) -> None:
        """The member leaves: their opt-in and their places in rounds go; the others'
        places stay, so their history is kept without the leaver."""
        ...


class MatchingRepositories(Protocol):
    @property
    def matching(self) -> MatchingRepository: ...
