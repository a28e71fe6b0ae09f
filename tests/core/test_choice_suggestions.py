"""A choice given with a slip names the choice meant, for every command's choice options."""

from __future__ import annotations

from datetime import date
from difflib import SequenceMatcher

from hypothesis import given
from hypothesis import strategies as st

from bot.arguments import choices_for, closest, coerce
from bot.catalogue import Command, Option, OptionKind
from bot.config import Config
from bot.errors import FieldError
from bot.identity import Identity
from bot.messages import Code
from bot.registry import build_catalogue
from tests.harness import Harness, text_of

CATALOGUE = build_catalogue()
CONFIG = Config()
ACTOR = Identity("slack", "T1", "U1")
CHOOSING = {OptionKind.CHOICE, OptionKind.CHOICES, OptionKind.LANGUAGE}
OPTIONS = [
    (command, option, choice)
    for command in CATALOGUE.commands.values()
    for option in command.options
    if option.kind in CHOOSING
    for choice in choices_for(option, CONFIG)
]


def _ratio(typed: str, choice: str) -> float:
    # In difflib.get_close_matches' order (the ratio is not always symmetric).
    return SequenceMatcher(None, choice.lower(), typed.strip().lower()).ratio()


@given(
    st.sampled_from(OPTIONS),
    st.integers(min_value=0, max_value=40),
    st.sampled_from("abcdefghijklmnopqrstuvwxyzñé0123456789"),
)
def test_a_choice_with_one_letter_changed_is_suggested_or_nothing_is(
    declared: tuple[Command, Option, str], position: int, letter: str
) -> None:
    command, option, choice = declared
    at = position % len(choice)
    changed = choice[:at] + letter + choice[at + 1 :]
    allowed = choices_for(option, CONFIG)
    try:
        coerce(
            command, {option.name: changed}, CONFIG, ACTOR, date(2026, 3, 5), CATALOGUE.option_types
        )
    except FieldError as error:
        if error.field != option.name:  # accepted; another option is required
            assert changed.lower() in {a.lower() for a in allowed}
            return
        suggestion = error.values.get("suggestion")
        if suggestion is None:
            return
        assert isinstance(suggestion, Code) and suggestion.text in allowed
        # That choice, unless another is at least as near what was typed.
        if suggestion.text != choice:
            assert _ratio(changed, suggestion.text) >= _ratio(changed, choice)
        return
    assert changed.strip().lower() in {a.lower() for a in allowed} or changed.strip() == ""


def test_a_near_miss_is_named_and_a_far_one_is_not() -> None:
    regions = CONFIG.lists.regions
    assert closest("wset", regions) == "West"
    assert closest("  MIDWEST ", regions) == "Midwest"
    assert closest("Atlantis", regions) is None
    assert closest("", regions) is None


async def test_the_suggestion_in_english_and_spanish(harness: Harness) -> None:
    await harness.join("maria", "Maria Lopez")
    said = text_of(await harness.say("maria", "profile edit region=Wset"))
    assert "Wset is not one of the choices for region. Did you mean West?" in said
    await harness.say("maria", "profile edit language=es")
    dicho = text_of(await harness.say("maria", "profile edit region=Wset"))
    assert "¿Quiso decir West?" in dicho and "Las opciones son: Northeast" in dicho
    assert "Atlantis no es una de las opciones de Región (region=). Elija entre:" in text_of(
        await harness.say("maria", "profile edit region=Atlantis")
    )


async def test_a_spanish_error_names_the_option_by_its_label_and_its_name(
    harness: Harness,
) -> None:
    """ "anonymous solo acepta sí o no" left a Spanish reader guessing which field; the
    label says it, and the name is still what to type."""
    await harness.join("admin", "Dana Reyes")
    await harness.say("admin", "profile edit language=es")
    dicho = text_of(await harness.say("admin", "evaluation add 1 anonymous=quizás"))
    assert "Anónima (anonymous=) solo acepta sí o no." in dicho, dicho
    assert "updated" in text_of(await harness.say("admin", "profile edit language=en"))
    english = text_of(await harness.say("admin", "evaluation add 1 anonymous=maybe"))
    assert "anonymous takes yes or no." in english, english  # the label reads as the name
