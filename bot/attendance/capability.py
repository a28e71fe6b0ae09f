"""Attendance: "I'm here" at a meeting's start, corrected by coordinators, imported from calls."""

from __future__ import annotations

from bot.attendance.commands import ACTIONS, COMMANDS
from bot.attendance.member_data import export_attendance, forget_attendance
from bot.capability import Capability

ATTENDANCE = Capability(
    "attendance",
    commands=COMMANDS,
    actions=ACTIONS,
    repositories=("attendance",),
    on_leave=(forget_attendance,),
    export=(export_attendance,),
)
