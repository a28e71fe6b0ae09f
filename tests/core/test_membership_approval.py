"""Approval mode when people repeat themselves: joining twice, after a decline, double clicks."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage import Storage
from tests.core.test_membership import approval_harness
from tests.harness import text_of


async def test_joining_again_while_waiting_says_since_when(sqlite: Storage) -> None:
    harness = approval_harness(sqlite)
    await harness.join("dana", "Dana Reyes")
    assert "sent to the coordinators" in text_of(await harness.join("maria", "Maria Lopez"))
    harness.clock.advance(timedelta(days=2))

    typed = await harness.join("maria", "Maria Lopez", region="Southwest")
    empty = await harness.say("maria", "join")  # the form is refused before it opens
    submitted = await harness.run(
        "maria",
        ("join",),
        from_form=True,
        name="Maria L",
        organization="Alameda",
        discipline="Epidemiology",
        region="West",
    )
    for reply in (typed, empty, submitted):
        said = text_of(reply)
        assert "waiting for a coordinator since" in said, said
        assert "Mar 2, 2026" in said  # when the request was made, not now
        assert "went wrong" not in said
        assert reply.private and reply.form is None
    assert await harness.storage_count("members") == 2
    assert await harness.storage_count("join_requests") == 1
    assert len(harness.poster.to("#coordinators")) == 1  # the coordinators are not asked twice


async def test_a_declined_person_can_ask_again(sqlite: Storage) -> None:
    harness = approval_harness(sqlite)
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    (first,) = harness.poster.to("#coordinators")
    await harness.click("dana", first.message.buttons[1])

    again = await harness.join("maria", "Maria Lopez")
    assert "sent to the coordinators" in text_of(again)
    second = harness.poster.to("#coordinators")[-1]
    assert second is not first and "Maria Lopez" in second.text
    # The old post's buttons still say it was declined; the new one can be approved.
    assert "already declined" in text_of(await harness.click("dana", first.message.buttons[0]))
    assert "You approved Maria Lopez" in text_of(
        await harness.click("dana", second.message.buttons[0])
    )
    assert "Maria Lopez" in text_of(await harness.say("maria", "profile view"))


async def test_a_double_click_on_approve_approves_once(storage: Storage) -> None:
    harness = approval_harness(storage)
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    approve = harness.poster.to("#coordinators")[-1].message.buttons[0]

    first, second = await asyncio.gather(
        harness.click("dana", approve), harness.click("dana", approve)
    )
    answers = sorted([text_of(first), text_of(second)])
    assert "Dana Reyes already approved this request" in answers[0], answers
    assert "You approved Maria Lopez" in answers[1], answers
    assert len(harness.poster.to("@maria")) == 1  # welcomed once
    assert "Maria Lopez" in text_of(await harness.say("maria", "profile view"))


async def test_a_double_submit_of_the_join_form_asks_once(storage: Storage) -> None:
    harness = approval_harness(storage)
    await harness.join("dana", "Dana Reyes")
    first, second = await asyncio.gather(
        harness.join("maria", "Maria Lopez"), harness.join("maria", "Maria Lopez")
    )
    answers = [text_of(first), text_of(second)]
    won = [a for a in answers if "sent to the coordinators" in a]
    # The other was told nothing changed (or, if it came after, that the request waits).
    told = [a for a in answers if "changes nothing" in a or "waiting for a coordinator" in a]
    assert len(won) == 1 and len(told) == 1, answers
    assert await harness.storage_count("join_requests") == 1
    assert len(harness.poster.to("#coordinators")) == 1
