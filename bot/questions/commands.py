"""The question commands and the Upvote button, declared once for every platform."""

from __future__ import annotations

from bot.catalogue import Action, Command, Option, OptionKind
from bot.i18n import N_
from bot.options import number_of, topics_option
from bot.questions import asking, promote, queue
from bot.questions.cards import UPVOTE_ACTION
from bot.questions.model import ANSWER_MAX, QUESTION_MAX
from bot.roles import Role

K = OptionKind
TOPIC_MAX = 60
TOPICS_MAX = 10

_ID = number_of(
    "id",
    N_("The question's number, as its post shows it"),
    N_("Question number"),
    example="3",
)
_MEETING = number_of(
    "meeting",
    N_("The meeting's number (optional)"),
    N_("Meeting number"),
    example="2",
    required=False,
)

COMMANDS = (
    Command(
        ("question", "ask"),
        N_("Ask a question for office hours: posted with an Upvote button"),
        asking.ask,
        (
            Option(
                "question",
                K.LONG_TEXT,
                N_("What you want to ask"),
                N_("Question"),
                required=True,
                max_length=QUESTION_MAX,
                example="How do we report a cluster of cases?",
            ),
            topics_option(max_length=TOPIC_MAX, maximum=TOPICS_MAX),
            Option(
                "anonymous",
                K.BOOLEAN,
                N_("yes: your name is shown nowhere (admins can still see who asked)"),
                N_("Anonymous"),
            ),
            _MEETING,
        ),
        form=True,
        form_title=N_("Ask a question"),
    ),
    Command(
        ("question", "list"),
        N_("The open questions, most upvoted first"),
        queue.list_open,
        (_MEETING,),
        role=Role.COORDINATOR,
    ),
    Command(
        ("question", "answer"),
        N_("Mark a question answered, with a short answer or a link"),
        queue.answer,
        (
            _ID,
            Option(
                "answer",
                K.TEXT,
                N_("A short answer, or a link to one"),
                N_("Answer"),
                required=True,
                max_length=ANSWER_MAX,
                example="https://example.org/guide",
            ),
        ),
        role=Role.COORDINATOR,
    ),
    Command(
        ("question", "hide"),
        N_("Hide an abusive question"),
        queue.hide,
        (_ID,),
        role=Role.COORDINATOR,
    ),
    Command(
        ("question", "promote"),
        N_("Suggest an answered question for the resource library, as a Q&A, for review"),
        promote.promote,
        (
            _ID,
            Option(
                "url",
                K.TEXT,
                N_("The page that holds the answer (default: the answer, if it is a link)"),
                N_("Link"),
                max_length=2000,
                example="https://example.org/faq",
                aliases=("link",),  # the form's label, typed as a word
            ),
        ),
        role=Role.COORDINATOR,
    ),
)

ACTIONS = (Action(UPVOTE_ACTION, queue.upvote_clicked),)
