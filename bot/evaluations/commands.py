"""The evaluation commands and buttons, declared once for every platform."""

from __future__ import annotations

from bot.catalogue import Action, Command, Option, OptionKind
from bot.evaluations import answering, manage
from bot.evaluations.cards import ANSWER_ACTION, ANSWER_COMMAND, ANSWER_FIELDS, CHANGE_ACTION
from bot.evaluations.model import ANSWER_MAX
from bot.i18n import N_
from bot.options import number_of
from bot.roles import Role

K = OptionKind
# The form shows each question as its label; typed, the options are numbered.
ANSWER_LABELS = (N_("Answer 1"), N_("Answer 2"), N_("Answer 3"), N_("Answer 4"))

_MEETING = number_of(
    "meeting", N_("The meeting's number, as its card shows it"), N_("Meeting number"), example="3"
)

COMMANDS = (
    Command(
        ("evaluation", "add"),
        N_("Send an evaluation after each session of a meeting (every session of a series)"),
        manage.add,
        (
            _MEETING,
            Option(
                "anonymous",
                K.BOOLEAN,
                N_("yes (default): answers kept without names; no: kept with names"),
                N_("Anonymous"),
            ),
            Option(
                "template",
                K.TEXT,
                N_("Which evaluation template from the configuration (default: default)"),
                N_("Template"),
                max_length=40,
            ),
        ),
        role=Role.COORDINATOR,
    ),
    Command(
        ("evaluation", "remove"),
        N_("Stop sending a meeting's evaluation (the answers given are kept)"),
        manage.remove,
        (_MEETING,),
        role=Role.COORDINATOR,
    ),
    Command(
        ANSWER_COMMAND,
        N_("Answer a session's evaluation (the button in its message opens the form)"),
        answering.answer,
        (
            Option(
                "session",
                K.TEXT,
                N_("The session, as the evaluation's button names it"),
                N_("Session"),
                required=True,
                max_length=40,
                example="1@2026-03-05",
            ),
            *(
                Option(
                    name,
                    K.LONG_TEXT,
                    N_("Your answer to the evaluation's question of this number"),
                    label,
                    # Checked against ANSWER_MAX in answering._read, which names the
                    # question: this outer bound's error could only say "answer2".
                    max_length=ANSWER_MAX * 4,  # within Discord's 6,000
                )
                for name, label in zip(ANSWER_FIELDS, ANSWER_LABELS, strict=True)
            ),
        ),
    ),
)

ACTIONS = (
    Action(ANSWER_ACTION, answering.answer_clicked),
    Action(CHANGE_ACTION, answering.change_clicked),
)
