"""Office-hours questions: asked (anonymously if wished), upvoted, answered, hidden."""

from __future__ import annotations

from bot.capability import Capability
from bot.questions.commands import ACTIONS, COMMANDS
from bot.questions.member_data import export_questions, forget_asker
from bot.questions.posting import QuestionEdits

QUESTIONS = Capability(
    "questions",
    commands=COMMANDS,
    actions=ACTIONS,
    repositories=("questions",),
    parts=(QuestionEdits,),
    on_leave=(forget_asker,),
    export=(export_questions,),
)
