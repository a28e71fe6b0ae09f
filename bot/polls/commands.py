"""The poll commands and the vote button, declared once for every platform."""

from __future__ import annotations

from bot.catalogue import Action, Command, Option, OptionKind
from bot.i18n import N_
from bot.options import number_of
from bot.polls import create, listing, voting
from bot.polls.cards import VOTE_ACTION
from bot.polls.model import OPTION_MAX, OPTIONS_MAX, QUESTION_MAX

K = OptionKind

COMMANDS = (
    Command(
        ("poll", "create"),
        N_("Ask a question with 2 to 10 options: the bot posts it with a button per option"),
        create.create,
        (
            Option(
                "question",
                K.TEXT,
                N_("What you are asking"),
                N_("Question"),
                required=True,
                max_length=QUESTION_MAX,
                example="Which day suits the next training?",
            ),
            Option(
                "options",
                K.TEXT,
                N_("From 2 to 10 options, separated by commas"),
                N_("Options"),
                required=True,
                # Room for ten full options and their commas; read_options counts them.
                max_length=OPTIONS_MAX * (OPTION_MAX + 2),
                example="Tuesday, Wednesday, Thursday",
            ),
            Option(
                "multiple",
                K.BOOLEAN,
                N_("yes: members may choose several options (default no: one)"),
                N_("Several choices"),
            ),
            Option(
                "anonymous",
                K.BOOLEAN,
                N_("yes: nobody, not even an admin, can see who chose what; one final vote each"),
                N_("Anonymous"),
            ),
            Option(
                "results",
                K.CHOICE,
                N_("live: counts shown as votes come in (default); at-close: only when it closes"),
                N_("Results"),
                choices=(create.RESULTS_LIVE, create.RESULTS_AT_CLOSE),
            ),
            Option(
                "date", K.DATE, N_("The day it closes, as YYYY-MM-DD (optional)"), N_("Closing day")
            ),
            Option(
                "time",
                K.TIME,
                N_("The time it closes, such as 17:00 or 5pm (optional)"),
                N_("Closing time"),
                example="5pm",
            ),
            Option(
                "channel",
                K.TEXT,
                N_("The channel to post it in (default: the announcements channel)"),
                N_("Channel"),
                max_length=80,
            ),
        ),
        form=True,
        form_title=N_("Create a poll"),
    ),
    Command(
        ("poll", "close"),
        N_("Close a poll you created (coordinators: any) and post its results"),
        voting.close,
        (
            number_of(
                "id",
                N_("The poll's number, as its post shows it"),
                N_("Poll number"),
                example="3",
            ),
        ),
    ),
    Command(
        ("poll", "list"),
        N_("The open polls and those closed in the last 7 days, with their numbers"),
        listing.list_polls,
    ),
)

ACTIONS = (Action(VOTE_ACTION, voting.vote_clicked),)
