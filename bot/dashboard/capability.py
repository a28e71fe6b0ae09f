"""The coordinators' dashboard: sign-in links asked for in chat (adapters/web/dashboard.py)."""

from __future__ import annotations

from bot.capability import Capability
from bot.dashboard.signin import DASHBOARD

DASHBOARD_ACCESS = Capability("dashboard", commands=(DASHBOARD,), repositories=("dashboard",))
