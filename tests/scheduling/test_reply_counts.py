"""The App's part in buffered reply counts: a periodic flush on every instance, one at close."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.bootstrap import build_app
from bot.clock import ManualClock
from bot.config import Config, Secrets
from bot.discussions.ingest import ReplyIngest
from bot.discussions.model import NewDiscussion
from bot.discussions.replies import record_reply
from bot.identity import Identity
from bot.membership.model import Profile
from bot.ports import PostedMessage
from storage import Storage

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


async def test_closing_the_app_writes_the_buffered_counts(sqlite: Storage) -> None:
    async with sqlite.unit_of_work() as uow:
        member = await uow.members.add(
            Profile("Maria", "Alameda PH"), Identity("slack", "T1", "U1"), pending=False, at=NOW
        )
        discussion = await uow.discussions.add(
            NewDiscussion("Boards", "How?", (), "discussions"), member.id, NOW
        )
        await uow.discussions.add_thread(discussion.id, PostedMessage("slack", "C1", "1.0"))
        await uow.commit()
    app = build_app(Config(), Secrets(), clock=ManualClock(NOW), storage=sqlite)
    assert app.scheduler is not None
    (job,) = (j for j in app.scheduler.periodic if j.name == "discussion-reply-counts")
    assert not job.leader_only  # each instance flushes the events it received
    for _ in range(3):
        assert await record_reply(app.dispatcher.services, "slack", "C1", "1.0", NOW)
    assert app.dispatcher.services.get(ReplyIngest).pending == 3
    await app.close()
    async with sqlite.unit_of_work() as uow:
        found = await uow.discussions.get(discussion.id)
    assert found is not None and found.replies == 3
