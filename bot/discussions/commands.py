"""The discussion commands and the Follow button, declared once for every platform."""

from __future__ import annotations

from bot.catalogue import Action, Command, Option, OptionKind
from bot.discussions import browse, close, digest, following, occurrence, start
from bot.discussions.cards import FOLLOW_ACTION
from bot.discussions.model import (
    QUERY_MAX,
    QUESTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    TOPIC_MAX,
    TOPICS_MAX,
)
from bot.i18n import N_
from bot.meetings.cards import DISCUSS_ACTION
from bot.options import number_of, topics_option

K = OptionKind

_ID = number_of(
    "id",
    N_("The discussion's number, as the discussion list shows it"),
    N_("Discussion number"),
    example="4",
)

DIGEST = Command(
    ("digest",),
    N_("See the weekly digest as it stands now, only to you"),
    digest.show_digest,
)

COMMANDS = (
    Command(
        ("discussion", "start"),
        N_("Start a discussion: the bot posts it and opens a thread for replies"),
        start.start,
        (
            Option(
                "title",
                K.TEXT,
                N_("What the discussion is about, in a line"),
                N_("Title"),
                required=True,
                max_length=TITLE_MAX,
                example="Community advisory boards",
            ),
            Option(
                "question",
                K.LONG_TEXT,
                N_("The opening question or prompt"),
                N_("Question"),
                required=True,
                max_length=QUESTION_MAX,
                example="How did you set yours up?",
            ),
            topics_option(max_length=TOPIC_MAX, maximum=TOPICS_MAX),
            Option(
                "channel",
                K.TEXT,
                N_("The channel to post it in (default: the discussions channel)"),
                N_("Channel"),
                max_length=80,
            ),
        ),
        form=True,
        form_title=N_("Start a discussion"),
    ),
    Command(
        ("discussion", "list"),
        N_("Find discussions: open ones first, by topic or words"),
        browse.list_discussions,
        (
            Option(
                "topic",
                K.TAGS,
                N_("Only discussions with this topic"),
                N_("Topic"),
                choices_from="topics",
                max_length=TOPIC_MAX,
                maximum=1,
            ),
            Option(
                "words",
                K.TEXT,
                N_("Words in the title or question"),
                N_("Words"),
                max_length=QUERY_MAX,
                takes_rest=True,
            ),
        ),
    ),
    Command(
        ("discussion", "follow"),
        N_("Get a message when a discussion has new replies"),
        following.follow,
        (_ID,),
    ),
    Command(
        ("discussion", "unfollow"),
        N_("Stop the messages about a discussion"),
        following.unfollow,
        (_ID,),
    ),
    Command(
        ("discussion", "close"),
        N_("Close a discussion you started (coordinators: any), with a summary"),
        close.close,
        (
            _ID,
            Option(
                "summary",
                K.LONG_TEXT,
                N_("What the discussion concluded, posted with the closing note"),
                N_("Summary"),
                max_length=SUMMARY_MAX,
            ),
        ),
    ),
    DIGEST,
)

ACTIONS = (
    Action(FOLLOW_ACTION, following.follow_clicked),
    # On the meeting card; any active member may click it (checked in the handler too).
    Action(DISCUSS_ACTION, occurrence.discuss_occurrence),
)
