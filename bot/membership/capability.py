"""Membership: joining, profiles, the directory, roles, leaving and linked accounts."""

from __future__ import annotations

from bot.capability import Capability
from bot.membership.commands import ACTIONS, COMMANDS

MEMBERSHIP = Capability(
    "membership",
    commands=COMMANDS,
    actions=ACTIONS,
    repositories=("members", "join_requests", "role_changes", "link_codes"),
)
