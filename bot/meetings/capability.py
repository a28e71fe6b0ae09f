"""Meetings and reminders: scheduling, recurrence, RSVPs, calendar files, reminders."""

from __future__ import annotations

from bot.capability import Capability
from bot.delivery import Services
from bot.meetings.commands import ACTIONS, COMMANDS
from bot.meetings.member_data import export_answers, forget_answers
from bot.meetings.options import OPTION_TYPES
from bot.meetings.personal import export_feed, forget_feed
from bot.meetings.reminders import ReminderService


def reminders(services: Services) -> ReminderService:
    return ReminderService(
        services.unit_of_work,
        services.broadcaster,
        services.clock,
        services.config,
        owner=services.instance,
    )


MEETINGS = Capability(
    "meetings",
    commands=COMMANDS,
    actions=ACTIONS,
    option_types=OPTION_TYPES,
    repositories=("meetings", "rsvps", "deliveries", "calendar_feeds"),
    parts=(reminders,),
    # Reminders and announcements are due at instants the meetings say: the scheduler
    # wakes at each one (adapters/scheduling.py).
    timed=(ReminderService,),
    on_leave=(forget_answers, forget_feed),
    export=(export_answers, export_feed),
)
