"""Membership through the dispatcher, on a real SQLite database and a manual clock."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.config import CoalitionSettings, Config
from bot.invocation import ActorHints
from bot.membership import profiles
from bot.membership.model import Member
from bot.messages import Reply
from storage import Storage
from storage.database import database_url
from tests.harness import Harness, text_of


async def test_join_welcomes_and_profile_shows_what_was_given(harness: Harness) -> None:
    reply = await harness.join("maria", "Maria Lopez", interests="housing, Health Equity")
    assert "Welcome to Our Coalition" in text_of(reply)
    assert "/coalition directory" in text_of(reply)  # says what to do next

    profile = text_of(await harness.say("maria", "profile view"))
    assert "Maria Lopez" in profile
    assert "Interests: Housing, Health Equity" in profile  # canonical spelling from config
    assert "America/Chicago" in profile  # the coalition's zone when none was given


async def test_join_takes_timezone_and_language_hints_from_the_platform(harness: Harness) -> None:
    hints = ActorHints(name="Ana", language="es", timezone="America/Denver")
    reply = await harness.say(
        "ana", 'join name=Ana organization="Denver PH" discipline=Nursing region=West', hints=hints
    )
    assert reply.message is not None
    member = await _member(harness, "ana")
    assert member.profile.timezone == "America/Denver"
    assert member.profile.language == "es"


async def test_join_twice_is_refused_with_the_edit_command(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    again = await harness.say("maria", "join")  # even the empty form is refused
    assert "already a member" in text_of(again)
    assert "/coalition profile edit" in text_of(again)
    assert again.form is None


async def test_join_without_options_asks_with_a_prefilled_form(harness: Harness) -> None:
    reply = await harness.say("newbie", "join", hints=ActorHints(name="New Person"))
    assert reply.form is not None
    fields = {f.name: f for f in reply.form.fields}
    assert fields["name"].value == "New Person"
    assert fields["name"].required
    assert "Epidemiology" in fields["discipline"].choices
    assert fields["interests"].multiple


async def test_bad_field_names_the_field_and_the_allowed_values(harness: Harness) -> None:
    reply = await harness.join("maria", "Maria", region="Atlantis")
    assert reply.invalid_field == "region"
    assert "Atlantis is not one of the choices for region" in text_of(reply)
    assert "Northeast, Southeast, Midwest, Southwest, West" in text_of(reply)


async def test_missing_required_field_gives_an_example(harness: Harness) -> None:
    await harness.join("maria", "Maria")
    reply = await harness.say("maria", "resource view")
    assert reply.invalid_field == "id"
    assert "id is required. For example: /coalition resource view id=12" in text_of(reply)


async def test_some_required_fields_open_the_form_with_what_was_given(harness: Harness) -> None:
    reply = await harness.say("maria", "join name=Maria region=west")
    assert reply.form is not None and reply.message is None
    values = {f.name: f.value for f in reply.form.fields}
    assert values["name"] == "Maria" and values["region"] == "west"
    assert values["organization"] == ""
    assert await harness.storage_count("members") == 0


async def test_unknown_time_zone_suggests_close_names(harness: Harness) -> None:
    reply = await harness.join("maria", "Maria", timezone="America/Los_Angelos")
    assert reply.invalid_field == "timezone"
    assert "America/Los_Angeles" in text_of(reply)


async def test_text_over_its_limit_states_the_limit(harness: Harness) -> None:
    reply = await harness.join("maria", "M" * 81)
    assert "name can be at most 80 characters; yours has 81" in text_of(reply)
    assert await harness.storage_count("members") == 0


async def test_unknown_command_suggests_the_closest(harness: Harness) -> None:
    reply = await harness.say("maria", "jion")
    assert "Did you mean /coalition join?" in text_of(reply)


async def test_unknown_option_lists_the_options(harness: Harness) -> None:
    await harness.join("maria", "Maria")
    reply = await harness.say("maria", "directory colour=blue")
    assert "has no option colour" in text_of(reply)
    assert "region" in text_of(reply)
    assert "Did you mean" not in text_of(reply)  # nothing is close to "colour"


async def test_a_near_miss_of_a_subcommand_or_an_option_is_named(harness: Harness) -> None:
    # Typed as people type them: a letter short, a shorter word for the option.
    await harness.join("maria", "Maria")
    said = text_of(await harness.say("maria", "meeting schedul title=x"))
    assert said == "meeting has no schedul. Did you mean /coalition meeting schedule?"
    said = text_of(await harness.say("maria", "resource suggest topic=Climate"))
    assert "has no option topic. Did you mean topics? Its options are: url, title" in said
    await harness.join("ana", "Ana", language="es")
    said = text_of(await harness.say("ana", "directory regoin=West"))
    assert "no tiene la opción regoin. ¿Quiso decir region?" in said


async def test_unclosed_quote_explains_how_to_quote(harness: Harness) -> None:
    reply = await harness.say("maria", 'join name="Maria')
    assert "quotation mark is not closed" in text_of(reply)


async def test_edit_changes_only_what_was_given(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez", jurisdiction="Alameda County")
    reply = await harness.say("maria", "profile edit region=Southwest listed=no")
    assert "Your profile is updated" in text_of(reply)
    member = await _member(harness, "maria")
    assert member.profile.region == "Southwest"
    assert member.profile.jurisdiction == "Alameda County"
    assert not member.profile.listed


async def test_profile_card_shows_the_profile_as_it_is_now(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez", region="West")
    first = await harness.say("maria", "profile view")
    await harness.say("maria", "profile edit region=Southwest")
    changed = await harness.say("maria", "profile view")
    assert "Region: West" in text_of(first)
    assert "Region: Southwest" in text_of(changed) and "Region: West" not in text_of(changed)


async def test_edit_form_is_prefilled_with_the_current_profile(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez", interests="Housing")
    reply = await harness.say("maria", "profile edit")
    assert reply.form is not None
    values = {f.name: f.value for f in reply.form.fields}
    assert values["name"] == "Maria Lopez"
    assert values["interests"] == "Housing"
    assert values["listed"] == "yes"


async def test_directory_filters_and_never_shows_hidden_members(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez", interests="Housing")
    await harness.join("sam", "Sam Okafor", region="Midwest", interests="Housing")
    await harness.join("hid", "Hidden Person", interests="Housing")
    await harness.say("hid", "profile edit listed=no")

    everyone = text_of(await harness.say("maria", "directory interest=housing"))
    assert "2 members found" in everyone
    assert "Hidden Person" not in everyone
    west = text_of(await harness.say("maria", "directory region=West"))
    assert "Maria Lopez" in west and "Sam Okafor" not in west
    by_org = text_of(await harness.say("maria", 'directory organization="okafor health"'))
    assert "Sam Okafor" in by_org and "Maria" not in by_org


async def test_directory_pages(harness: Harness) -> None:
    for n in range(12):
        await harness.join(f"user{n}", f"Person {n:02d}")
    first = text_of(await harness.say("user0", "directory"))
    assert "12 members found" in first
    assert "Page 1 of 2" in first and "page=2" in first
    second = text_of(await harness.say("user0", "directory page=2"))
    assert "Person 10" in second and "Person 00" not in second


async def test_hidden_profile_is_private_to_members_but_not_to_its_owner(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    await harness.join("hid", "Hidden Person")
    await harness.say("hid", "profile edit listed=no")
    assert "keeps their profile private" in text_of(await harness.say("maria", "profile view @hid"))
    assert "Hidden Person" in text_of(await harness.say("hid", "profile view @hid"))


async def test_view_another_member_by_mention_or_name(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    await harness.join("sam", "Sam Okafor")
    assert "Sam Okafor" in text_of(await harness.say("maria", "profile view @sam"))
    assert "Sam Okafor" in text_of(await harness.say("maria", 'profile view "sam okafor"'))
    assert "can't find a member" in text_of(await harness.say("maria", "profile view @nobody"))


async def test_guests_are_told_to_join_first(harness: Harness) -> None:
    reply = await harness.say("stranger", "directory")
    assert "join the coalition first" in text_of(reply)


async def test_admin_grants_and_revokes_coordinator_and_it_is_recorded(harness: Harness) -> None:
    await harness.join("admin", "Dana Admin")
    await harness.join("maria", "Maria Lopez")
    harness.clock.advance(timedelta(minutes=5))

    granted = await harness.say("admin", "role grant @maria coordinator")
    assert "Maria Lopez is now a coordinator" in text_of(granted)
    assert "made you a coordinator" in harness.poster.to("@maria")[0].text
    assert (await _member(harness, "maria")).role.name == "COORDINATOR"

    again = await harness.say("admin", "role grant @maria coordinator")
    assert "already a coordinator" in text_of(again)

    harness.clock.advance(timedelta(hours=1))
    await harness.say("admin", "role revoke member=@maria role=coordinator")
    history = text_of(await harness.say("admin", "role history"))
    assert "Dana Admin removed Maria Lopez as coordinator" in history
    assert "Dana Admin made Maria Lopez a coordinator" in history
    assert history.index("removed") < history.index("made")  # newest first


async def test_members_cannot_grant_roles(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    await harness.join("sam", "Sam Okafor")
    reply = await harness.say("maria", "role grant @sam coordinator")
    assert "Only admins can do that" in text_of(reply)
    assert (await _member(harness, "sam")).role.name == "MEMBER"


async def test_leave_asks_first_and_then_erases_personal_data(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    question = await harness.say("maria", "leave")
    assert question.message is not None
    confirm, keep = question.message.buttons
    assert confirm.action == "leave.confirm" and keep.action == "leave.cancel"
    assert (await _member(harness, "maria")).name == "Maria Lopez"  # nothing happened yet

    # Another member clicking the button changes nothing.
    await harness.join("sam", "Sam Okafor")
    assert "meant for someone else" in text_of(await harness.click("sam", confirm))

    done = await harness.click("maria", confirm)
    assert "deleted" in text_of(done)
    assert done.update_original is not None  # the buttons are replaced
    async with harness.storage.unit_of_work() as uow:
        assert await uow.members.by_identity(harness.who("maria")) is None
        tombstone = await uow.members.get(1)
    assert tombstone is not None and tombstone.name == "Former member"
    assert tombstone.profile.organization == ""
    # They can come back as a new member.
    assert "Welcome" in text_of(await harness.join("maria", "Maria Again"))


async def test_export_gives_all_data_as_json(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez", interests="Housing")
    reply = await harness.say("maria", "export")
    assert reply.message is not None
    (attachment,) = reply.message.attachments
    data = json.loads(attachment.content)
    assert data["profile"]["display_name"] == "Maria Lopez"
    assert data["profile"]["interests"] == ["Housing"]
    assert data["accounts"] == [{"platform": "console", "workspace": "local", "user_id": "maria"}]
    # Each capability adds its part (bot/member_data.py), under its own key.
    for key in ("suggested_resources", "meeting_answers", "followed_discussions", "poll_votes"):
        assert data[key] == []


async def test_export_lists_the_discussions_followed(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    await harness.say("maria", 'discussion start title="Heat plans" question="Who runs them?"')
    await harness.join("sam", "Sam Okafor")
    await harness.say("sam", "discussion follow id=1")
    reply = await harness.say("sam", "export")
    assert reply.message is not None
    (attachment,) = reply.message.attachments
    assert json.loads(attachment.content)["followed_discussions"] == [1]


async def test_link_a_second_account_with_a_code_that_expires(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    code = _code(await harness.say("maria", "link"))

    linked = await harness.say("maria2", f"link code={code.lower()}")
    assert "now belongs to Maria Lopez" in text_of(linked)
    assert "Maria Lopez" in text_of(await harness.say("maria2", "profile view"))
    # Used once only.
    assert "not valid or has expired" in text_of(await harness.say("maria3", f"link {code}"))

    late = _code(await harness.say("maria", "link"))
    harness.clock.advance(timedelta(minutes=10, seconds=1))
    assert "not valid or has expired" in text_of(await harness.say("maria4", f"link {late}"))


async def test_a_member_cannot_link_into_another_profile(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    await harness.join("sam", "Sam Okafor")
    code = _code(await harness.say("maria", "link"))
    assert "already has its own profile" in text_of(await harness.say("sam", f"link {code}"))


async def test_approval_mode_coordinator_approves_with_a_button(sqlite: Storage) -> None:
    harness = approval_harness(sqlite)
    await harness.join("dana", "Dana Reyes")
    await harness.join("sam", "Sam Okafor")
    await harness.click("dana", harness.poster.to("#coordinators")[0].message.buttons[0])

    pending = await harness.join("maria", "Maria Lopez")
    assert "sent to the coordinators" in text_of(pending)
    assert "still waiting" in text_of(await harness.say("maria", "directory"))
    review = harness.poster.to("#coordinators")[-1]
    approve, decline = review.message.buttons
    assert "Maria Lopez" in review.text

    # A plain member's click is refused and changes nothing.
    refused = await harness.click("sam", approve)
    assert "Only coordinators can do that" in text_of(refused)
    assert refused.private and refused.update_original is None

    reply = await harness.click("dana", approve)
    assert "You approved Maria Lopez" in text_of(reply)
    assert reply.update_original is not None
    assert "Approved by Dana Reyes" in reply.update_original.fallback_text()
    assert not reply.update_original.buttons
    assert "Welcome to Our Coalition" in harness.poster.to("@maria")[0].text
    assert "Maria Lopez" in text_of(await harness.say("maria", "profile view"))

    # A second click, on either button, says who decided first.
    second = await harness.click("dana", decline)
    assert "Dana Reyes already approved this request" in text_of(second)


async def test_approval_mode_decline_tells_the_person(sqlite: Storage) -> None:
    harness = approval_harness(sqlite)
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    (review,) = harness.poster.to("#coordinators")
    reply = await harness.click("dana", review.message.buttons[1])
    assert "declined" in text_of(reply)
    assert "was not approved" in harness.poster.to("@maria")[0].text
    assert "join the coalition first" in text_of(await harness.say("maria", "directory"))


async def test_requests_lists_pending_joins_for_coordinators(sqlite: Storage) -> None:
    harness = approval_harness(sqlite)
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    listing = await harness.say("dana", "requests")
    assert "Maria Lopez" in text_of(listing)
    assert listing.message is not None and len(listing.message.buttons) == 2


@pytest.mark.both_databases
async def test_a_failure_midway_leaves_nothing_half_written(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_welcome(*args: object) -> None:
        raise RuntimeError("boom after the member row was written")

    monkeypatch.setattr(profiles, "welcome", broken_welcome)
    reply = await harness.join("maria", "Maria Lopez")
    assert "nothing was saved" in text_of(reply)
    assert "reference" in text_of(reply)
    assert await harness.storage_count("members") == 0
    assert await harness.storage_count("identities") == 0


async def test_database_going_away_gets_a_clear_message(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    # The same dispatcher, now pointed at a database file that cannot be opened.
    broken = Storage(database_url("sqlite+aiosqlite:////nonexistent/dir/x.db"))
    harness.dispatcher.unit_of_work = broken.unit_of_work
    reply = await harness.say("maria", "profile view")
    assert "can't reach my database" in text_of(reply)
    await broken.dispose()


def approval_harness(storage: Storage) -> Harness:
    """Approval mode, with Dana an admin (and so a coordinator) from the configuration."""
    config = Config(coalition=CoalitionSettings(approval_required=True), admins=("console:dana",))
    return Harness(storage, config)


async def _member(harness: Harness, user: str) -> Member:
    async with harness.storage.unit_of_work() as uow:
        found = await uow.members.by_identity(harness.who(user))
    assert found is not None, f"{user} is not a member"
    return found


def _code(reply: Reply) -> str:
    text = text_of(reply)
    return text.split("code=")[1].split()[0]


def test_every_letter_folds_as_its_capital_does() -> None:
    # A search typed in capitals must find the name: checked over all of Unicode.
    from bot.membership.folding import fold

    differ = [
        chr(code)
        for code in range(0x110000)
        if not 0xD800 <= code < 0xE000 and fold(chr(code).upper()) != fold(chr(code))
    ]
    assert differ == []
