"""Reports for funders: sessions, who came and from where, and whether it helped."""

from __future__ import annotations

from bot.capability import Capability
from bot.reports.commands import COMMANDS
from bot.reports.member_data import keep_departure

# Its on_leave step must run before meetings', attendance's and evaluations' delete
# what it copies: bot/registry.py lists it before them.
REPORTS = Capability(
    "reports", commands=COMMANDS, repositories=("reports",), on_leave=(keep_departure,)
)
