"""An invitation: one row of the coalition's roster, waiting for its person to join."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# No 0/O, 1/I/L: codes are read in an email and typed in a chat.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """Ten random letters and digits (about 50 bits): unguessable, yet typeable."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normal_code(typed: str) -> str:
    """The code as stored, from how a person typed it (case, spaces, dashes ignored)."""
    raw = "".join(c for c in typed.upper() if c.isalnum())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == 10 else raw


class InvitationStatus(StrEnum):
    PENDING = "pending"
    USED = "used"


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """What the spreadsheet says about one person, checked."""

    name: str
    email: str
    organization: str = ""
    discipline: str = ""
    region: str = ""
    jurisdiction: str = ""


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    code: str
    entry: RosterEntry
    status: InvitationStatus
    created_at: datetime
    updated_at: datetime
