"""The resource library: members suggest, coordinators review, everyone searches."""

from __future__ import annotations

from bot.capability import Capability, Job
from bot.resources.commands import ACTIONS, COMMANDS
from bot.resources.member_data import export_suggestions
from bot.resources.posting import RETRY_EVERY, post_queued_reviews

RESOURCES = Capability(
    "resources",
    commands=COMMANDS,
    actions=ACTIONS,
    repositories=(
        "resources",
        "resource_audit",
        "resource_suggestions",
        "resource_retirements",
    ),
    # Suggestions whose review post failed (or found no platform yet) are posted again.
    jobs=(Job("resource-review-posts", RETRY_EVERY.total_seconds(), post_queued_reviews),),
    export=(export_suggestions,),
)
