"""Reports for funders: sessions, who came and from where, and whether it helped."""

from __future__ import annotations

from bot.capability import Capability
from bot.reports.commands import COMMANDS

REPORTS = Capability("reports", commands=COMMANDS, repositories=("reports",))
