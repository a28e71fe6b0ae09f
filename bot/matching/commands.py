"""The peer matching commands and the check-in buttons, declared once for every platform."""

from __future__ import annotations

from bot.catalogue import Action, Command, Option, OptionKind
from bot.i18n import N_
from bot.matching import optin, stats
from bot.matching.cards import CHECKIN_ACTION
from bot.matching.model import ROLES, TOPICS_MAX, WISHES
from bot.roles import Role

K = OptionKind

COMMANDS = (
    Command(
        ("match", "join"),
        N_(
            "Join peer matching (or change your wishes): each round, the bot introduces you to another member"
        ),
        optin.join,
        (
            Option(
                "region",
                K.CHOICE,
                N_(
                    "Match with someone from your region (same), other regions (other) or any (default)"
                ),
                N_("Region"),
                choices=WISHES,
            ),
            Option(
                "discipline",
                K.CHOICE,
                N_(
                    "Match with someone of your discipline (same), other disciplines (other) or any (default)"
                ),
                N_("Discipline"),
                choices=WISHES,
            ),
            Option(
                "topics",
                K.TAGS,
                N_(
                    "Topics to talk about, from your profile's interests, separated by commas; type - to remove them"
                ),
                N_("Topics"),
                choices_from="interests",
                clearable=True,
                maximum=TOPICS_MAX,
            ),
            Option(
                "role",
                K.CHOICE,
                N_(
                    "mentor or mentee, if you want to be matched for mentoring (optional; type - to stop)"
                ),
                N_("Mentoring role"),
                choices=ROLES,
                # Without it a role once chosen could not be dropped: "none" was refused
                # as not a choice, and the form's Enter keeps the role shown.
                clearable=True,
            ),
            Option(
                "same_organization",
                K.BOOLEAN,
                N_("yes: you may be matched with someone of your own organization (default no)"),
                N_("Same organization"),
            ),
        ),
        form=True,
        form_title=N_("Join peer matching"),
        prefill=optin.join_prefill,
    ),
    Command(
        ("match", "leave"),
        N_("Leave peer matching: you will not be matched again"),
        optin.leave,
    ),
    Command(
        ("match", "snooze"),
        N_("Pause peer matching until a date; join again to come back sooner"),
        optin.snooze,
        (
            Option(
                "until",
                K.DATE,
                N_("The day you want to be matched again, as YYYY-MM-DD"),
                N_("Until"),
                required=True,
            ),
        ),
    ),
    Command(
        ("match", "stats"),
        N_("Peer matching rounds: groups, check-ins answered and how many met"),
        stats.stats,
        role=Role.COORDINATOR,
    ),
)

ACTIONS = (Action(CHECKIN_ACTION, optin.checkin_clicked),)
