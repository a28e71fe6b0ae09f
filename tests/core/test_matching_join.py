"""`match join`, `snooze` and `leave` as a person types them, typos and second thoughts
included, in English and in Spanish: each answer says what happened and what to type."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.matching.model import Preferences
from tests.core.test_matching import hold_round, intros, setup
from tests.harness import Harness, text_of

pytestmark = pytest.mark.both_databases


async def wishes_of(harness: Harness, user: str) -> Preferences:
    async with harness.storage.unit_of_work() as uow:
        member = await uow.members.by_identity(harness.who(user))
        assert member is not None
        found = await uow.matching.opt_in_of(member.id)
    assert found is not None
    return found.preferences


async def test_joining_again_changes_only_the_wishes_given(harness: Harness) -> None:
    await setup(harness, 1)
    first = "match join region=same discipline=other topics=Housing role=mentor"
    assert "You are in peer matching" in text_of(await harness.say("maria", first))
    # Found in the terminal: this used to reset region, discipline, topics and role.
    changed = text_of(await harness.say("maria", "match join same_organization=yes"))
    assert "wishes are updated" in changed
    assert await wishes_of(harness, "maria") == Preferences(
        "same", "other", ("Housing",), "mentor", same_organization=True
    )
    # The answer shows every wish in effect, as it would be typed.
    assert (
        "Your wishes now: /coalition match join region=same discipline=other topics=Housing "
        "role=mentor same_organization=yes"
    ) in changed
    same = text_of(await harness.say("maria", "match join region=SAME"))
    assert "Nothing to change: your peer matching wishes already say that." in same


async def test_a_dash_removes_the_topics_or_the_role(harness: Harness) -> None:
    await setup(harness, 1)
    await harness.say("maria", 'match join topics="housing, HOUSING , health equity" role=mentee')
    assert (await wishes_of(harness, "maria")).topics == ("Housing", "Health Equity")
    await harness.say("maria", "match join role=-")
    assert (await wishes_of(harness, "maria")).role == ""
    cleared = text_of(await harness.say("maria", "match join topics=none"))
    assert "topics=" not in cleared and "role=" not in cleared
    assert await wishes_of(harness, "maria") == Preferences("any", "any")


async def test_typos_and_wrong_values_are_named_with_what_to_type(harness: Harness) -> None:
    await setup(harness, 1)
    said = {
        "match join region=samee": "samee is not one of the choices for region. Did you mean same? The choices are: same, other, any.",
        "match join region=sme": "Did you mean same?",
        "match join region=Atlantis": "Atlantis is not one of the choices for region. Choose from: same, other, any.",
        "match join regoin=same": "has no option regoin. Did you mean region?",
        "match join topics=Housng": "Housng is not among your interests. Choose from: Housing, Health Equity.",
        "match join role=mentorr": "mentorr is not one of the choices for role. Did you mean mentor? The choices are: mentor, mentee.",
        "match join same_organization=maybe": "same_organization takes yes or no",
        "match joni": "Did you mean /coalition match join?",
    }
    for typed, expected in said.items():
        assert expected in text_of(await harness.say("maria", typed)), typed
    assert await harness.storage_count("match_optins") == 0  # nothing half done


async def test_a_snooze_in_the_past_today_or_unreadable_is_refused(harness: Harness) -> None:
    await setup(harness, 1)
    await harness.say("maria", "match join region=any")
    today = harness.clock.now().date()
    for typed, expected in {
        f"match snooze until={today.isoformat()}": "is not in the future",
        f"match snooze until={(today - timedelta(days=3)).isoformat()}": "is not in the future",
        "match snooze until=12/25/2026": "is not a date I can read",
        "match snooze until=2026-02-30": "is not a real date",
        "match snooze": "until is required",
    }.items():
        assert expected in text_of(await harness.say("maria", typed)), typed
    assert (await harness.storage_count("match_optins")) == 1


async def test_welcome_back_only_while_a_snooze_still_runs(harness: Harness) -> None:
    poster = await setup(harness, 2)
    for user in ("maria", "lee"):
        await harness.say(user, "match join region=any")
    until = (harness.clock.now() + timedelta(days=1)).date().isoformat()
    assert "Snoozed" in text_of(await harness.say("lee", f"match snooze until={until}"))
    back = text_of(await harness.say("lee", "match join role=mentee"))
    assert "Welcome back: your snooze is over" in back
    await harness.say("lee", f"match snooze until={until}")
    harness.clock.advance(timedelta(days=2))
    # The snooze ends by itself: a round after its date matches Lee again...
    assert await hold_round(harness) == 1 and set(intros(poster)) == {"maria", "lee"}
    # ...and a later change of wishes is an update, not a welcome back.
    later = text_of(await harness.say("lee", "match join role=mentor"))
    assert "wishes are updated" in later and "Welcome back" not in later


async def test_in_spanish_joining_snoozing_and_leaving_twice(harness: Harness) -> None:
    await setup(harness, 1)
    await harness.say("maria", "profile edit language=es")
    joined = text_of(await harness.say("maria", "match join region=same"))
    assert "Está en el intercambio entre pares" in joined
    assert "Sus preferencias ahora: /coalition match join region=same" in joined
    wrong = text_of(await harness.say("maria", "match join region=misma"))
    assert (
        "misma no es una de las opciones de " in wrong
        and "(region=). Elija entre: same, other, any." in wrong
    )
    today = harness.clock.now().date().isoformat()
    past = text_of(await harness.say("maria", f"match snooze until={today}"))
    assert "no está en el futuro" in past or "no es en el futuro" in past, past
    unchanged = text_of(await harness.say("maria", "match join region=same"))
    assert "Nada que cambiar" in unchanged
    left = text_of(await harness.say("maria", "match leave"))
    again = text_of(await harness.say("maria", "match leave"))
    assert "Salió del intercambio entre pares" in left, left
    assert "No está en el intercambio entre pares" in again, again
    later = (harness.clock.now() + timedelta(days=30)).date().isoformat()
    snooze = text_of(await harness.say("maria", f"match snooze until={later}"))
    assert "No está en el intercambio entre pares, así que no hay nada que pausar" in snooze, snooze


async def test_the_form_offers_no_topic_the_member_cannot_choose(harness: Harness) -> None:
    # Found in the terminal: the form listed the coalition's every interest as examples
    # ("Workforce"), then refused one that was not among the member's own.
    await setup(harness, 1)
    await harness.say("maria", "match join region=same topics=Housing")
    form = (await harness.say("maria", "match join")).form
    assert form is not None
    topics = next(f for f in form.fields if f.name == "topics")
    assert topics.choices == () and topics.value == "Housing"
    refused = text_of(await harness.say("maria", "match join topics=Workforce"))
    assert "Workforce is not among your interests. Choose from: Housing, Health Equity." in refused
