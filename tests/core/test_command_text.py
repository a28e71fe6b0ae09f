"""Typed commands: values with spaces, quotes, aliases, help for groups, clearing a field."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.arguments import parse_text
from bot.catalogue import CLEAR_WORDS
from bot.chat_words import quote
from bot.errors import UserError
from bot.membership.model import Profile
from bot.messages import Given, Usage, typed_usage
from bot.registry import build_catalogue
from tests.harness import Harness, text_of

CATALOGUE = build_catalogue()


async def setup(harness: Harness) -> None:
    await harness.join("admin", "Admin")
    await harness.join("maria", "Maria Lopez", jurisdiction="Alameda County")


@pytest.mark.parametrize(
    ("user", "typed", "quoted"),
    [
        (
            "maria",
            "profile edit organization=Cook County Health",
            '/coalition profile edit organization="Cook County Health"',
        ),
        (
            "admin",
            "resource reject 4 reason=Duplicate of #1, see library",
            '/coalition resource reject 4 reason="Duplicate of #1, see library"',
        ),
        (
            "admin",
            "meeting schedule title=Board meeting date=2026-03-12 time=9am",
            '/coalition meeting schedule title="Board meeting" date=2026-03-12 time=9am',
        ),
        (
            "maria",
            "profile edit name=Maria O'Brien region=West",
            '/coalition profile edit name="Maria O\'Brien" region=West',
        ),
    ],
)
async def test_words_after_a_value_are_refused_with_the_command_quoted(
    harness: Harness, user: str, typed: str, quoted: str
) -> None:
    await setup(harness)
    said = text_of(await harness.say(user, typed))
    assert "Put values with spaces in quotes" in said
    assert quoted in said
    profile = await _profile(harness, "maria")  # nothing guessed was stored
    assert profile.organization == "Maria Lopez Health Department"
    assert profile.display_name == "Maria Lopez"
    assert profile.jurisdiction == "Alameda County"
    assert await harness.storage_count("meetings") == 0


async def test_the_quoted_command_does_what_was_meant(harness: Harness) -> None:
    await setup(harness)
    reply = await harness.say("maria", 'profile edit organization="Cook County Health"')
    assert "Cook County Health" in text_of(reply)


async def test_search_words_after_an_option_are_offered_in_front(harness: Harness) -> None:
    await setup(harness)
    said = text_of(await harness.say("maria", "resource search type=toolkit housing"))
    assert "/coalition resource search housing type=toolkit" in said


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("directory maria lopez", {"words": "maria lopez"}),
        ("join name='Maria Lopez' region=West", {"name": "Maria Lopez", "region": "West"}),
        ("join name=O'Brien", {"name": "O'Brien"}),
        ('join name="Maria \\"M\\" Lopez"', {"name": 'Maria "M" Lopez'}),
        ("join name=\u201cMaria Lopez\u201d", {"name": "Maria Lopez"}),
        ("meeting edit 3 length=90", {"id": "3", "duration": "90"}),
        ("resource suggest link=https://x.org title=T type=law", {"url": "https://x.org"}),
        ("resource search jurisdiction=state", {"level": "state"}),
        ("resource reject 4 Out of date", {"id": "4", "reason": "Out of date"}),
        ('directory "region=West"', {"words": "region=West"}),
    ],
)
def test_typed_text_is_read_as_meant(typed: str, expected: dict[str, str]) -> None:
    _, options = parse_text(CATALOGUE, typed)
    assert expected.items() <= dict(options).items()


def test_an_option_given_twice_is_refused() -> None:
    with pytest.raises(UserError) as refused:
        parse_text(CATALOGUE, "meeting edit 3 duration=60 length=90")
    assert "given twice" in refused.value.msgid


def test_a_one_word_label_can_be_typed_as_the_options_name() -> None:
    # A form says "Length"; a person who then types length=90 means duration.
    for command in CATALOGUE.commands.values():
        for option in command.options:
            label = (option.label or option.name).lower()
            if len(label.split()) == 1:
                assert command.option(label) is option, f"{command.name}: {label}"


def test_aliases_never_clash_with_an_option_name() -> None:
    for command in CATALOGUE.commands.values():
        names = [n for o in command.options for n in (o.name, *o.aliases)]
        assert len(names) == len(set(names)), command.name


_ANY_TEXT = st.text(
    st.characters(codec="utf-8") | st.sampled_from(list("\"'\u201c\u201d\\= ")), max_size=60
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(" ".join(p) for p in CATALOGUE.commands)), _ANY_TEXT)
def test_any_text_is_a_command_or_a_sentence(command: str, rest: str) -> None:
    for typed in (rest, f"{command} {rest}"):
        try:
            path, options = parse_text(CATALOGUE, typed)
        except UserError:
            continue
        assert path in CATALOGUE.commands
        assert all(isinstance(v, str) for v in options.values())


_VALUE = st.text(
    st.characters(codec="utf-8", exclude_characters="\u201c\u201d")
    | st.sampled_from(list("\"' \\=")),
    min_size=1,
    max_size=40,
).filter(lambda v: v.strip() == v and v)


@settings(max_examples=300, deadline=None)
@given(_VALUE, _VALUE)
def test_quoted_values_read_back_as_they_were(reason: str, region: str) -> None:
    # Curly quotes are read as quotes (chat apps make them), so they can't round-trip.
    typed = typed_usage(
        Usage("resource reject", (Given("id", "4"), Given("reason", reason), Given("x", "")))
    )
    typed = typed.removeprefix("/coalition ").removesuffix(' x=""')
    path, options = parse_text(CATALOGUE, typed)
    assert path == ("resource", "reject")
    assert options == {"id": "4", "reason": reason}
    _, found = parse_text(CATALOGUE, f"directory {quote(region)}")
    assert found == {"words": region}


@pytest.mark.parametrize("group", sorted(g for g in CATALOGUE.groups() if CATALOGUE.is_group(g)))
async def test_help_for_a_group_lists_its_commands(harness: Harness, group: str) -> None:
    await setup(harness)
    said = text_of(await harness.say("admin", f"help {group}"))
    assert "There is no command" not in said
    for path in CATALOGUE.commands:
        if path[0] == group:
            assert f"/coalition {' '.join(path)}" in said


async def test_help_names_an_options_other_names(harness: Harness) -> None:
    await setup(harness)
    said = text_of(await harness.say("admin", "help meeting schedule"))
    assert "duration (or length)" in said


async def test_help_for_a_misspelt_command_suggests_one(harness: Harness) -> None:
    said = text_of(await harness.say("maria", "help resorce"))
    assert "/coalition help resource" in said


@pytest.mark.parametrize("word", sorted(CLEAR_WORDS))
async def test_optional_profile_fields_are_cleared_with_a_word(harness: Harness, word: str) -> None:
    await setup(harness)
    await harness.say("maria", 'profile edit interests="Housing, Health Equity"')
    reply = await harness.say("maria", f"profile edit jurisdiction={word} interests={word}")
    assert "Your profile is updated" in text_of(reply)
    profile = await _profile(harness, "maria")
    assert profile.jurisdiction == "" and profile.interests == ()


async def test_name_and_organization_cannot_be_cleared(harness: Harness) -> None:
    await setup(harness)
    for field in ("name", "organization"):
        reply = await harness.say("maria", f"profile edit {field}=-")
        assert reply.invalid_field == field
        assert "can't be removed" in text_of(reply)
    assert (await _profile(harness, "maria")).display_name == "Maria Lopez"


async def test_the_edit_form_says_how_to_clear(harness: Harness) -> None:
    await setup(harness)
    reply = await harness.say("maria", "profile edit")
    assert reply.form is not None
    hints = {f.name: f.hint for f in reply.form.fields}
    assert "type - to remove" in hints["jurisdiction"]
    assert "type - to remove" in hints["interests"]


async def _profile(harness: Harness, user: str) -> Profile:
    async with harness.storage.unit_of_work() as uow:
        member = await uow.members.by_identity(harness.who(user))
    assert member is not None
    return member.profile
