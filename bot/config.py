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
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from bot.capability_settings import Discussions, Evaluations, Matching, Meetings, Section
from bot.i18n import available_languages
from bot.timezones import canonical_timezone

DEFAULT_CONFIG_PATH = Path("config.toml")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///coalition.db"


class CoalitionSettings(Section):
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


class Channels(Section):
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


class Lists(Section):
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
        "Q&A",  # answered office-hours questions promoted into the library
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


class Database(Section):
    url: str = DEFAULT_DATABASE_URL


class Http(Section):
    """The bot's own HTTP port: /healthz, /readyz and /metrics, and Slack's HTTP mode."""

    enabled: bool = True
    host: str = "0.0.0.0"
    # `coalition-bot run --port N` overrides it; 0 takes any free port (tests).
    port: int = Field(default=8080, ge=0, le=65535)


class Roster(Section):
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


class WebSettings(Section):
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


class Config(Section):
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
    matching: Matching = Matching()
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
