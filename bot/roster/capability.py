"""The roster: invitations imported from the coalition's spreadsheet, and their expiry."""

from __future__ import annotations

from bot.capability import Capability, Job
from bot.roster.expiry import PURGE_EVERY, forget_unused_invitations
from bot.roster.member_data import forget_invitation

ROSTER = Capability(
    "roster",
    repositories=("invitations",),
    jobs=(Job("roster-expiry", PURGE_EVERY.total_seconds(), forget_unused_invitations),),
    on_leave=(forget_invitation,),
)
