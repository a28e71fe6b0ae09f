"""The coalition's configuration: a TOML file for settings, the environment for secrets.

config.example.toml at the project root documents every key. Secrets (platform
tokens, the database password) are read from the environment only and held as
SecretStr, so they never show up in a repr or a log line.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot.durations import parse_minutes
from bot.i18n import N_, available_languages
from bot.timezones import canonical_timezone

DEFAULT_CONFIG_PATH = Path("config.toml")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///coalition.db"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CoalitionSettings(_Section):
    name: str = Field(default="Our Coalition", min_length=1, max_length=80)
    timezone: str = "America/Chicago"
    language: str = "en"
    approval_required: bool = False
    listed_by_default: bool = True

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        found = canonical_timezone(value)
        if found is None:
            raise ValueError("not a known IANA time zone; use a name such as America/Chicago")
        return found

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in available_languages():
            allowed = ", ".join(available_languages())
            raise ValueError(f"no translation for this language; allowed: {allowed}")
        return value


class Channels(_Section):
    """Channel names (without #) the bot posts to, by purpose."""

    announcements: str = "announcements"
    reviews: str = "coordinators"
    resources: str = "resources"
    discussions: str = "discussions"
    office_hours: str = "office-hours"

    @field_validator("*")
    @classmethod
    def _strip_hash(cls, value: str) -> str:
        value = value.strip().removeprefix("#")
        if not value:
            raise ValueError("a channel name cannot be empty")
        return value


class Lists(_Section):
    """The lists members choose from: in their profile, and when suggesting resources."""

    disciplines: tuple[str, ...] = (
        "Epidemiology",
        "Health Education",
        "Environmental Health",
        "Nursing",
        "Policy",
        "Administration",
        "Data & Informatics",
        "Community Engagement",
        "Other",
    )
    regions: tuple[str, ...] = ("Northeast", "Southeast", "Midwest", "Southwest", "West")
    interests: tuple[str, ...] = (
        "Health Equity",
        "Housing",
        "Food Access",
        "Maternal & Child Health",
        "Chronic Disease",
        "Emergency Preparedness",
        "Behavioral Health",
        "Climate & Health",
        "Data Modernization",
        "Workforce",
    )
    languages: tuple[str, ...] = ("en", "es")
    # The resource library: what kind of resource, and what it is about.
    resource_types: tuple[str, ...] = (
        "law",
        "policy",
        "best practice",
        "research",
        "toolkit",
        "case study",
        "data",
        "training",
        "video",
        "other",
    )
    topics: tuple[str, ...] = (
        "Health Equity",
        "Housing",
        "Food Access",
        "Maternal & Child Health",
        "Chronic Disease",
        "Emergency Preparedness",
        "Behavioral Health",
        "Climate & Health",
        "Data Modernization",
        "Workforce",
    )

    @field_validator("disciplines", "regions", "interests", "resource_types", "topics")
    @classmethod
    def _non_empty_unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(v.strip() for v in value)
        if not cleaned or any(not v for v in cleaned):
            raise ValueError("needs at least one entry, and no empty entries")
        if len({v.lower() for v in cleaned}) != len(cleaned):
            raise ValueError("has the same entry twice")
        return cleaned

    @field_validator("languages")
    @classmethod
    def _translated(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        missing = [v for v in value if v not in available_languages()]
        if missing or not value:
            allowed = ", ".join(available_languages())
            raise ValueError(f"only languages the bot is translated into are allowed: {allowed}")
        return value


class Meetings(_Section):
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


class EvaluationQuestion(_Section):
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


class Evaluations(_Section):
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


class Discussions(_Section):
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


class Database(_Section):
    url: str = DEFAULT_DATABASE_URL


class Http(_Section):
    """The bot's own HTTP port: /healthz, /readyz and /metrics, and Slack's HTTP mode."""

    enabled: bool = True
    host: str = "0.0.0.0"
    # `coalition-bot run --port N` overrides it; 0 takes any free port (tests).
    port: int = Field(default=8080, ge=0, le=65535)


class Roster(_Section):
    """Invitations imported with `coalition-bot members import`."""

    # Invitations nobody used are deleted this many days after they were imported or last
    # changed by an import (privacy).
    keep_unused_days: int = Field(default=180, ge=1, le=3650)


# What the dashboard's member list as CSV can hold, in this order; never contact details
# or accounts' ids. "platforms": the names of the platforms a member linked.
MEMBER_CSV_FIELDS = (
    "name",
    "organization",
    "jurisdiction",
    "region",
    "discipline",
    "interests",
    "role",
    "platforms",
    "joined",
)


class WebSettings(_Section):
    """The coalition's public web pages: the library, sessions, calendar feeds (docs/web.md)."""

    enabled: bool = False
    # Served on the bot's one HTTP port ([http] port; the terminal run opens it too).
    # The address people reach the pages at, for links (feeds, embedding): behind a
    # reverse proxy, its https address.
    public_url: str = "http://localhost:8080"
    # Whether a resource's public page names the member who suggested it.
    show_suggested_by: bool = False
    # The columns of the dashboard's member list as CSV (/dashboard/members.csv), from
    # MEMBER_CSV_FIELDS. By default what the chat's directory shows every member: a
    # coordinator adds more (roles, platforms, join date) only if the coalition agrees.
    members_csv_fields: tuple[str, ...] = ("name", "organization", "region", "discipline")

    @field_validator("members_csv_fields")
    @classmethod
    def _known_columns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in MEMBER_CSV_FIELDS]
        if unknown or not value:
            known = ", ".join(MEMBER_CSV_FIELDS)
            wrong = f" ({', '.join(unknown)} is not one)" if unknown else ""
            raise ValueError(f"choose one or more of {known}{wrong}")
        return tuple(dict.fromkeys(value))

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        scheme, _, rest = value.partition("://")
        if scheme not in {"http", "https"} or not rest or any(c.isspace() for c in rest):
            raise ValueError('use the address people open, such as "https://library.example.org"')
        return value


class Config(_Section):
    coalition: CoalitionSettings = CoalitionSettings()
    channels: Channels = Channels()
    lists: Lists = Lists()
    # Admins as "platform:user_id", e.g. "slack:U024BE7LH", "discord:80351110224678912",
    # "console:dana". Admins grant and revoke the coordinator role. The default makes
    # the terminal user "admin" an admin, so the bot can be tried without any set-up.
    admins: tuple[str, ...] = ("console:admin",)
    database: Database = Database()
    http: Http = Http()
    discussions: Discussions = Discussions()
    meetings: Meetings = Meetings()
    web: WebSettings = WebSettings()
    roster: Roster = Roster()
    evaluations: Evaluations = Evaluations()

    @field_validator("admins")
    @classmethod
    def _admin_form(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            platform, _, user_id = entry.partition(":")
            if platform not in {"slack", "discord", "console"} or not user_id:
                raise ValueError(
                    f"'{entry}' should look like slack:U024BE7LH, discord:80351110224678912"
                    " or console:dana"
                )
        return value

    def is_admin(self, platform: str, user_id: str) -> bool:
        return f"{platform}:{user_id}" in self.admins


class Secrets(BaseModel):
    """Read from the environment only; never from the config file, never logged."""

    model_config = ConfigDict(frozen=True)

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    discord_token: SecretStr | None = None
    database_password: SecretStr | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Secrets:
        def get(name: str) -> SecretStr | None:
            value = env.get(name, "").strip()
            return SecretStr(value) if value else None

        return cls(
            slack_bot_token=get("SLACK_BOT_TOKEN"),
            slack_app_token=get("SLACK_APP_TOKEN"),
            slack_signing_secret=get("SLACK_SIGNING_SECRET"),
            discord_token=get("DISCORD_TOKEN"),
            database_password=get("COALITION_DATABASE_PASSWORD"),
        )


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key, the value and the rule."""


def config_path(env: Mapping[str, str]) -> Path:
    return Path(env.get("COALITION_CONFIG") or DEFAULT_CONFIG_PATH)


def load_config(env: Mapping[str, str] | None = None) -> tuple[Config, Path | None]:
    """The configuration, and the file it came from (None: built-in defaults)."""
    env = os.environ if env is None else env
    path = config_path(env)
    data: dict[str, Any] = {}
    source: Path | None = None
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path} is not valid TOML: {error}") from None
        source = path
    elif "COALITION_CONFIG" in env:
        raise ConfigError(f"COALITION_CONFIG points to {path}, which does not exist.")
    if url := env.get("COALITION_DATABASE_URL", "").strip():
        data.setdefault("database", {})["url"] = url
    # For hosts that assign the port (and tests, which take any free one with 0).
    if port := env.get("COALITION_HTTP_PORT", "").strip():
        data.setdefault("http", {})["port"] = port
    try:
        return Config.model_validate(data), source
    except ValidationError as error:
        raise ConfigError(describe_errors(error, path)) from None


def describe_errors(error: ValidationError, path: Path) -> str:
    lines = [f"The configuration in {path} has {error.error_count()} problem(s):"]
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            lines.append(f"  - {key}: unknown key; check its spelling against config.example.toml")
            continue
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"  - {key} = {item['input']!r}: {message}")
    return "\n".join(lines)
