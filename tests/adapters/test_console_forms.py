"""Terminal forms: a wrong answer is asked again, and nothing typed is thrown away."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from adapters.console.forms import INTERRUPTED, question
from adapters.console.session import ConsoleSession
from bot.i18n import Translator
from bot.messages import FormField
from tests.adapters.test_console import Script
from tests.harness import Harness

# The join form's fields, in order, with an answer each; the ones a person can get
# wrong have a wrong answer too. No "code": with no roster imported, nobody is asked.
JOIN = (
    ("name", "Maria Lopez", None),
    ("organization", "Alameda County PH", None),
    ("jurisdiction", "", None),
    ("discipline", "Epidemiology", "Astrology"),
    ("region", "West", "Atlantis"),
    ("interests", "", None),
    ("timezone", "America/Los_Angeles", "Mars/Base"),
    ("language", "en", "Klingon"),
)
WRONGABLE = [name for name, _, wrong in JOIN if wrong is not None]


def join_answers(wrong_times: dict[str, int]) -> list[str]:
    """What a person types: each field's answer (wrong first, if it is to be wrong), then
    the corrections, in the order the form asks them again (the first bad field first)."""
    answers = [wrong or right if wrong_times.get(name) else right for name, right, wrong in JOIN]
    left = dict(wrong_times)
    for name, right, wrong in JOIN:
        while left.get(name):
            left[name] -= 1
            answers.append(wrong or right if left[name] else right)
    return answers


async def profile_of(harness: Harness, user: str, tmp_path: Path) -> str:
    script = Script([])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    await console.handle(f"/as {user}")
    await console.handle("/coalition profile view")
    return script.text


async def test_three_fields_each_wrong_once_are_all_corrected(
    harness: Harness, tmp_path: Path
) -> None:
    wrong = {"discipline": 1, "region": 1, "timezone": 1}
    script = Script(join_answers(wrong))
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    await console.handle("/as maria")
    await console.handle("/coalition join")
    assert "Atlantis is not one of the choices for region" in script.text
    assert "Welcome to Our Coalition" in script.text
    assert "cancelled" not in script.text
    profile = await profile_of(harness, "maria", tmp_path)
    assert "Alameda County PH" in profile and "Epidemiology" in profile
    assert "America/Los_Angeles" in profile


async def test_every_mix_of_corrected_mistakes_keeps_every_answer(
    harness: Harness, tmp_path: Path
) -> None:
    """Closes the class: any field, wrong up to twice, is corrected and joins with every
    other answer kept as given."""
    for n, tries in enumerate(itertools.product((0, 1, 2), repeat=len(WRONGABLE))):
        wrong = dict(zip(WRONGABLE, tries, strict=True))
        script = Script(join_answers(wrong))
        console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
        await console.handle(f"/as person{n}")
        await console.handle("/coalition join")
        assert "Welcome to Our Coalition" in script.text, (wrong, script.text)
        assert not script.answers, wrong  # every correction was asked for and used
        profile = await profile_of(harness, f"person{n}", tmp_path)
        assert "Alameda County PH" in profile and "West" in profile, wrong


async def test_a_field_wrong_three_times_sets_the_form_aside_with_its_answers(
    harness: Harness, tmp_path: Path
) -> None:
    script = Script([*join_answers({"region": 3})[:-1], "Atlantis"])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    await console.handle("/as maria")
    await console.handle("/coalition join")
    assert "Three answers to Region were not accepted" in script.text
    assert "your answers are kept" in script.text
    assert 'name="Maria Lopez" organization="Alameda County PH"' in script.text
    assert "Welcome" not in script.text
    script.answers = ["West"]
    await console.handle("/resume")
    assert "Welcome to Our Coalition" in script.text
    assert "Alameda County PH" in await profile_of(harness, "maria", tmp_path)


@pytest.mark.parametrize("stop", ["/cancel", INTERRUPTED, None], ids=["cancel", "ctrl-c", "eof"])
async def test_a_form_stopped_half_way_keeps_the_answers_and_resumes_there(
    harness: Harness, tmp_path: Path, stop: str | None
) -> None:
    first = ["Maria Lopez", "Alameda County PH", ""]
    script = Script(first if stop is None else [*first, stop])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    await console.handle("/as maria")
    await console.handle("/coalition join")
    assert "Type /resume to go on where you stopped" in script.text
    assert '/coalition join name="Maria Lopez" organization="Alameda County PH"' in script.text
    asked = len(script.lines)
    script.answers = ["Epidemiology", "West", "", "", "", ""]
    await console.handle("/resume")
    after = "\n".join(script.lines[asked:])
    assert "Display name" not in after  # goes on at the field where it stopped
    assert "Role or discipline (required)" in after
    assert "Welcome to Our Coalition" in after
    assert "Alameda County PH" in await profile_of(harness, "maria", tmp_path)


async def test_nothing_to_resume_or_cancel_is_said(harness: Harness, tmp_path: Path) -> None:
    script = Script([])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    await console.handle("/resume")
    await console.handle("/cancel")
    assert "There is no form to go on with" in script.text
    assert "nothing to cancel" in script.text


async def test_a_command_typed_in_a_form_runs_and_the_answers_are_kept(
    harness: Harness, tmp_path: Path
) -> None:
    script = Script(["Maria Lopez", "/coalition help"])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    await console.handle("/as maria")
    await console.handle("/coalition join")
    assert 'type the command with them: /coalition join name="Maria Lopez"' in script.text
    assert "What I can do in Our Coalition" in script.text  # the command ran
    script.answers = ["/quit"]
    assert await console.handle("/resume") is False  # /quit in a form still quits
    assert console.forms.kept is not None  # and the answers were set aside first


def test_a_hint_that_is_a_sentence_is_followed_by_the_choices_without_a_stray_stop() -> None:
    """An evaluation's scale question ends its hint with "Anonymous: kept without your
    name."; the walk-through used to print "name., one of: 1, 2, 3, 4, 5:"."""
    scale = FormField(
        "answer1",
        "Useful?",
        "From 1 to 5. Anonymous: kept without your name.",
        "choice",
        required=True,
        choices=("1", "2", "3", "4", "5"),
    )
    text = question(scale, Translator("en"), "")
    assert text == (
        "Useful? (required) — From 1 to 5. Anonymous: kept without your name, one of: 1, 2, 3, 4, 5"
    )
    free = FormField("answer2", "Use?", "Anonymous: kept without your name.", "text")
    assert question(free, Translator("en"), "") == "Use? — Anonymous: kept without your name"


async def test_a_form_set_aside_is_resumed_only_by_the_user_who_filled_it_in(
    harness: Harness, tmp_path: Path
) -> None:
    """Maria stops her poll form with /as jose; José's /resume used to walk (and
    submit, as José) Maria's form."""
    script = Script(["Which day?", "/as jose"])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    for user, name in (("maria", "Maria Lopez"), ("jose", "José Pérez")):
        await console.handle(f"/as {user}")
        await console.handle(
            f'/coalition join name="{name}" organization=PH discipline=Nursing region=West'
        )
    await console.handle("/as maria")
    await console.handle("/coalition poll create")
    assert "You are now @jose" in script.text
    script.lines.clear()
    await console.handle("/resume")
    assert "There is no form to go on with" in script.text
    assert "Create a poll, where you stopped" not in script.text
    script.answers = ["Mon, Tue", "", "", "", "", "", ""]
    await console.handle("/as maria")
    await console.handle("/resume")
    assert "Create a poll, where you stopped" in script.text
    assert "Created poll #1" in script.text
    assert await harness.storage_count("polls") == 1
