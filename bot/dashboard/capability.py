"""The coordinators' dashboard: sign-in links asked for in chat (adapters/web/dashboard.py)."""

from __future__ import annotations

from bot.capability import Capability, Job
from bot.dashboard.signin import DASHBOARD, forget_expired

DASHBOARD_ACCESS = Capability(
    "dashboard",
    commands=(DASHBOARD,),
    repositories=("dashboard", "engagement"),
    jobs=(Job("dashboard-forget-expired", 3600, forget_expired),),
)
