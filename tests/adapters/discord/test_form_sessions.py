"""Half-filled Discord forms and delivery claims, on both databases: kept until sent,
expired or their member leaves."""

from __future__ import annotations

from datetime import timedelta

from adapters.bootstrap import forget_expired_claims
from adapters.discord.claims import claims_for
from adapters.discord.form_sessions import FORM_TTL, FormSessions
from bot.clock import ManualClock
from bot.identity import Identity, Place
from bot.invocation import Click
from bot.messages import Form, FormField
from storage import Storage
from storage.discord_forms import DiscordForms
from tests.harness import START, Harness, text_of

FORM = Form(
    ("join",),
    "Join",
    (
        FormField("name", "Name", "", "text", required=True),
        FormField("discipline", "Discipline", "", "choices", choices=("Nursing", "Epidemiology")),
    ),
)


def sessions_on(storage: Storage, clock: ManualClock) -> FormSessions:
    return FormSessions(DiscordForms(storage.sessions), clock)


async def test_answers_are_kept_for_their_person_until_the_form_expires(storage: Storage) -> None:
    clock = ManualClock(START)
    sessions = sessions_on(storage, clock)
    opened = await sessions.open(FORM, user_id=7, public=True)
    opened.answers.update(name="Carol Diaz", discipline=("Nursing",))
    opened.seen.add(0)
    await sessions.save(opened)
    # Another replica (another FormSessions on the same database) goes on with it.
    again = await sessions_on(storage, clock).get(opened.token, 7)
    assert again is not None
    assert again.answers == {"name": "Carol Diaz", "discipline": ("Nursing",)}
    assert again.seen == {0} and again.public and again.form == FORM
    assert await sessions.get(opened.token, 8) is None  # someone else's
    clock.advance(FORM_TTL + timedelta(seconds=1))
    assert await sessions.get(opened.token, 7) is None
    assert await storage_forms(storage) == 1  # until the purge
    await sessions.forget_expired()
    assert await storage_forms(storage) == 0


async def test_a_forms_carried_values_are_kept_with_it(storage: Storage) -> None:
    """The evaluation's session is never a field: the next step (maybe on another
    replica) still sends it with the answers."""
    clock = ManualClock(START)
    form = Form(("evaluation", "answer"), "Evaluation", FORM.fields, carried=(("session", "1@x"),))
    opened = await sessions_on(storage, clock).open(form, user_id=7, public=False)
    again = await sessions_on(storage, clock).get(opened.token, 7)
    assert again is not None and again.form == form
    assert again.form.submitted({"name": "Carol"}) == {"session": "1@x", "name": "Carol"}


async def test_a_sent_form_is_deleted(storage: Storage) -> None:
    sessions = sessions_on(storage, ManualClock(START))
    opened = await sessions.open(FORM, user_id=7, public=False)
    await sessions.close(opened.token)
    assert await sessions.get(opened.token, 7) is None
    assert await storage_forms(storage) == 0


async def test_a_members_half_filled_forms_go_when_they_leave(storage: Storage) -> None:
    harness = Harness(storage)
    maria = Identity("discord", "900", "42")
    place = Place("discord", "900", "1")
    joined = await harness.dispatcher.run_text(
        maria,
        place,
        'join name="Maria Lopez" organization="Alameda" discipline=Epidemiology region=West',
    )
    assert "Welcome" in text_of(joined)
    sessions = sessions_on(storage, harness.clock)
    hers = await sessions.open(FORM, user_id=42, public=False)
    theirs = await sessions.open(FORM, user_id=43, public=False)
    question = await harness.dispatcher.run_text(maria, place, "leave")
    assert question.message is not None
    confirm = next(b for b in question.message.buttons if b.action == "leave.confirm")
    await harness.dispatcher.click(Click(maria, place, confirm.action, confirm.target))
    assert await sessions.get(hers.token, 42) is None
    assert await sessions.get(theirs.token, 43) is not None  # someone else's stays
    assert await storage_forms(storage) == 1


async def storage_forms(storage: Storage) -> int:
    return await Harness(storage).storage_count("discord_forms")


async def test_the_purge_forgets_expired_claims_and_forms(storage: Storage) -> None:
    clock = ManualClock(START)
    delivered = claims_for(storage, clock)
    sessions = sessions_on(storage, clock)
    await sessions.open(FORM, user_id=7, public=False)
    assert await delivered.interaction(1001)
    assert await delivered.message(1001)  # a message id is claimed apart from interactions
    replicas = storage.backend == "postgresql"  # SQLite is one instance: nothing is claimed
    assert await delivered.interaction(1001) is not replicas
    clock.advance(FORM_TTL + timedelta(seconds=1))
    await sessions.forget_expired()  # Discord's job
    await forget_expired_claims(storage, clock)  # every platform's claims, one job
    assert await storage_forms(storage) == 0
    assert await Harness(storage).storage_count("interaction_claims") == 0
    assert await delivered.interaction(1001)  # Discord no longer delivers it: claimable again
