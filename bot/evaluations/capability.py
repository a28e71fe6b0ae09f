"""Session evaluations: sent after each occurrence, answered in a form, anonymous by default."""

from __future__ import annotations

from bot.capability import Capability
from bot.evaluations.commands import ACTIONS, COMMANDS
from bot.evaluations.member_data import export_evaluations, forget_evaluations
from bot.evaluations.sending import EvaluationSending

EVALUATIONS = Capability(
    "evaluations",
    commands=COMMANDS,
    actions=ACTIONS,
    repositories=("evaluations",),
    parts=(EvaluationSending,),
    # Sent at each occurrence's end and reminded at its instant (scheduler jobs).
    timed=(EvaluationSending,),
    on_leave=(forget_evaluations,),
    export=(export_evaluations,),
)
