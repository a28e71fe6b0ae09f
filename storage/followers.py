"""Followers of discussions, and telling each of them of new replies.

A discussion's replies are told in batches, at most one per `notify_minutes`: a
batch is claimed with a conditional update on the discussion (`claim_notice`) and
marked told (`notice_sent`). From then on each follower is *owed* a notice while
the replies they were told of (`told_replies`) are fewer than the discussion's
batches told; their own notice is taken with a lease (`take_owed_notices`), and
marked told, or failed with a retry time, or given up (the platform cannot deliver
to them), on their own row. A follower's failure never marks anyone else.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.discussions.model import DiscussionStatus
from bot.discussions.ports import OwedNotice
from storage.dialect import insert_on_conflict
from storage.schema import DiscussionFollowerRow, DiscussionRow

_Follower = DiscussionFollowerRow


def notice_free(stale_before: datetime) -> ColumnElement[bool]:
    """Nobody is telling this batch: never claimed, or claimed by an instance that died."""
    return DiscussionRow.notice_claimed_at.is_(None) | (
        DiscussionRow.notice_claimed_at < stale_before
    )


class SqlFollowers:
    """The followers' part of the discussions repository (storage/discussions.py)."""

    _session: AsyncSession

    async def follow(self, discussion_id: int, member_id: int) -> bool:
        # ON CONFLICT DO NOTHING rather than a savepoint: on SQLite, pysqlite's
        # SAVEPOINT as the transaction's first write commits on RELEASE, so a later
        # rollback of the unit of work would not undo the follow.
        added = await self._session.execute(
            insert_on_conflict(self._session, DiscussionFollowerRow)
            .values(
                discussion_id=discussion_id,
                member_id=member_id,
                # Told of what is there already: only replies after they followed are news.
                told_replies=select(DiscussionRow.replies)
                .where(DiscussionRow.id == discussion_id)
                .scalar_subquery(),
            )
            .on_conflict_do_nothing(index_elements=["discussion_id", "member_id"])
            .returning(DiscussionFollowerRow.member_id)
        )
        # None: following already (or at the same moment from another platform).
        return added.scalar_one_or_none() is not None

    async def unfollow(self, discussion_id: int, member_id: int) -> bool:
        result = await self._session.execute(
            delete(DiscussionFollowerRow).where(
                DiscussionFollowerRow.discussion_id == discussion_id,
                DiscussionFollowerRow.member_id == member_id,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def forget_follower(self, member_id: int) -> None:
        await self._session.execute(
            delete(DiscussionFollowerRow).where(DiscussionFollowerRow.member_id == member_id)
        )

    async def followed_by(self, member_id: int) -> list[int]:
        found = await self._session.scalars(
            select(DiscussionFollowerRow.discussion_id)
            .where(DiscussionFollowerRow.member_id == member_id)
            .order_by(DiscussionFollowerRow.discussion_id)
        )
        return list(found)

    async def followers(self, discussion_id: int) -> list[int]:
        found = await self._session.scalars(
            select(DiscussionFollowerRow.member_id)
            .where(DiscussionFollowerRow.discussion_id == discussion_id)
            .order_by(DiscussionFollowerRow.member_id)
        )
        return list(found)

    async def claim_notice(
        self, discussion_id: int, told_replies: int, at: datetime, stale_before: datetime
    ) -> bool:
        result = await self._session.execute(
            update(DiscussionRow)
            .where(
                DiscussionRow.id == discussion_id,
                DiscussionRow.notified_replies == told_replies,
                notice_free(stale_before),
            )
            .values(notice_claimed_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def notice_sent(
        self, discussion_id: int, replies: int, *, claimed_at: datetime, at: datetime
    ) -> None:
        await self._session.execute(
            update(DiscussionRow)
            .where(DiscussionRow.id == discussion_id, DiscussionRow.notice_claimed_at == claimed_at)
            .values(notified_replies=replies, notified_at=at, notice_claimed_at=None)
            .execution_options(synchronize_session=False)
        )

    async def take_owed_notices(
        self, now: datetime, hold_until: datetime, limit: int = 500
    ) -> list[OwedNotice]:
        rows = await self._session.execute(
            select(
                _Follower.discussion_id,
                _Follower.member_id,
                _Follower.told_replies,
                _Follower.attempts,
                DiscussionRow.notified_replies,
            )
            .join(DiscussionRow, DiscussionRow.id == _Follower.discussion_id)
            .where(
                _Follower.told_replies < DiscussionRow.notified_replies,
                _Follower.given_up_at.is_(None),
                or_(_Follower.next_attempt_at.is_(None), _Follower.next_attempt_at <= now),
                DiscussionRow.status == DiscussionStatus.OPEN.value,
            )
            .order_by(_Follower.discussion_id, _Follower.member_id)
            .limit(limit)
        )
        taken: list[OwedNotice] = []
        for discussion_id, member_id, told, attempts, replies in rows.all():
            # Conditional on what was read: of two instances, one takes it.
            result = await self._session.execute(
                update(_Follower)
                .where(
                    _Follower.discussion_id == discussion_id,
                    _Follower.member_id == member_id,
                    _Follower.attempts == attempts,
                    _Follower.told_replies == told,
                )
                .values(attempts=attempts + 1, next_attempt_at=hold_until)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # type: ignore[attr-defined]
                taken.append(OwedNotice(discussion_id, member_id, told, replies, attempts + 1))
        return taken

    async def notice_told(
        self, discussion_id: int, member_id: int, replies: int, *, at: datetime
    ) -> None:
        await self._session.execute(
            update(_Follower)
            .where(
                _Follower.discussion_id == discussion_id,
                _Follower.member_id == member_id,
                _Follower.told_replies < replies,
            )
            .values(told_replies=replies, attempts=0, next_attempt_at=None, last_error=None)
            .execution_options(synchronize_session=False)
        )

    async def notice_failed(
        self,
        discussion_id: int,
        member_id: int,
        error: str,
        *,
        retry_at: datetime | None,
        at: datetime,
    ) -> None:
        await self._session.execute(
            update(_Follower)
            .where(_Follower.discussion_id == discussion_id, _Follower.member_id == member_id)
            .values(
                next_attempt_at=retry_at,
                given_up_at=at if retry_at is None else None,
                last_error=error[:500],
            )
            .execution_options(synchronize_session=False)
        )
