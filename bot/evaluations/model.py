"""An evaluation, its questions, and what a member may do with it.

An evaluation belongs to a meeting, so a series has one for every occurrence. Its
questions are copied from the config's template when it is created: a template
changed later does not change the questions already asked, so answers keep the
questions they answered. An occurrence is named as the meetings capability names
it (its scheduled local date), the same key as RSVPs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

ANSWER_MAX = 1000
SCALE = ("1", "2", "3", "4", "5")


@dataclass(frozen=True, slots=True)
class Question:
    text: str  # a msgid for the default template's questions: shown translated
    kind: str  # "scale" (1-5) or "text"


@dataclass(frozen=True, slots=True)
class Evaluation:
    id: int
    meeting_id: int
    meeting_title: str
    channel: str
    anonymous: bool
    template: str
    questions: tuple[Question, ...]
    created_at: datetime
    removed: bool = False


@dataclass(frozen=True, slots=True)
class Opened:
    """An occurrence whose evaluation was sent: answers taken until `closes_at`."""

    evaluation_id: int
    occurrence: date
    ends_at: datetime
    closes_at: datetime
    remind_at: datetime


class AnswerOutcome(StrEnum):
    SAVED = "saved"
    CHANGED = "changed"  # a named answer given again within the window
    ALREADY = "already"  # anonymous: answered once, final
    CLOSED = "closed"  # the window has passed, or it was never sent


def session_target(evaluation_id: int, occurrence: date) -> str:
    """A button's target and the form's session field: short, as Discord wants."""
    return f"{evaluation_id}@{occurrence.isoformat()}"


def parse_session(text: str) -> tuple[int, date] | None:
    number, _, day = text.strip().partition("@")
    try:
        return int(number), date.fromisoformat(day)
    except ValueError:
        return None
