"""The discussions repository: discussions, followers, opened threads, reply counts.

Word search uses a table of each discussion's words (title, question, topics),
the same on SQLite and PostgreSQL: every searched word must be one of them. A
LIKE over the text was simpler but scanned every discussion when the words were
rare (35 ms at 10,000 discussions); the word table answers from its index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    bindparam,
    case,
    delete,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.discussions.model import (
    Discussion,
    DiscussionQuery,
    DiscussionStatus,
    NewDiscussion,
    OccurrenceDiscussion,
    ReplyCount,
)
from bot.ports import PostedMessage
from bot.resources.terms import STOP_WORDS
from storage.dialect import insert_on_conflict
from storage.followers import SqlFollowers, notice_free
from storage.schema import (
    DiscussionFollowerRow,
    DiscussionRow,
    DiscussionThreadRow,
    DiscussionWordRow,
    MeetingDiscussionRow,
    MemberRow,
)
from storage.schema.discussions import WORD_MAX

_OPEN = DiscussionStatus.OPEN.value
_IN_CHUNK = 5000  # ids per IN (...): under SQLite's and asyncpg's parameter limits
_KEYS_CHUNK = 2000  # (meeting, occurrence) pairs per IN: two parameters each


def topic_keys(topics: Sequence[str]) -> str:
    return "|" + "|".join(dict.fromkeys(t.lower() for t in topics)) + "|"


_WORD = re.compile(r"[^\W_]+")


def _search_text(new: NewDiscussion) -> str:
    return " ".join((new.title, new.question, *new.topics)).lower()


def words_of(text: str) -> list[str]:
    """The searchable words of a text, as bot/resources/terms.py reduces a search."""
    found = (w.lower() for w in _WORD.findall(text))
    return list(dict.fromkeys(w for w in found if w not in STOP_WORDS and len(w) <= WORD_MAX))


class SqlDiscussions(SqlFollowers):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, new: NewDiscussion, by_member_id: int, at: datetime) -> Discussion:
        row = DiscussionRow(
            title=new.title,
            question=new.question,
            topics=", ".join(new.topics),
            topic_keys=topic_keys(new.topics),
            channel=new.channel,
            started_by=by_member_id,
            started_at=at,
            status=_OPEN,
            replies=0,
            last_activity=at,
            notified_replies=0,
            notified_at=None,
            notice_claimed_at=None,
            summary="",
        )
        self._session.add(row)
        await self._session.flush()
        self._session.add(DiscussionFollowerRow(discussion_id=row.id, member_id=by_member_id))
        self._session.add_all(
            DiscussionWordRow(word=word, discussion_id=row.id)
            for word in words_of(_search_text(new))
        )
        await self._session.flush()
        found = await self.get(row.id)
        assert found is not None
        return found

    async def get(self, discussion_id: int) -> Discussion | None:
        found = await self._select(DiscussionRow.id == discussion_id)
        return found[0] if found else None

    async def find(self, query: DiscussionQuery) -> list[Discussion]:
        conditions: list[ColumnElement[bool]] = []
        if query.topic:
            conditions.append(
                DiscussionRow.topic_keys.contains(f"|{query.topic.lower()}|", autoescape=True)
            )
        for word in query.words:
            conditions.append(
                DiscussionRow.id.in_(
                    select(DiscussionWordRow.discussion_id).where(
                        DiscussionWordRow.word == word.lower()
                    )
                )
            )
        # Open ones, then closed ones: two queries that each walk the (status,
        # last_activity) index newest first and stop at the page, instead of one
        # that sorts every match.
        found = await self._select(DiscussionRow.status == _OPEN, *conditions, limit=query.limit)
        if len(found) < query.limit:
            found += await self._select(
                DiscussionRow.status != _OPEN, *conditions, limit=query.limit - len(found)
            )
        return found

    async def _select(
        self, *conditions: ColumnElement[bool], limit: int | None = None, busiest: bool = False
    ) -> list[Discussion]:
        order = (DiscussionRow.last_activity.desc(), DiscussionRow.id.desc())
        statement = (
            select(DiscussionRow, MemberRow.display_name)
            .join(MemberRow, MemberRow.id == DiscussionRow.started_by)
            .where(*conditions)
            .order_by(*((DiscussionRow.replies.desc(), *order) if busiest else order))
            .limit(limit)
        )
        rows = (await self._session.execute(statement)).all()
        threads: dict[int, list[PostedMessage]] = {}
        if rows:
            found = await self._session.execute(
                select(DiscussionThreadRow).where(
                    DiscussionThreadRow.discussion_id.in_([row.id for row, _ in rows])
                )
            )
            for thread in found.scalars():
                threads.setdefault(thread.discussion_id, []).append(
                    PostedMessage(thread.platform, thread.channel, thread.thread, thread.url or "")
                )
        return [_discussion(row, name, threads.get(row.id, [])) for row, name in rows]

    async def close(
        self, discussion_id: int, summary: str, by_member_id: int, at: datetime
    ) -> bool:
        result = await self._session.execute(
            update(DiscussionRow)
            .where(DiscussionRow.id == discussion_id, DiscussionRow.status == _OPEN)
            .values(
                status=DiscussionStatus.CLOSED.value,
                summary=summary,
                closed_by=by_member_id,
                closed_at=at,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def for_occurrence(self, meeting_id: int, occurrence: date) -> Discussion | None:
        found = await self._session.scalar(
            select(MeetingDiscussionRow.discussion_id).where(
                MeetingDiscussionRow.meeting_id == meeting_id,
                MeetingDiscussionRow.occurrence == occurrence.isoformat(),
            )
        )
        return None if found is None else await self.get(found)

    async def for_meeting(self, meeting_id: int, today: date) -> Discussion | None:
        opened = (
            select(MeetingDiscussionRow.discussion_id)
            .join(DiscussionRow, DiscussionRow.id == MeetingDiscussionRow.discussion_id)
            .where(MeetingDiscussionRow.meeting_id == meeting_id, DiscussionRow.status == _OPEN)
            .limit(1)
        )
        day = today.isoformat()  # ISO dates sort as text
        found = await self._session.scalar(
            opened.where(MeetingDiscussionRow.occurrence >= day).order_by(
                MeetingDiscussionRow.occurrence
            )
        )
        if found is None:
            found = await self._session.scalar(
                opened.where(MeetingDiscussionRow.occurrence < day).order_by(
                    MeetingDiscussionRow.occurrence.desc()
                )
            )
        return None if found is None else await self.get(found)

    async def occurrence_discussions(
        self, keys: Sequence[tuple[int, date]]
    ) -> dict[tuple[int, date], OccurrenceDiscussion]:
        if not keys:
            return {}
        wanted = sorted({(meeting_id, day.isoformat()) for meeting_id, day in keys})
        found: dict[tuple[int, date], OccurrenceDiscussion] = {}
        for start in range(0, len(wanted), _KEYS_CHUNK):
            # One query for the keys, their discussions' titles and threads (outer join:
            # a discussion whose opening is not posted yet has none).
            rows = await self._session.execute(
                select(
                    MeetingDiscussionRow.meeting_id,
                    MeetingDiscussionRow.occurrence,
                    DiscussionRow.id,
                    DiscussionRow.title,
                    DiscussionThreadRow,
                )
                .join(DiscussionRow, DiscussionRow.id == MeetingDiscussionRow.discussion_id)
                .outerjoin(
                    DiscussionThreadRow,
                    DiscussionThreadRow.discussion_id == MeetingDiscussionRow.discussion_id,
                )
                .where(
                    tuple_(MeetingDiscussionRow.meeting_id, MeetingDiscussionRow.occurrence).in_(
                        wanted[start : start + _KEYS_CHUNK]
                    )
                )
            )
            for meeting_id, occurrence, discussion_id, title, thread in rows.all():
                key = (meeting_id, date.fromisoformat(occurrence))
                known = found.get(key) or OccurrenceDiscussion(discussion_id, title)
                if thread is not None:
                    posted = PostedMessage(
                        thread.platform, thread.channel, thread.thread, thread.url or ""
                    )
                    known = replace(known, threads=(*known.threads, posted))
                found[key] = known
        return found

    async def add_for_occurrence(
        self,
        new: NewDiscussion,
        by_member_id: int,
        at: datetime,
        meeting_id: int,
        occurrence: date,
    ) -> tuple[Discussion, bool]:
        existing = await self.for_occurrence(meeting_id, occurrence)
        if existing is not None:
            return existing, False
        added = await self.add(new, by_member_id, at)
        # The key is inserted with ON CONFLICT DO NOTHING rather than in a savepoint:
        # pysqlite's SAVEPOINT would commit the transaction early on SQLite. On
        # PostgreSQL a concurrent insert of the same key waits for the other
        # transaction; either way exactly one discussion keeps the key.
        claimed = await self._session.execute(
            insert_on_conflict(self._session, MeetingDiscussionRow)
            .values(
                meeting_id=meeting_id,
                occurrence=occurrence.isoformat(),
                discussion_id=added.id,
            )
            .on_conflict_do_nothing(index_elements=["meeting_id", "occurrence"])
            .returning(MeetingDiscussionRow.discussion_id)
        )
        if claimed.scalar_one_or_none() is not None:
            return added, True
        # Another click won the race: drop ours (its follower and words go with it).
        await self._session.execute(delete(DiscussionRow).where(DiscussionRow.id == added.id))
        winner = await self.for_occurrence(meeting_id, occurrence)
        assert winner is not None, "the conflicting key is committed"
        return winner, False

    async def add_thread(self, discussion_id: int, posted: PostedMessage) -> None:
        self._session.add(
            DiscussionThreadRow(
                platform=posted.platform,
                channel=posted.channel,
                thread=posted.message_id,
                discussion_id=discussion_id,
                url=posted.url or None,
            )
        )
        await self._session.flush()

    async def open_threads(self) -> dict[tuple[str, str, str], int]:
        found = await self._session.execute(
            select(
                DiscussionThreadRow.platform,
                DiscussionThreadRow.channel,
                DiscussionThreadRow.thread,
                DiscussionThreadRow.discussion_id,
            )
            .join(DiscussionRow, DiscussionRow.id == DiscussionThreadRow.discussion_id)
            .where(DiscussionRow.status == _OPEN)
        )
        return {(platform, channel, thread): i for platform, channel, thread, i in found.all()}

    async def opened_thread(self, platform: str, channel: str, thread: str) -> int | None:
        found: int | None = await self._session.scalar(
            select(DiscussionThreadRow.discussion_id)
            .join(DiscussionRow, DiscussionRow.id == DiscussionThreadRow.discussion_id)
            .where(
                DiscussionThreadRow.platform == platform,
                DiscussionThreadRow.channel == channel,
                DiscussionThreadRow.thread == thread,
                DiscussionRow.status == _OPEN,
            )
        )
        return found

    async def add_replies(self, counts: Sequence[ReplyCount]) -> set[int]:
        if not counts:
            return set()
        ids = [c.discussion_id for c in counts]
        open_ids: set[int] = set()
        for start in range(0, len(ids), _IN_CHUNK):
            open_ids.update(
                await self._session.scalars(
                    select(DiscussionRow.id).where(
                        DiscussionRow.id.in_(ids[start : start + _IN_CHUNK]),
                        DiscussionRow.status == _OPEN,
                    )
                )
            )
        batch = [
            {"b_id": c.discussion_id, "b_count": c.count, "b_latest": c.latest}
            for c in counts
            if c.discussion_id in open_ids
        ]
        if batch:
            latest = bindparam("b_latest", type_=DiscussionRow.last_activity.type)
            # Relative updates in one executemany: counts from other instances add up, and
            # the status check still holds if a close commits between the select and this.
            statement = (
                update(DiscussionRow.__table__)  # type: ignore[arg-type]
                .where(DiscussionRow.id == bindparam("b_id"), DiscussionRow.status == _OPEN)
                .values(
                    replies=DiscussionRow.replies + bindparam("b_count"),
                    last_activity=case(
                        (DiscussionRow.last_activity < latest, latest),
                        else_=DiscussionRow.last_activity,
                    ),
                )
            )
            connection = await self._session.connection()
            await connection.execute(statement, batch)
        return open_ids

    async def unnotified(
        self, quiet_since: datetime, stale_before: datetime, limit: int = 100
    ) -> list[Discussion]:
        return await self._select(
            DiscussionRow.status == _OPEN,
            DiscussionRow.replies > DiscussionRow.notified_replies,
            (DiscussionRow.notified_at.is_(None)) | (DiscussionRow.notified_at <= quiet_since),
            notice_free(stale_before),
            limit=limit,
        )

    async def most_active(self, since: datetime, limit: int = 5) -> list[Discussion]:
        return await self._select(
            DiscussionRow.status == _OPEN,
            DiscussionRow.last_activity >= since,
            DiscussionRow.replies > 0,
            limit=limit,
            busiest=True,
        )


def _discussion(row: DiscussionRow, starter: str, threads: list[PostedMessage]) -> Discussion:
    return Discussion(
        id=row.id,
        title=row.title,
        question=row.question,
        topics=tuple(t for t in row.topics.split(", ") if t),
        channel=row.channel,
        started_by=row.started_by,
        started_by_name=starter,
        started_at=row.started_at,
        status=DiscussionStatus(row.status),
        replies=row.replies,
        last_activity=row.last_activity,
        summary=row.summary,
        closed_at=row.closed_at,
        threads=tuple(threads),
        notified_replies=row.notified_replies,
    )
