"""`--log-format json`: one JSON object a line, with the delivery key or interaction id."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from adapters.cli import _parser
from adapters.logs import configure_logging, log_fields
from bot.config import Secrets
from bot.identity import Identity, Place
from storage import Storage
from tests.harness import Harness

log = logging.getLogger("tests.logs")
TOKEN = "xoxb-not-a-real-token-1234"


def lines(captured: str) -> list[dict[str, Any]]:
    """Every line written, parsed: each must be one whole JSON object."""
    return [json.loads(line) for line in captured.splitlines()]


def test_each_record_is_one_json_line_with_its_keys(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Secrets(slack_bot_token=SecretStr(TOKEN)), logging.INFO, form="json")
    log.info("posted %s", "a reminder", extra={"delivery_key": "7@2026-03-05:remind:15:slack:#"})
    with log_fields(interaction_id="1234567890"):
        log.warning("slow answer")
        try:
            raise ValueError("boom\nover two lines")
        except ValueError:
            log.exception("the token %s was refused", TOKEN)
    log.info("after the block")
    first, second, third, fourth = lines(capsys.readouterr().err)
    assert first["message"] == "posted a reminder"
    assert first["delivery_key"] == "7@2026-03-05:remind:15:slack:#"
    assert (first["level"], first["logger"]) == ("INFO", "tests.logs")
    assert first["time"].endswith("+00:00")
    assert second == {**second, "message": "slow answer", "interaction_id": "1234567890"}
    assert third["interaction_id"] == "1234567890"
    assert "ValueError: boom\nover two lines" in third["exception"]
    assert TOKEN not in json.dumps(third) and "[redacted]" in third["message"]
    assert "interaction_id" not in fourth


def test_run_takes_the_log_format() -> None:
    assert _parser().parse_args(["run", "--log-format", "json"]).log_format == "json"
    assert _parser().parse_args(["run"]).log_format == "text"


async def test_commands_are_logged_by_name_never_by_what_was_typed(
    harness: Harness, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure_logging(Secrets(), logging.WARNING, form="json")
    # The dispatcher's debug line names every command; the libraries' own stay quiet.
    dispatcher_log = logging.getLogger("bot.dispatcher")
    monkeypatch.setattr(dispatcher_log, "level", logging.DEBUG)
    who, where = Identity("console", "local", "dana"), Place("console", "local", "general")
    await harness.dispatcher.run_text(
        who, where, 'join name="Dana Reyes" organization="Alameda PH"'
    )
    await harness.dispatcher.run_text(who, where, "profile edit email=dana@example.org")
    written = capsys.readouterr().err
    said = [line["message"].rsplit(" took ", 1)[0] for line in lines(written)]
    assert said == ["command join", "command unknown"]  # no such option: not a command
    for private in ("Dana", "Reyes", "Alameda", "example.org"):
        assert private not in written


async def test_a_failed_statement_logs_no_parameters(sqlite: Storage) -> None:
    with pytest.raises(DBAPIError) as raised:
        async with sqlite.engine.connect() as connection:
            await connection.execute(text("SELECT * FROM members WHERE nam = :n"), {"n": "Dana"})
    assert "Dana" not in str(raised.value)
