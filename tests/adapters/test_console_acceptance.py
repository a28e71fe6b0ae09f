"""A new coordinator's first session, through `coalition-bot console` as a subprocess.

The scenario is one list of steps; each language gives the words the person
should see. To cover more, add a step to `first_session` and its words to
`Words` (English and Spanish).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.adapters.terminal_process import ROOT, Piped


@dataclass(frozen=True)
class Words:
    """What the person sees at each step, in one language."""

    language: str
    banner: str
    now_maria: str
    help: str
    welcome: str
    form_intro: str
    not_a_choice: str
    profile_updated: str
    one_found: str
    not_a_date: str
    scheduled: str
    going_button: str
    going: str
    suggested: str
    approve_button: str
    approved: str
    started: str
    closed: str
    delete_button: str
    deleted: str


ENGLISH = Words(
    language="en",
    banner="Our Coalition — terminal. You are @admin in #general.",
    now_maria="You are now @maria.",
    help="What I can do in Our Coalition",
    welcome="Welcome to Our Coalition!",
    form_intro="Join the coalition. Press Enter to skip an optional field",
    not_a_choice="Astrology is not one of the choices",
    profile_updated="Your profile is updated.",
    one_found="1 member found",
    not_a_date="2026-02-30 is not a real date",
    scheduled="Scheduled. I'll announce Office hours in #announcements",
    going_button="Going",
    going="You're going to Office hours",
    suggested="Thanks! I sent Housing toolkit to the coordinators for review.",
    approve_button="Approve",
    approved="You approved Housing toolkit. It is posted in #resources",
    started="Started discussion #1, Advisory boards.",
    closed="Closed Advisory boards.",
    delete_button="Yes, delete my profile",
    deleted="Your profile and personal data are deleted:",
)
SPANISH = Words(
    language="es",
    banner="Our Coalition — terminal. Usted es @admin en #general.",
    now_maria="Ahora usted es @maria.",
    help="Lo que puedo hacer en Our Coalition",
    welcome="¡Le damos la bienvenida a Our Coalition!",
    form_intro="Unirse a la coalición. Pulse Intro para saltar un campo opcional",
    not_a_choice="Astrology no es una de las opciones",
    profile_updated="Se actualizó su perfil.",
    one_found="Se encontró 1 miembro",
    not_a_date="2026-02-30 no es una fecha real",
    scheduled="Programada. Anunciaré Office hours en #announcements",
    going_button="Asistiré",
    going="Usted asistirá a Office hours",
    suggested="¡Gracias! Envié Housing toolkit a los coordinadores para su revisión.",
    approve_button="Aprobar",
    approved="Usted aprobó Housing toolkit. Está publicado en #resources",
    started="Se inició la conversación #1, Advisory boards.",
    closed="Se cerró Advisory boards.",
    delete_button="Sí, eliminar mi perfil",
    deleted="Su perfil y sus datos personales se han eliminado:",
)


class Person:
    """Types into the terminal and reads the answer, as a person at the keyboard."""

    def __init__(self, bot: Piped) -> None:
        self.bot = bot
        self.seen = ""  # what was shown since the last button was pressed

    def types(self, line: str, *expected: str) -> str:
        """Types a line; waits for each expected text, in order; returns what was shown."""
        self.bot.send(line)
        # The echo: the line was read (Enter alone answers a form's question, ending ": ").
        shown = self.bot.until(f"{line}\n" if line else ": \n")
        for text in expected:
            shown += self.bot.until(text)
        self.seen += shown
        return shown

    def clicks(self, label: str, *expected: str) -> str:
        """Presses the button with this label, as last shown."""
        numbers = re.findall(rf"\[(\d+)\] {re.escape(label)}", self.seen)
        assert numbers, f"no {label!r} button on screen:\n{self.bot.transcript}"
        self.seen = ""
        return self.types(f"/click {numbers[-1]}", *expected)


def first_session(person: Person, words: Words, meeting_day: date) -> None:
    """Admin sets up, a member joins (one mistake, corrected), edits their profile, finds
    colleagues; a meeting is scheduled (a wrong date, then the right one) and answered
    with a button; a resource is suggested and approved with a button; a discussion is
    started and closed; the member leaves."""
    person.types("/coalition help", words.help)
    person.types(
        '/coalition join name="Dana Reyes" organization="State Health Dept" discipline=Policy '
        "region=Midwest",
        words.welcome,
    )

    person.types("/as maria", words.now_maria)
    person.types("/coalition join", words.form_intro)
    for answer in ("Maria Lopez", "Alameda County PH", "", "Astrology", "West", "Housing"):
        person.types(answer)
    person.types("America/Los_Angeles")
    # The language, kept as shown; no invitation code is asked (no roster imported).
    person.types("", words.not_a_choice)  # then the mistake
    person.types("Epidemiology", words.welcome)
    # The new jurisdiction, and the organization given in the form, kept.
    person.types(
        '/coalition profile edit jurisdiction="Alameda County"',
        words.profile_updated,
        ": Alameda County PH\n",
        ": Alameda County\n",
    )
    person.types("/coalition directory interest=housing", words.one_found, "Maria Lopez")

    person.types("/as admin")
    schedule = '/coalition meeting schedule title="Office hours" time=9am date='
    person.types(schedule + "2026-02-30", words.not_a_date)
    person.types(schedule + meeting_day.isoformat(), words.scheduled)

    person.types("/as maria")
    person.types("/coalition meeting view id=1", f"] {words.going_button}")
    person.clicks(words.going_button, words.going)
    person.types(
        "/coalition resource suggest url=https://example.org/toolkit "
        'title="Housing toolkit" type=toolkit topics=housing',
        words.suggested,
    )

    person.types("/as admin")
    person.clicks(words.approve_button, words.approved)

    person.types("/as maria")
    person.types(
        '/coalition discussion start title="Advisory boards" question="How did you set yours up?"',
        words.started,
    )
    person.types('/coalition discussion close id=1 summary="Start small."', words.closed)
    person.types("/coalition leave", words.delete_button)
    person.clicks(words.delete_button, words.deleted)


@pytest.mark.parametrize("words", [ENGLISH, SPANISH], ids=lambda w: w.language)
def test_a_new_coordinators_first_session_in_the_terminal(tmp_path: Path, words: Words) -> None:
    config = tmp_path / "config.toml"
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    config.write_text(
        example.replace('language = "en"', f'language = "{words.language}"', 1), encoding="utf-8"
    )
    bot = Piped(tmp_path, config)
    bot.until(words.banner)  # the terminal's own words are in the coalition's language too
    first_session(Person(bot), words, date.today() + timedelta(days=30))
    code, errors = bot.close()
    assert code == 0, errors
    assert "Traceback" not in bot.transcript + errors
    assert "maria@#general> /click" in bot.transcript  # the transcript reads as typed
