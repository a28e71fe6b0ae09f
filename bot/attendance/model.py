"""What attendance records, and when checking in is open."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

# Checking in opens this long before the start (people join a call early) and
# closes when the occurrence ends.
CHECKIN_EARLY = timedelta(minutes=15)


class Source(StrEnum):
    """How a row came to be: kept so a coordinator can tell a check-in from a correction."""

    CHECKIN = "checkin"
    COORDINATOR = "coordinator"
    IMPORT = "import"


class Present(NamedTuple):
    """A member marked present at an occurrence."""

    member_id: int
    name: str
    source: Source
    recorded_at: datetime


class Attended(NamedTuple):
    """One occurrence a member attended, for their export."""

    meeting_id: int
    title: str
    occurrence: date
    source: Source
    recorded_at: datetime


class Candidate(NamedTuple):
    """An active member an imported row may name: email from their roster invitation, if any."""

    member_id: int
    name: str
    name_key: str  # folded as bot/membership/folding.py folds it
    email: str  # lower-cased; "" when the member joined without an invitation
