"""Peer matching: opt-in members introduced to each other in rounds, then asked if they met."""

from __future__ import annotations

from bot.capability import Capability
from bot.matching.commands import ACTIONS, COMMANDS
from bot.matching.member_data import export_matching, forget_matching
from bot.matching.rounds import MatchingRounds

MATCHING = Capability(
    "matching",
    commands=COMMANDS,
    actions=ACTIONS,
    repositories=("matching",),
    parts=(MatchingRounds,),
    # A round is held at its instant (a scheduler job), each sweep being the safety net.
    timed=(MatchingRounds,),
    on_leave=(forget_matching,),
    export=(export_matching,),
)
