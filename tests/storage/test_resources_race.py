"""Two coordinators click Approve and Reject at the same moment, through the dispatcher,
on SQLite and on PostgreSQL: one decision is recorded, the other is told who decided."""

from __future__ import annotations

import asyncio

from bot.resources.model import AuditAction
from storage import Storage
from tests.core.test_resources import button, review_post, setup, suggest
from tests.harness import Harness, text_of


async def test_simultaneous_clicks_record_one_decision_and_tell_the_other(
    storage: Storage,
) -> None:
    harness = Harness(storage)
    await setup(harness)
    await harness.join("sam", "Sam Okafor")
    await harness.say("admin", "role grant @sam coordinator")
    await suggest(harness)
    post = review_post(harness).message
    approve = button(post, "resource.approve")
    # Approve is decided at once; Reject first asks for a reason, so race the typed form.
    dana, sam = await asyncio.gather(
        harness.click("dana", approve),
        harness.run("sam", ("resource", "reject"), id="1", reason="Out of scope"),
    )
    answers = [text_of(dana), text_of(sam)]
    won = [a for a in answers if "You approved" in a or "You rejected" in a]
    told = [a for a in answers if "already approved" in a or "already rejected" in a]
    assert len(won) == 1 and len(told) == 1, answers
    winner = "Dana Reyes" if "You approved" in won[0] else "Sam Okafor"
    assert winner in told[0]
    async with storage.unit_of_work() as uow:
        resource = await uow.resources.get(1)
        trail = await uow.resource_audit.history(1)
    assert resource is not None and resource.decided_by_name == winner
    decisions = [e.action for e in trail if e.action in {"approved", "rejected"}]
    assert len(decisions) == 1
    published = harness.poster.to("#resources")
    assert len(published) == (1 if winner == "Dana Reyes" else 0)


async def test_two_coordinators_retiring_at_once_retire_it_once(storage: Storage) -> None:
    harness = Harness(storage)
    await setup(harness)
    await harness.join("sam", "Sam Okafor")
    await harness.say("admin", "role grant @sam coordinator")
    await suggest(harness)
    await harness.click("dana", button(review_post(harness).message, "resource.approve"))
    questions = [
        await harness.say(who, f'resource retire 1 reason="Old, says {who}"')
        for who in ("dana", "sam")
    ]
    yes = [q.message.buttons[0] for q in questions if q.message is not None]
    dana, sam = await asyncio.gather(harness.click("dana", yes[0]), harness.click("sam", yes[1]))
    answers = [text_of(dana), text_of(sam)]
    assert sum("Retired #1" in a for a in answers) == 1, answers
    assert sum("#1 was already retired by" in a for a in answers) == 1, answers
    async with storage.unit_of_work() as uow:
        trail = await uow.resource_audit.history(1)
    assert [e.action for e in trail].count(AuditAction.RETIRED) == 1
