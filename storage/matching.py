"""The matching repository: opt-ins, rounds claimed once, places and check-ins.

Every "once" is a statement that only one caller can win: the round by an INSERT
… ON CONFLICT DO NOTHING on its instant; an introduction and a check-in by a
conditional UPDATE that takes a lease (…_claimed_at), on a row not done and not
leased, or leased longer ago than the claim timeout (an instance that died, or a
post that failed, is taken over): so on both databases two replicas never take
the same one at once, and nothing taken is left unsent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import combinations
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.matching.model import MET, OptIn, Placement, Preferences, RoundStats
from bot.members import Member, MemberStatus
from storage.dialect import insert_on_conflict
from storage.members import to_member
from storage.schema import MatchOptInRow, MatchPlaceRow, MatchRoundRow, MemberRow


def _opt_in(row: MatchOptInRow) -> OptIn:
    return OptIn(
        member_id=row.member_id,
        preferences=Preferences(
            region=row.region_wish,
            discipline=row.discipline_wish,
            topics=tuple(t for t in row.topics.split(",") if t),
            role=row.role,
            same_organization=row.same_organization,
        ),
        joined_at=row.joined_at,
        snoozed_until=row.snoozed_until,
    )


def _free(claimed_at: Any, stale_before: datetime) -> ColumnElement[bool]:
    """Not taken, or taken by an instance that did not finish (it died, or the post
    failed) before `stale_before`: taken over."""
    return or_(claimed_at.is_(None), claimed_at < stale_before)


class SqlMatching:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- opting in and out ----------------------------------------------------------

    async def opt_in(self, member_id: int, preferences: Preferences, at: datetime) -> bool:
        values = {
            "region_wish": preferences.region,
            "discipline_wish": preferences.discipline,
            "topics": ",".join(preferences.topics),
            "role": preferences.role,
            "same_organization": preferences.same_organization,
            "snoozed_until": None,
        }
        statement = (
            insert_on_conflict(self.session, MatchOptInRow)
            .values(member_id=member_id, joined_at=at, **values)
            .on_conflict_do_nothing()
        )
        added = await self.session.execute(statement)
        if added.rowcount:  # type: ignore[attr-defined]
            return True
        await self.session.execute(
            update(MatchOptInRow).where(MatchOptInRow.member_id == member_id).values(**values)
        )
        return False

    async def opt_out(self, member_id: int) -> bool:
        result = await self.session.execute(
            delete(MatchOptInRow).where(MatchOptInRow.member_id == member_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def snooze(self, member_id: int, until: date) -> bool:
        result = await self.session.execute(
            update(MatchOptInRow)
            .where(MatchOptInRow.member_id == member_id)
            .values(snoozed_until=until)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def opted_in_members(self) -> list[tuple[OptIn, Member]]:
        """Every opt-in of an active member, with the member, in one statement (a round
        of thousands reads them all)."""
        rows = (
            await self.session.execute(
                select(MatchOptInRow, MemberRow)
                .join(MemberRow, MemberRow.id == MatchOptInRow.member_id)
                .where(MemberRow.status == MemberStatus.ACTIVE.value)
                .options(joinedload(MemberRow.interests), joinedload(MemberRow.identities))
                .order_by(MatchOptInRow.member_id)
            )
        ).unique()
        return [(_opt_in(opt_in), to_member(member)) for opt_in, member in rows.all()]

    async def opt_in_of(self, member_id: int) -> OptIn | None:
        row = await self.session.get(MatchOptInRow, member_id)
        return None if row is None else _opt_in(row)

    async def opted_in(self) -> list[OptIn]:
        rows = await self.session.scalars(select(MatchOptInRow).order_by(MatchOptInRow.member_id))
        return [_opt_in(row) for row in rows]

    # -- rounds ---------------------------------------------------------------------

    async def claim_round(self, due_at: datetime, instance: str, at: datetime) -> int | None:
        statement = (
            insert_on_conflict(self.session, MatchRoundRow)
            .values(due_at=due_at, claimed_by=instance, claimed_at=at)
            .on_conflict_do_nothing(index_elements=[MatchRoundRow.due_at])
            .returning(MatchRoundRow.id)
        )
        found = (await self.session.execute(statement)).scalar_one_or_none()
        return None if found is None else int(found)

    async def has_round(self, due_at: datetime) -> bool:
        found = await self.session.scalar(
            select(MatchRoundRow.id).where(MatchRoundRow.due_at == due_at)
        )
        return found is not None

    async def recent_pairs(self, rounds: int) -> set[frozenset[int]]:
        if rounds <= 0:
            return set()
        latest = select(MatchRoundRow.id).order_by(MatchRoundRow.due_at.desc()).limit(rounds)
        rows = (
            await self.session.execute(
                select(MatchPlaceRow.round_id, MatchPlaceRow.grp, MatchPlaceRow.member_id).where(
                    MatchPlaceRow.round_id.in_(latest.scalar_subquery())
                )
            )
        ).all()
        groups: dict[tuple[int, int], list[int]] = {}
        for round_id, group, member_id in rows:
            groups.setdefault((round_id, group), []).append(member_id)
        return {frozenset(p) for ids in groups.values() for p in combinations(ids, 2)}

    async def place(self, round_id: int, groups: Sequence[tuple[int, ...]]) -> None:
        rows = [
            {
                "round_id": round_id,
                "member_id": member_id,
                "grp": number,
                "intro_tries": 0,
                "ask_tries": 0,
            }
            for number, group in enumerate(groups, start=1)
            for member_id in group
        ]
        if rows:
            await self.session.execute(
                insert_on_conflict(self.session, MatchPlaceRow)
                .values(rows)
                .on_conflict_do_nothing()
            )

    async def unintroduced(self, stale_before: datetime) -> list[tuple[int, int]]:
        place = MatchPlaceRow
        rows = await self.session.execute(
            select(place.round_id, place.grp)
            .where(place.introduced_at.is_(None), _free(place.intro_claimed_at, stale_before))
            .distinct()
            .order_by(place.round_id, place.grp)
        )
        return [(int(r), int(g)) for r, g in rows.all()]

    async def claim_introduction(
        self, round_id: int, group: int, at: datetime, stale_before: datetime
    ) -> list[tuple[int, int]]:
        place = MatchPlaceRow
        taken = await self.session.execute(
            update(place)
            .where(
                place.round_id == round_id,
                place.grp == group,
                place.introduced_at.is_(None),
                _free(place.intro_claimed_at, stale_before),
            )
            .values(intro_claimed_at=at, intro_tries=place.intro_tries + 1)
            .returning(place.member_id, place.intro_tries)
        )
        return sorted((int(m), int(t)) for m, t in taken.all())

    async def introduced(self, round_id: int, member_ids: Sequence[int], at: datetime) -> None:
        if member_ids:
            await self.session.execute(
                update(MatchPlaceRow)
                .where(
                    MatchPlaceRow.round_id == round_id,
                    MatchPlaceRow.member_id.in_(member_ids),
                    MatchPlaceRow.introduced_at.is_(None),
                )
                .values(introduced_at=at)
            )

    async def checkins_due(
        self, round_due_before: datetime, stale_before: datetime
    ) -> list[tuple[int, int]]:
        place = MatchPlaceRow
        rows = await self.session.execute(
            select(place.round_id, place.member_id)
            .join(MatchRoundRow, MatchRoundRow.id == place.round_id)
            .where(
                MatchRoundRow.due_at <= round_due_before,
                place.asked_at.is_(None),
                _free(place.ask_claimed_at, stale_before),
            )
            .order_by(place.round_id, place.member_id)
        )
        return [(int(r), int(m)) for r, m in rows.all()]

    async def claim_checkin(
        self, round_id: int, member_id: int, at: datetime, stale_before: datetime
    ) -> int:
        place = MatchPlaceRow
        taken = await self.session.execute(
            update(place)
            .where(
                place.round_id == round_id,
                place.member_id == member_id,
                place.asked_at.is_(None),
                _free(place.ask_claimed_at, stale_before),
            )
            .values(ask_claimed_at=at, ask_tries=place.ask_tries + 1)
            .returning(place.ask_tries)
        )
        tries = taken.scalar_one_or_none()
        return 0 if tries is None else int(tries)

    async def asked(self, round_id: int, member_id: int, at: datetime) -> None:
        await self.session.execute(
            update(MatchPlaceRow)
            .where(
                MatchPlaceRow.round_id == round_id,
                MatchPlaceRow.member_id == member_id,
                MatchPlaceRow.asked_at.is_(None),
            )
            .values(asked_at=at)
        )

    async def answer(self, round_id: int, member_id: int, answer: str, at: datetime) -> bool:
        result = await self.session.execute(
            update(MatchPlaceRow)
            .where(MatchPlaceRow.round_id == round_id, MatchPlaceRow.member_id == member_id)
            .values(answer=answer, answered_at=at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def round_instants(self, after: datetime) -> list[datetime]:
        found = await self.session.scalars(
            select(MatchRoundRow.due_at).where(MatchRoundRow.due_at > after)
        )
        return list(found)

    async def group_of(self, round_id: int, member_id: int) -> list[int]:
        mine = (
            select(MatchPlaceRow.grp)
            .where(MatchPlaceRow.round_id == round_id, MatchPlaceRow.member_id == member_id)
            .scalar_subquery()
        )
        found = await self.session.scalars(
            select(MatchPlaceRow.member_id)
            .where(MatchPlaceRow.round_id == round_id, MatchPlaceRow.grp == mine)
            .order_by(MatchPlaceRow.member_id)
        )
        return list(found)

    async def placements_of(self, member_id: int) -> list[Placement]:
        rows = await self.session.scalars(
            select(MatchPlaceRow)
            .where(MatchPlaceRow.member_id == member_id)
            .order_by(MatchPlaceRow.round_id)
        )
        return [
            Placement(
                round_id=row.round_id,
                member_id=row.member_id,
                group=row.grp,
                introduced=row.introduced_at is not None,
                asked=row.asked_at is not None,
                answer=row.answer,
            )
            for row in rows
        ]

    async def stats(self, limit: int) -> list[RoundStats]:
        place = MatchPlaceRow
        rows = await self.session.execute(
            select(
                MatchRoundRow.id,
                MatchRoundRow.due_at,
                func.count(func.distinct(place.grp)),
                func.count(place.member_id),
                func.count(place.asked_at),
                func.count(place.answer),
                func.count(place.answer).filter(place.answer == MET),
            )
            .outerjoin(place, and_(place.round_id == MatchRoundRow.id))
            .group_by(MatchRoundRow.id, MatchRoundRow.due_at)
            .order_by(MatchRoundRow.due_at.desc())
            .limit(limit)
        )
        return [
            RoundStats(int(i), due, int(g), int(m), int(a), int(n), int(met))
            for i, due, g, m, a, n, met in rows.all()
        ]

    async def forget(self, member_id: int) -> None:
        await self.session.execute(
            delete(MatchOptInRow).where(MatchOptInRow.member_id == member_id)
        )
        await self.session.execute(
            delete(MatchPlaceRow).where(MatchPlaceRow.member_id == member_id)
        )
