"""After the commit: posting a question, and keeping its posts current."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal

from bot.delivery import Services
from bot.i18n import translator
from bot.keyed_locks import KeyedLocks
from bot.messages import FollowUp, ToChannel
from bot.ports import UnitOfWork
from bot.posted import PostedMessage
from bot.questions.cards import question_card
from bot.questions.model import Question
from bot.timezones import to_local

log = logging.getLogger(__name__)


async def _load(services: Services, question_id: int) -> Question:
    async with services.unit_of_work() as uow:
        question = await uow.questions.get(question_id)
    assert question is not None
    return question


async def meeting_threads(
    uow: UnitOfWork, meeting_id: int, now: datetime
) -> tuple[str, tuple[PostedMessage, ...]] | None:
    """The title and threads of the meeting's open discussion nearest ahead (today's
    occurrence, or the next one that has a discussion, else the latest); None if none."""
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None:
        return None
    today = to_local(now, meeting.timezone).date()
    discussion = await uow.discussions.for_meeting(meeting_id, today)
    if discussion is None or not discussion.threads:
        return None
    return discussion.title, discussion.threads


async def post_question(services: Services, question_id: int) -> None:
    """Post the question on every platform and remember each post: in the thread of its
    meeting's discussion where the platform has one, else in the office-hours channel."""
    question = await _load(services, question_id)
    card = question_card(translator(services.config.coalition.language), question)
    threads: tuple[PostedMessage, ...] = ()
    if question.meeting_id is not None:
        async with services.unit_of_work() as uow:
            found = await meeting_threads(uow, question.meeting_id, services.clock.now())
        threads = found[1] if found else ()
    for platform in services.broadcaster.platforms:
        thread = next((t for t in threads if t.platform == platform), None)
        try:
            if thread is not None:
                in_thread = await services.broadcaster.post_in_thread(thread, card)
                posted = [in_thread] if in_thread is not None else []
            else:
                posted = await services.broadcaster.send(
                    platform, ToChannel(question.channel), card
                )
        except Exception:
            log.exception("could not post question %s on %s", question_id, platform)
            continue
        async with services.unit_of_work() as uow:
            for where in posted:
                await uow.questions.add_post(question_id, where)
            await uow.commit()


class QuestionEdits:
    """One edit of a question's posts at a time in this process, each reading the count
    anew, so the last edit shows the last count (as PollEdits)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._lock: KeyedLocks[int] = KeyedLocks()

    async def refresh(self, question_id: int) -> None:
        async with self._lock(question_id):
            question = await _load(self.services, question_id)
            tr = translator(self.services.config.coalition.language)
            card = question_card(tr, question)
            for posted in question.posts:
                try:
                    await self.services.broadcaster.edit(posted, card)
                except Exception:
                    log.exception("could not update question %s", question_id)


def after(services: Services, question_id: int, work: Literal["post", "refresh"]) -> FollowUp:
    async def follow_up() -> None:
        if work == "post":
            await post_question(services, question_id)
        else:
            await services.get(QuestionEdits).refresh(question_id)

    return follow_up
