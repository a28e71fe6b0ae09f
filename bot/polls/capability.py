"""Polls: a question with a button per option, counted once per member, closed once."""

from __future__ import annotations

from bot.capability import Capability
from bot.polls.closing import PollClosing
from bot.polls.commands import ACTIONS, COMMANDS
from bot.polls.edits import PollEdits, flush_edits
from bot.polls.member_data import export_votes, forget_votes

POLLS = Capability(
    "polls",
    commands=COMMANDS,
    actions=ACTIONS,
    repositories=("polls",),
    parts=(PollEdits, PollClosing),
    # Each poll closes at its instant (a scheduler job), each sweep being the safety net.
    timed=(PollClosing,),
    # Trailing edits of the posts are made at once rather than lost.
    on_stop=(flush_edits,),
    on_leave=(forget_votes,),
    export=(export_votes,),
)
