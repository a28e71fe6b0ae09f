"""The polls repository: polls, counts, who voted, named choices, where they were posted.

Every vote first reads the poll's row if it is open (… WHERE closed_at IS NULL), on
PostgreSQL with a shared lock (FOR SHARE): votes don't wait for one another, but a
close, which updates the row, waits for the votes before it, and a vote after it
finds the poll closed; on SQLite the write lock (BEGIN IMMEDIATE) does the same. So
the final counts a close reads are final. The counts' UPDATE comes last, just before
the commit: votes wait for one another only there, on an option's row.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.polls.model import NewPoll, Poll, PollSummary, Vote, VoteOutcome
from bot.polls.ports import MyVote
from bot.posted import PostedMessage
from storage.dialect import insert_on_conflict
from storage.meetings import OnCommit, schedule_changed
from storage.schema import (
    MemberRow,
    PollChoiceRow,
    PollOptionRow,
    PollPostRow,
    PollRow,
    PollVoterRow,
)


class SqlPolls:
    def __init__(self, session: AsyncSession, on_commit: OnCommit | None = None) -> None:
        self.session = session
        self._on_commit = on_commit

    async def _timing_changed(self) -> None:
        """The scheduler plans again (a job at the new closing instant), here and elsewhere."""
        await schedule_changed(self.session, self._on_commit)

    async def add(self, new: NewPoll, by_member_id: int, at: datetime) -> Poll:
        row = PollRow(
            question=new.question,
            multiple=new.multiple,
            anonymous=new.anonymous,
            live=new.live,
            channel=new.channel,
            created_by=by_member_id,
            created_at=at,
            closes_at=new.closes_at,
        )
        self.session.add(row)
        await self.session.flush()
        await self.session.execute(
            insert(PollOptionRow),
            [
                {"poll_id": row.id, "position": i, "label": label, "votes": 0}
                for i, label in enumerate(new.options)
            ],
        )
        if new.closes_at is not None:
            await self._timing_changed()
        poll = await self.get(row.id)
        assert poll is not None
        return poll

    async def get(self, poll_id: int) -> Poll | None:
        found = (
            await self.session.execute(
                select(PollRow, MemberRow.display_name)
                .join(MemberRow, MemberRow.id == PollRow.created_by)
                .where(PollRow.id == poll_id)
            )
        ).first()
        if found is None:
            return None
        row, creator = found
        options = (
            await self.session.execute(
                select(PollOptionRow.label, PollOptionRow.votes)
                .where(PollOptionRow.poll_id == poll_id)
                .order_by(PollOptionRow.position)
            )
        ).all()
        voters = await self.session.scalar(
            select(func.count()).select_from(PollVoterRow).where(PollVoterRow.poll_id == poll_id)
        )
        posts = (
            await self.session.scalars(select(PollPostRow).where(PollPostRow.poll_id == poll_id))
        ).all()
        return Poll(
            id=row.id,
            question=row.question,
            options=tuple(label for label, _ in options),
            counts=tuple(votes for _, votes in options),
            voters=int(voters or 0),
            multiple=row.multiple,
            anonymous=row.anonymous,
            live=row.live,
            channel=row.channel,
            created_by=row.created_by,
            created_by_name=creator,
            closes_at=row.closes_at,
            closed_at=row.closed_at,
            posts=tuple(PostedMessage(p.platform, p.channel, p.message_id) for p in posts),
        )

    async def listing(self, closed_since: datetime, limit: int) -> list[PollSummary]:
        voters = (
            select(PollVoterRow.poll_id, func.count().label("voters"))
            .group_by(PollVoterRow.poll_id)
            .subquery()
        )
        columns = select(
            PollRow.id,
            PollRow.question,
            func.coalesce(voters.c.voters, 0),
            PollRow.closes_at,
            PollRow.closed_at,
        ).outerjoin(voters, voters.c.poll_id == PollRow.id)
        open_now = columns.where(PollRow.closed_at.is_(None)).order_by(
            PollRow.closes_at.is_(None), PollRow.closes_at, PollRow.id.desc()
        )
        closed = columns.where(PollRow.closed_at >= closed_since).order_by(
            PollRow.closed_at.desc(), PollRow.id.desc()
        )
        rows = [
            *(await self.session.execute(open_now.limit(limit))).all(),
            *(await self.session.execute(closed.limit(limit))).all(),
        ]
        return [PollSummary(i, q, int(n), closes, closed) for i, q, n, closes, closed in rows]

    async def add_post(self, poll_id: int, posted: PostedMessage) -> None:
        await self.session.execute(
            insert_on_conflict(self.session, PollPostRow)
            .values(
                platform=posted.platform,
                channel=posted.channel,
                message_id=posted.message_id,
                poll_id=poll_id,
            )
            .on_conflict_do_nothing()
        )

    async def vote(self, poll_id: int, member_id: int, option: int) -> Vote:
        # One statement locks the poll's row (see the module's docstring) and reads
        # all a vote needs of it: its kind and the clicked option's label (NULL if
        # there is no such option). The poll as a whole is not read.
        label = (
            select(PollOptionRow.label)
            .where(PollOptionRow.poll_id == poll_id, PollOptionRow.position == option)
            .scalar_subquery()
        )
        taken = await self.session.execute(
            select(PollRow.anonymous, PollRow.multiple, label)
            .where(PollRow.id == poll_id, PollRow.closed_at.is_(None))
            .with_for_update(read=True, of=PollRow)  # FOR SHARE; SQLite: nothing to add
        )
        found = taken.first()
        if found is None:
            return Vote(VoteOutcome.CLOSED)
        anonymous, multiple, chosen = found
        if chosen is None:
            return Vote(VoteOutcome.NO_OPTION)
        first = await self._mark_voter(poll_id, member_id)
        if anonymous:
            if not first:
                return Vote(VoteOutcome.ALREADY, chosen)
            await self._count_anonymously(poll_id, option)
            return Vote(VoteOutcome.ADDED, chosen)
        return Vote(await self._choose(poll_id, member_id, option, multiple), chosen)

    async def _mark_voter(self, poll_id: int, member_id: int) -> bool:
        result = await self.session.execute(
            insert_on_conflict(self.session, PollVoterRow)
            .values(poll_id=poll_id, member_id=member_id)
            .on_conflict_do_nothing()
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _choose(self, poll_id: int, member_id: int, option: int, multiple: bool) -> str:
        """The member's earlier choice goes in the same statement that reads it: of a
        multiple-choice poll only this option (a toggle), of a single-choice one any."""
        mine = [PollChoiceRow.poll_id == poll_id, PollChoiceRow.member_id == member_id]
        if multiple:
            mine.append(PollChoiceRow.position == option)
        before = (
            await self.session.scalars(
                delete(PollChoiceRow)
                .where(*mine)
                .returning(PollChoiceRow.position)
                .execution_options(synchronize_session=False)
            )
        ).all()
        if option in before:
            await self._count(poll_id, {option: -1})
            if not multiple:
                # A single choice taken back: the member has voted for nothing now.
                await self.session.execute(
                    delete(PollVoterRow)
                    .where(PollVoterRow.poll_id == poll_id, PollVoterRow.member_id == member_id)
                    .execution_options(synchronize_session=False)
                )
            return VoteOutcome.REMOVED
        await self.session.execute(
            insert(PollChoiceRow).values(poll_id=poll_id, member_id=member_id, position=option)
        )
        await self._count(poll_id, {option: +1} | {position: -1 for position in before})
        return VoteOutcome.CHANGED if before else VoteOutcome.ADDED

    async def _count_anonymously(self, poll_id: int, option: int) -> None:
        """Add one to an option by rewriting every option row of the poll.

        PostgreSQL stamps each row with the transaction that last wrote it (xmin), as
        it does the voter's row: were only the chosen option's row written, a reader
        of those system columns could match the last voter to their option. Every
        row written, the stamp says nothing about which option was chosen.
        """
        await self.session.execute(
            update(PollOptionRow)
            .where(PollOptionRow.poll_id == poll_id)
            .values(
                votes=PollOptionRow.votes + case((PollOptionRow.position == option, 1), else_=0)
            )
        )

    async def _count(self, poll_id: int, by: dict[int, int]) -> None:
        """Add to options' counts (position: how many), in one statement."""
        await self.session.execute(
            update(PollOptionRow)
            .where(PollOptionRow.poll_id == poll_id, PollOptionRow.position.in_(by))
            .values(
                votes=PollOptionRow.votes
                + case(*((PollOptionRow.position == p, n) for p, n in by.items()), else_=0)
            )
            .execution_options(synchronize_session=False)
        )

    async def voter_names(self, poll_id: int) -> dict[int, list[str]]:
        # poll_choices holds rows for named polls only, so an anonymous poll has none.
        rows = await self.session.execute(
            select(PollChoiceRow.position, MemberRow.display_name)
            .join(MemberRow, MemberRow.id == PollChoiceRow.member_id)
            .where(PollChoiceRow.poll_id == poll_id)
            .order_by(PollChoiceRow.position, MemberRow.display_name)
        )
        names: dict[int, list[str]] = {}
        for position, name in rows:
            names.setdefault(position, []).append(name)
        return names

    async def forget_voter(self, member_id: int) -> None:
        # The counts (poll_options.votes) stay: the poll's result does not change
        # when someone leaves. Only what ties the person to it goes.
        for table in (PollChoiceRow, PollVoterRow):
            await self.session.execute(delete(table).where(table.member_id == member_id))

    async def votes_of(self, member_id: int) -> list[MyVote]:
        polls = await self.session.execute(
            select(PollRow.id, PollRow.question, PollRow.anonymous)
            .join(PollVoterRow, PollVoterRow.poll_id == PollRow.id)
            .where(PollVoterRow.member_id == member_id)
            .order_by(PollRow.id)
        )
        chosen = await self.session.execute(
            select(PollChoiceRow.poll_id, PollOptionRow.label)
            .join(
                PollOptionRow,
                (PollOptionRow.poll_id == PollChoiceRow.poll_id)
                & (PollOptionRow.position == PollChoiceRow.position),
            )
            .where(PollChoiceRow.member_id == member_id)
            .order_by(PollChoiceRow.poll_id, PollChoiceRow.position)
        )
        labels: dict[int, list[str]] = {}
        for poll_id, label in chosen:
            labels.setdefault(poll_id, []).append(label)
        return [
            MyVote(poll_id, question, anonymous, tuple(labels.get(poll_id, ())))
            for poll_id, question, anonymous in polls
        ]

    async def close(self, poll_id: int, by_member_id: int | None, at: datetime) -> bool:
        result = await self.session.execute(
            update(PollRow)
            .where(PollRow.id == poll_id, PollRow.closed_at.is_(None))
            .values(closed_at=at, closed_by=by_member_id, results_due_at=at)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def closing_between(self, after: datetime, until: datetime) -> list[datetime]:
        found = await self.session.scalars(
            select(PollRow.closes_at)
            .where(
                PollRow.closed_at.is_(None),
                PollRow.closes_at > after,
                PollRow.closes_at <= until,
            )
            .distinct()
        )
        return [instant for instant in found.all() if instant is not None]

    async def claim_results(
        self, poll_id: int, now: datetime, hold: timedelta
    ) -> tuple[int, frozenset[str]] | None:
        # One conditional UPDATE: of two callers at once, one posts the results.
        result = await self.session.execute(
            update(PollRow)
            .where(
                PollRow.id == poll_id,
                PollRow.results_due_at.is_not(None),
                PollRow.results_due_at <= now,
            )
            .values(results_due_at=now + hold)
            .returning(PollRow.results_tries, PollRow.results_posted_on)
            .execution_options(synchronize_session=False)
        )
        found = result.one_or_none()
        if found is None:
            return None
        return int(found[0]), frozenset(found[1].split())

    async def results_tried(
        self, poll_id: int, posted_on: frozenset[str], tries: int, next_at: datetime | None
    ) -> None:
        await self.session.execute(
            update(PollRow)
            .where(PollRow.id == poll_id)
            .values(
                results_posted_on=" ".join(sorted(posted_on)),
                results_tries=tries,
                results_due_at=next_at,
            )
            .execution_options(synchronize_session=False)
        )
        if next_at is not None:
            await self._timing_changed()

    async def results_due(self, now: datetime) -> list[int]:
        found = await self.session.scalars(
            select(PollRow.id)
            .where(PollRow.results_due_at <= now)
            .order_by(PollRow.results_due_at)
            .limit(50)
        )
        return list(found.all())

    async def results_between(self, after: datetime, until: datetime) -> list[datetime]:
        found = await self.session.scalars(
            select(PollRow.results_due_at)
            .where(PollRow.results_due_at > after, PollRow.results_due_at <= until)
            .distinct()
        )
        return [instant for instant in found.all() if instant is not None]

    async def due(self, now: datetime) -> list[int]:
        return list(
            (
                await self.session.scalars(
                    select(PollRow.id)
                    .where(PollRow.closed_at.is_(None), PollRow.closes_at <= now)
                    .order_by(PollRow.closes_at)
                    .limit(50)
                )
            ).all()
        )
