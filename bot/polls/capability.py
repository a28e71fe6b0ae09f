"""Polls: a question with a button per option, counted once per member, closed once."""

from __future__ import annotations

from bot.capability import Capability
from bot.meetings.options import OPTION_TYPES
from bot.polls.closing import PollClosing
from bot.polls.commands import ACTIONS, COMMANDS
from bot.polls.posting import PollEdits

POLLS = Capability(
    "polls",
    commands=COMMANDS,
    actions=ACTIONS,
    # The closing day and time are read as the meetings read theirs.
    option_types=OPTION_TYPES,
    repositories=("polls",),
    parts=(PollEdits, PollClosing),
    # Each poll closes at its instant (a scheduler job), each sweep being the safety net.
    timed=(PollClosing,),
)
