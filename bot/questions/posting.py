"""After the commit: posting a question, and keeping its posts current."""

from __future__ import annotations

import logging
from typing import Literal

from bot.delivery import Services
from bot.i18n import translator
from bot.keyed_locks import KeyedLocks
from bot.messages import FollowUp, ToChannel
from bot.questions.cards import question_card
from bot.questions.model import Question

log = logging.getLogger(__name__)


async def _load(services: Services, question_id: int) -> Question:
    async with services.unit_of_work() as uow:
        question = await uow.questions.get(question_id)
    assert question is not None
    return question


async def post_question(services: Services, question_id: int) -> None:
    """Post the question on every platform and remember each post."""
    question = await _load(services, question_id)
    card = question_card(translator(services.config.coalition.language), question)
    for platform in services.broadcaster.platforms:
        try:
            posted = await services.broadcaster.send(platform, ToChannel(question.channel), card)
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
