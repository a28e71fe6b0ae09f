"""Polls: a question with a button per option, counted once per member, closed once."""

from __future__ import annotations

from bot.capability import Capability, Job
from bot.delivery import Services
from bot.polls.commands import ACTIONS, COMMANDS
from bot.polls.member_data import export_votes, forget_votes
from bot.polls.posting import PollEdits, close_due

# A poll closes within this many seconds of its time (claimed by a conditional UPDATE).
CLOSE_CHECK_SECONDS = 30


async def close_polls(services: Services) -> int:
    return await close_due(services)


POLLS = Capability(
    "polls",
    commands=COMMANDS,
    actions=ACTIONS,
    repositories=("polls",),
    parts=(PollEdits,),
    jobs=(Job("poll-closing", CLOSE_CHECK_SECONDS, close_polls),),
    on_leave=(forget_votes,),
    export=(export_votes,),
)
