"""Joining with an invitation code through the dispatcher, on both databases."""

from __future__ import annotations

import pytest

from bot.config import CoalitionSettings, Config
from bot.invocation import ActorHints
from bot.messages import Reply
from bot.roster.importing import apply_import, plan_import
from bot.roster.model import RosterEntry
from storage import Storage
from tests.harness import Harness, text_of

ANA = RosterEntry("Ana Ruiz", "ana@example.org", "Denver PH", "Nursing", "Southwest", "Denver")


async def _invite(harness: Harness, entry: RosterEntry) -> str:
    async with harness.storage.unit_of_work() as uow:
        planned = await plan_import(uow.invitations, [(2, entry)])
        await apply_import(uow.invitations, planned, at=harness.clock.now())
        await uow.commit()
    return planned[0].code


@pytest.mark.both_databases
async def test_a_code_typed_with_every_field_joins_and_is_used_once(harness: Harness) -> None:
    code = await _invite(harness, ANA)
    line = (
        f'join name="Ana Ruiz" organization="Denver PH" discipline=Nursing region=West code={code}'
    )
    assert "Welcome" in text_of(await harness.say("ana", line))
    async with harness.storage.unit_of_work() as uow:
        assert await uow.invitations.pending() == []
    again = await harness.say("bo", line)
    assert "was already used to join" in text_of(again)
    assert await harness.storage_count("members") == 1  # nothing written for the refusal


@pytest.mark.both_databases
async def test_a_wrong_code_in_a_full_join_writes_nothing(harness: Harness) -> None:
    await _invite(harness, ANA)
    line = "join name=Bo organization=City discipline=Nursing region=West code=AAAAA-BBBBB"
    assert "I don't know the invitation code" in text_of(await harness.say("bo", line))
    assert await harness.storage_count("members") == 0


async def test_a_code_for_a_coalition_with_approval_leaves_the_request_pending(
    sqlite: Storage,
) -> None:
    harness = Harness(sqlite, Config(coalition=CoalitionSettings(approval_required=True)))
    code = await _invite(harness, ANA)
    form = await harness.say("ana", f"join code={code}")
    assert form.form is not None
    values = {f.name: f.value for f in form.form.fields if f.value}
    reply = await harness.run("ana", ("join",), from_form=True, **values)
    assert "was sent to the coordinators" in text_of(reply)


def _fields(reply: Reply) -> list[str]:
    assert reply.form is not None
    return [f.name for f in reply.form.fields]


@pytest.mark.both_databases
async def test_the_join_form_asks_for_a_code_only_while_invitations_are_unused(
    harness: Harness,
) -> None:
    assert "code" not in _fields(await harness.say("ana", "join"))  # no roster imported
    code = await _invite(harness, ANA)
    assert _fields(await harness.say("ana", "join"))[-1] == "code"
    line = (
        f'join name="Ana Ruiz" organization="Denver PH" discipline=Nursing region=West code={code}'
    )
    assert "Welcome" in text_of(await harness.say("ana", line))
    # The only invitation is used: the next person is not asked for a code.
    assert "code" not in _fields(await harness.say("bo", "join"))


def _values(reply: Reply) -> dict[str, str]:
    assert reply.form is not None, text_of(reply)
    return {f.name: f.value for f in reply.form.fields if f.value}


@pytest.mark.both_databases
async def test_a_verified_email_on_the_roster_gets_its_invitation_without_a_code(
    harness: Harness,
) -> None:
    code = await _invite(harness, ANA)
    # Slack vouches for the email, in another case than the roster's.
    form = await harness.say("ana", "join", hints=ActorHints(email="Ana@Example.org "))
    values = _values(form)
    assert values["code"] == code
    assert values["name"] == "Ana Ruiz" and values["organization"] == "Denver PH"
    assert values["region"] == "Southwest" and values["jurisdiction"] == "Denver"
    reply = await harness.run("ana", ("join",), from_form=True, **values)
    assert "Welcome" in text_of(reply)
    async with harness.storage.unit_of_work() as uow:
        assert await uow.invitations.pending() == []


@pytest.mark.both_databases
async def test_an_email_not_on_the_roster_or_already_used_gets_the_ordinary_form(
    harness: Harness,
) -> None:
    code = await _invite(harness, ANA)
    other = await harness.say("bo", "join", hints=ActorHints(name="Bo", email="bo@example.org"))
    assert _values(other).keys() == {"name", "timezone", "language"}  # what Slack knew
    line = (
        f'join name="Ana Ruiz" organization="Denver PH" discipline=Nursing region=West code={code}'
    )
    assert "Welcome" in text_of(await harness.say("ana", line))
    # Someone else on that email later (a second account): the used code is not offered.
    again = await harness.say("ana2", "join", hints=ActorHints(email="ana@example.org"))
    assert "code" not in _values(again)


@pytest.mark.both_databases
async def test_a_typed_code_wins_over_the_email(harness: Harness) -> None:
    await _invite(harness, ANA)
    bo = RosterEntry("Bo Chen", "bo@example.org", "Boulder PH", "Policy", "West", "Boulder")
    code = await _invite(harness, bo)
    form = await harness.say("ana", f"join code={code}", hints=ActorHints(email="ana@example.org"))
    assert _values(form)["name"] == "Bo Chen"


def test_the_email_is_left_out_of_what_hints_show() -> None:
    assert "ana@example.org" not in repr(ActorHints(name="Ana", email="ana@example.org"))
