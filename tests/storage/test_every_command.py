"""Every command of the catalogue, with bad values for each option, never fails on our side.

The commands are taken from the catalogue, not listed here, so a new command is
covered the day it is declared. Each option gets an empty value, an oversized
one and values of the wrong type, typed in chat and given as typed values (as
Discord and forms give them), by a member, a coordinator and an admin, on both
databases. An answer may refuse; it may not be "Something went wrong". Every
value is tried by the least role allowed the command; the roles above it try
the common ones, to keep the suite quick on two cores.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.catalogue import Command, Option, OptionKind
from bot.evaluations.sending import EvaluationSending
from bot.messages import Given, Reply, Usage, typed_usage
from bot.registry import build_catalogue
from bot.roles import Role
from storage import Storage
from tests.harness import Harness, text_of

CATALOGUE = build_catalogue()
K = OptionKind
SORRY = ("Something went wrong", "Algo salió mal")  # the English and Spanish sentences

# A value that is right for each kind, to fill the options not under test.
GOOD: dict[OptionKind, str] = {
    K.TEXT: "Housing",
    K.LONG_TEXT: "A sentence.",
    K.TIMEZONE: "America/Chicago",
    K.BOOLEAN: "yes",
    K.INTEGER: "1",
    K.MEMBER: "@maria",
    K.DATE: "2026-03-12",
    K.TIME: "9am",
    K.DURATION: "90",
    K.REPEAT: "weekly",
    K.URL: "https://example.org/toolkit",
    K.TAGS: "Housing",
}
OVERSIZED = "x" * 5000
# Wrong for nearly every kind, and hard for parsers: markup, mentions, controls,
# a word that clears some fields, and a number where text is expected.
WRONG: tuple[Any, ...] = ("", OVERSIZED, "\x00\x1b[2J", "-", "<!channel> @everyone", 42)
# And for each kind, what its parser could trip on: out of range, not real, the wrong type.
WRONG_FOR: dict[OptionKind, tuple[Any, ...]] = {
    K.INTEGER: ("-1", "0", "99999999999999999999999", "1.5"),
    K.DATE: ("2026-02-30", "9999-12-31", "0001-01-01", "yesterday"),
    K.TIME: ("25:61", "-1am"),
    K.DURATION: ("-90", "99999h", "0"),
    K.TIMEZONE: ("Mars/Base", "Etc/GMT+12"),
    K.REPEAT: ("FREQ=SECONDLY;COUNT=0", "every 0 weeks"),
    K.URL: ("javascript:alert(1)", "https://" + "a" * 300 + ".org"),
    K.BOOLEAN: ("maybe", True),
    K.CHOICE: ("zzz", ["a", "b"]),
    K.CHOICES: (",,,", ["a", "b"]),
    K.TAGS: (",,,", ["a", "b"]),
    K.MEMBER: ("@", "<@U999>"),
    K.TEXT: ("é" * 300,),
    K.LONG_TEXT: ("é" * 3000, "none"),
    K.LANGUAGE: ("xx", 1),
}
ROLE_OF = {"maria": Role.MEMBER, "dana": Role.COORDINATOR, "admin": Role.ADMIN}


def _good(command: Command, option: Option) -> str:
    if option.choices or option.choices_from or option.kind is K.LANGUAGE:
        return option.example or ""
    if option.name == "id":
        return "1"
    return option.example or GOOD.get(option.kind, "")


def _filled(command: Command) -> dict[str, Any]:
    """The required options with values that pass, so each bad one is what is tested."""
    return {o.name: _good(command, o) for o in command.options if o.required}


async def _world(harness: Harness) -> None:
    """Something to act on: members of each role, a meeting, a resource, a discussion,
    a poll, a question, an evaluation, attendance and peer matching."""
    await harness.join("admin", "Admin")
    await harness.join("dana", "Dana Reyes")
    await harness.join("maria", "Maria Lopez")
    await _ok(harness.say("admin", "role grant @dana coordinator"))
    await _ok(
        harness.say(
            "admin",
            'meeting schedule title="Office hours" date=2026-03-05 time=9am repeat=weekly',
        )
    )
    await _ok(
        harness.say(
            "maria",
            "resource suggest url=https://example.org/a title=Toolkit type=toolkit",
        )
    )
    await _ok(harness.say("maria", "discussion start title=Boards question=How?"))
    # The newer capabilities' things, so their commands get past "there is no ...": a
    # poll, a question, the first session's evaluation open for answers (the clock
    # after that session), attendance and a member in peer matching.
    assert "Created poll #1" in text_of(
        await _ok(harness.say("maria", "poll create question=Which? options=A,B"))
    )
    assert "question #1" in text_of(
        await _ok(harness.say("maria", "question ask question=How? meeting=1"))
    )
    assert "now has an evaluation" in text_of(await _ok(harness.say("admin", "evaluation add 1")))
    harness.clock.set(datetime(2026, 3, 5, 18, 0, tzinfo=UTC))  # the 9am session is over
    await harness.dispatcher.services.get(EvaluationSending).run_due()
    assert "1 member present" in text_of(
        await _ok(harness.say("dana", "meeting attendance 1 occurrence=2026-03-05 members=@maria"))
    )
    assert "You are in peer matching" in text_of(
        await _ok(harness.say("maria", "match join region=same"))
    )


async def _ok(pending: Any) -> Reply:
    reply: Reply = await pending
    assert not any(s in text_of(reply) for s in SORRY), text_of(reply)
    return reply


def _cases(role: Role) -> list[tuple[Command, Option, Any, bool]]:
    """Bad values of every option of the commands `role` may use: all of them, typed
    in chat too, where `role` is the least one allowed; the common ones elsewhere."""
    cases = []
    for command in CATALOGUE.commands.values():
        lowest = max(command.role, Role.MEMBER)  # guests' commands are tried by members
        if lowest > role:
            continue
        for option in command.options:
            if lowest == role:
                values = (*WRONG, *WRONG_FOR.get(option.kind, ()))
                cases += [(command, option, v, v in WRONG) for v in values]
            else:
                cases += [(command, option, v, False) for v in WRONG]
    return cases


async def _try(
    harness: Harness, user: str, command: Command, option: Option, value: Any, chat: bool
) -> list[str]:
    """What went wrong, as "command option=value as user": nothing, if all is well."""
    args = {**_filled(command), option.name: value}
    label = f"{command.name} {option.name}={value!r:.30} as {user}"
    failed = []
    # Given as values (Discord, a form's answers); left empty, also as a first call,
    # which opens a form command's form.
    for from_form in (True, False) if value == "" else (True,):
        reply = await harness.run(user, command.path, from_form=from_form, **args)
        if any(s in text_of(reply) for s in SORRY):
            failed.append(f"{label} (as values, form: {from_form})")
    if chat and isinstance(value, str):
        typed = typed_usage(Usage(command.name, tuple(Given(k, str(v)) for k, v in args.items())))
        reply = await harness.say(user, typed.removeprefix("/coalition "))
        if any(s in text_of(reply) for s in SORRY):
            failed.append(f"{label} (typed in chat)")
    return failed


@pytest.mark.parametrize("user", ["maria", "dana", "admin"])
async def test_every_command_refuses_bad_values_in_a_sentence(storage: Storage, user: str) -> None:
    harness = Harness(storage)
    await _world(harness)
    failed = []
    for command, option, value, chat in _cases(ROLE_OF[user]):
        failed += await _try(harness, user, command, option, value, chat)
    for command in CATALOGUE.commands.values():  # with nothing; refused if not allowed
        reply = await harness.run(user, command.path, from_form=True)
        if any(s in text_of(reply) for s in SORRY):
            failed.append(f"{command.name} with nothing, as {user}")
    assert not failed, "\n".join(failed)
