"""The attendance command and the check-in button, declared once for every platform."""

from __future__ import annotations

from bot.attendance import checkin, correcting
from bot.catalogue import Action, Command, Option, OptionKind
from bot.i18n import N_
from bot.meetings.cards import CHECKIN_ACTION
from bot.options import number_of
from bot.roles import Role

K = OptionKind
# Room for many mentions (a Slack mention is about 15 characters) and their commas.
_NAMES_LENGTH = 2000

COMMANDS = (
    Command(
        ("meeting", "attendance"),
        N_("See who was at a meeting, and mark or unmark members present (coordinators)"),
        correcting.attendance,
        (
            number_of(
                "id",
                N_("The meeting's number, as the meeting list shows it"),
                N_("Meeting number"),
                example="3",
            ),
            Option(
                "occurrence",
                K.DATE,
                N_("The date of the meeting, as YYYY-MM-DD"),
                N_("Date of the occurrence"),
                required=True,
            ),
            Option(
                "members",
                K.TEXT,
                N_("Members to mark present: mentions or names, separated by commas"),
                N_("Mark present"),
                max_length=_NAMES_LENGTH,
                example="@maria,@lee",
            ),
            Option(
                "remove",
                K.TEXT,
                N_("Members to unmark: mentions or names, separated by commas"),
                N_("Unmark"),
                max_length=_NAMES_LENGTH,
                example="@sam",
                # The form says "Unmark": a person who then types unmark=@sam means this.
                aliases=("unmark",),
            ),
        ),
        Role.COORDINATOR,
    ),
)

ACTIONS = (Action(CHECKIN_ACTION, checkin.check_in),)
