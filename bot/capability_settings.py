"""The sections of config.toml for the capabilities that run on a timetable: meetings,
evaluations, discussions and matching (the rest, and loading: bot/config.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.durations import parse_minutes
from bot.i18n import N_


class Section(BaseModel):
    """Every section of config.toml: an unknown key is an error, and nothing changes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Meetings(Section):
    """Meetings and their reminders."""

    # When to remind before each meeting ("1d", "2h", "15m", "1h30m"); a reminder
    # also goes out at the start. A meeting may set its own.
    reminder_offsets: tuple[str, ...] = ("1d", "15m")
    # After a restart, reminders missed by at most this many minutes are still
    # sent (marked late); older ones are skipped and logged, never flooded.
    grace_minutes: int = Field(default=15, ge=0, le=24 * 60)
    # How often the scheduler re-reads the database as a safety net (seconds).
    sweep_seconds: int = Field(default=30, ge=1, le=3600)
    # With several replicas on PostgreSQL, how often a standby tries to take over
    # the scheduler (seconds): the bound on how long reminders wait after a crash.
    leader_check_seconds: int = Field(default=5, ge=1, le=600)
    # A post claimed by an instance that never finished it (it died mid-post) is
    # taken over after this many seconds.
    claim_timeout_seconds: int = Field(default=120, ge=1, le=86400)
    # A failed post is retried with growing waits (retry_seconds, then x2 ...)
    # up to this many attempts in all, then recorded as given up.
    max_attempts: int = Field(default=5, ge=1, le=20)
    retry_seconds: int = Field(default=30, ge=1, le=3600)

    @field_validator("reminder_offsets")
    @classmethod
    def _durations(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            minutes = parse_minutes(entry)
            if minutes is None or not 0 < minutes <= 14 * 1440:
                raise ValueError(
                    f'\'{entry}\' is not a reminder time; use values such as "1d", "2h", "15m"'
                    " (at most 14 days)"
                )
        return value

    @property
    def offsets_minutes(self) -> tuple[int, ...]:
        found = {parse_minutes(entry) for entry in self.reminder_offsets}
        return tuple(sorted((m for m in found if m), reverse=True))


class EvaluationQuestion(Section):
    """One question of an evaluation template: a 1-5 scale, or a free text."""

    text: str = Field(min_length=1, max_length=45)
    kind: Literal["scale", "text"] = "text"

    @field_validator("text")
    @classmethod
    def _no_braces(cls, value: str) -> str:
        # Shown through the translator, which reads {name} as a value to fill in.
        if "{" in value or "}" in value:
            raise ValueError("an evaluation question cannot contain { or }")
        return value


# The default template's questions are msgids: each member reads them in their language.
DEFAULT_EVALUATION: tuple[EvaluationQuestion, ...] = (
    EvaluationQuestion(text=N_("How useful was this session?"), kind="scale"),
    EvaluationQuestion(text=N_("What will you use in your work?"), kind="text"),
    EvaluationQuestion(text=N_("What should we cover next?"), kind="text"),
)
# A modal holds five fields on Discord: the session's own and four questions.
EVALUATION_QUESTIONS_MAX = 4


class Evaluations(Section):
    """Session evaluations: the templates, and how long answers are taken."""

    # Answers are taken for this many days after an occurrence ends.
    window_days: int = Field(default=7, ge=1, le=60)
    # One reminder, this many days after the end, to those who have not answered.
    reminder_days: int = Field(default=2, ge=1, le=59)
    # Named templates: [[evaluations.templates.NAME]] text = "...", kind = "scale" | "text".
    templates: dict[str, tuple[EvaluationQuestion, ...]] = Field(
        default_factory=lambda: {"default": DEFAULT_EVALUATION}
    )

    @field_validator("templates")
    @classmethod
    def _templates(
        cls, value: dict[str, tuple[EvaluationQuestion, ...]]
    ) -> dict[str, tuple[EvaluationQuestion, ...]]:
        for name, questions in value.items():
            if not 1 <= len(questions) <= EVALUATION_QUESTIONS_MAX:
                raise ValueError(
                    f"the evaluation template '{name}' needs from 1 to "
                    f"{EVALUATION_QUESTIONS_MAX} questions"
                )
        # The default template is there even when config.toml names others.
        return {"default": DEFAULT_EVALUATION, **value}


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Discussions(Section):
    """Discussions and the weekly digest."""

    # Followers get at most one message per discussion in this many minutes,
    # however many replies came in.
    notify_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    # The weekly digest goes to the announcements channel on this day at this
    # time, in the coalition's time zone.
    digest_day: str = "monday"
    digest_time: str = "09:00"
    # After a restart, a digest missed by at most this many hours is still posted.
    digest_grace_hours: int = Field(default=12, ge=0, le=6 * 24)

    @field_validator("digest_day")
    @classmethod
    def _weekday(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in WEEKDAYS:
            raise ValueError(f"use a day of the week in English: {', '.join(WEEKDAYS)}")
        return value

    @field_validator("digest_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        hours, _, minutes = value.strip().partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValueError('use a 24-hour time such as "09:00" or "16:30"')
        return f"{int(hours):02d}:{int(minutes):02d}"

    @property
    def digest_weekday(self) -> int:
        """Monday is 0, as datetime.weekday()."""
        return WEEKDAYS.index(self.digest_day)


class Matching(Section):
    """Peer matching rounds (bot/matching/): members who opted in are introduced."""

    enabled: bool = True
    # A round every this many weeks, on this day at this 24-hour time, in the
    # coalition's time zone. Weeks are counted from a fixed Monday (1970-01-05), so
    # every replica finds the same rounds.
    every_weeks: int = Field(default=2, ge=1, le=12)
    day: str = "monday"
    time: str = "10:00"
    # Members paired in the last this many rounds are not paired again.
    avoid_rounds: int = Field(default=3, ge=0, le=52)
    # The "Did you meet?" check-in, this many days after the introductions.
    checkin_days: int = Field(default=7, ge=1, le=30)
    # After a restart, a round missed by at most this many hours still runs.
    grace_hours: int = Field(default=24, ge=0, le=7 * 24)

    _weekday = field_validator("day")(Discussions._weekday.__func__)  # type: ignore[attr-defined]
    _clock = field_validator("time")(Discussions._clock_time.__func__)  # type: ignore[attr-defined]

    @property
    def weekday(self) -> int:
        """Monday is 0, as datetime.weekday()."""
        return WEEKDAYS.index(self.day)
