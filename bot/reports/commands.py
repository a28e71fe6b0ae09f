"""The report command, declared once for every platform."""

from __future__ import annotations

from bot.catalogue import Command, Option, OptionKind
from bot.i18n import N_
from bot.options import number_of
from bot.reports import summary
from bot.roles import Role

K = OptionKind

COMMANDS = (
    Command(
        ("report", "sessions"),
        N_(
            "Sessions for funders: answers, attendance, organizations and evaluations over a period (coordinators)"
        ),
        summary.sessions,
        (
            # "from" and "to", as people say it, are read as these names: Discord takes
            # an option's name as a Python parameter's, and `from` is a keyword.
            Option(
                "start",
                K.DATE,
                N_("The first day, as YYYY-MM-DD (default: 90 days before the last)"),
                N_("From"),
                aliases=("from",),
            ),
            Option(
                "end",
                K.DATE,
                N_("The last day, as YYYY-MM-DD (default: today)"),
                N_("To"),
                aliases=("to",),
            ),
            number_of(
                "series",
                N_("Only this meeting's sessions: its number, as the meeting list shows it"),
                N_("Meeting number"),
                example="3",
                required=False,
            ),
        ),
        Role.COORDINATOR,
    ),
)
