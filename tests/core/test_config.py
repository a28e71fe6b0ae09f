"""Configuration: the example is the reference, bad values name key, value and rule."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from adapters.logs import RedactSecrets, secret_values
from bot.config import Config, ConfigError, Secrets, load_config

EXAMPLE = Path(__file__).parents[2] / "config.example.toml"


def test_the_example_is_valid_and_equals_the_defaults() -> None:
    config, source = load_config({"COALITION_CONFIG": str(EXAMPLE)})
    assert source == EXAMPLE
    assert config == Config()


def test_no_file_means_built_in_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config, source = load_config({})
    assert source is None and config.database.url.startswith("sqlite")


def test_environment_overrides_the_database(tmp_path: Path) -> None:
    config, _ = load_config(
        {"COALITION_CONFIG": str(EXAMPLE), "COALITION_DATABASE_URL": "postgresql://x@h/db"}
    )
    assert config.database.url == "postgresql://x@h/db"


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            '[coalition]\ntimezone = "America/Las_Vegas"',
            "coalition.timezone = 'America/Las_Vegas': not a known IANA time zone",
        ),
        (
            '[coalition]\nlanguage = "fr"',
            "coalition.language = 'fr': no translation for this language; allowed: en, es",
        ),
        ("[lists]\nregions = []", "lists.regions = []: needs at least one entry"),
        ('admins = ["maria"]', "'maria' should look like slack:U024BE7LH"),
        ('[coalition]\nnmae = "x"', "coalition.nmae: unknown key"),
        ("[coalition]\napproval_required = 3", "coalition.approval_required = 3"),
    ],
)
def test_bad_values_name_the_key_the_value_and_the_rule(
    tmp_path: Path, toml: str, expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as raised:
        load_config({"COALITION_CONFIG": str(path)})
    assert expected in str(raised.value)


def test_missing_config_file_named_in_the_environment_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config({"COALITION_CONFIG": str(tmp_path / "nope.toml")})


def test_invalid_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[coalition\nname=")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_config({"COALITION_CONFIG": str(path)})


def test_secrets_come_from_the_environment_and_never_show_in_repr() -> None:
    secrets = Secrets.from_env({"SLACK_BOT_TOKEN": "xoxb-very-secret", "DISCORD_TOKEN": " "})
    assert secrets.slack_bot_token is not None
    assert secrets.discord_token is None
    assert "xoxb-very-secret" not in repr(secrets)


def test_log_lines_have_secrets_redacted(caplog: pytest.LogCaptureFixture) -> None:
    secrets = Secrets.from_env({"SLACK_BOT_TOKEN": "xoxb-very-secret"})
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactSecrets(secret_values(secrets)))
    with caplog.at_level(logging.INFO):
        logger.info("calling Slack with token %s", "xoxb-very-secret")
    assert "xoxb-very-secret" not in caplog.text
    assert "[redacted]" in caplog.text
