"""The terminal adapter, scripted through stdin, in-process and as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from adapters.console.session import ConsoleSession
from bot.config import CoalitionSettings, Config
from storage import Storage
from tests.harness import Harness

ROOT = Path(__file__).parents[2]


class Script:
    """Answers prompts from a list and collects everything printed."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.lines: list[str] = []

    def out(self, line: str) -> None:
        self.lines.append(line)

    async def ask(self, prompt: str) -> str | None:
        self.lines.append(prompt)
        return self.answers.pop(0) if self.answers else None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def session(harness: Harness, script: Script, tmp_path: Path) -> ConsoleSession:
    return ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)


async def test_join_walks_through_the_fields_and_reasks_a_bad_one(
    harness: Harness, tmp_path: Path
) -> None:
    script = Script(
        ["Maria Lopez", "Alameda County PH", "", "Epidemiology", "Atlantis", "", "", "", "", "West"]
    )
    console = session(harness, script, tmp_path)
    await console.handle("/as maria")
    await console.handle("/coalition join")
    assert "Display name (required)" in script.text
    assert "one of: Northeast, Southeast" in script.text
    assert "Atlantis is not one of the choices for region" in script.text
    assert "Welcome to Our Coalition" in script.text


async def test_a_form_in_spanish_is_walked_through_in_spanish(
    sqlite: Storage, tmp_path: Path
) -> None:
    """The form's labels come from the core; the terminal's own words match their language."""
    harness = Harness(sqlite, Config(coalition=CoalitionSettings(language="es")))
    script = Script([])  # no answer to the first question: the form is cancelled
    console = session(harness, script, tmp_path)
    await console.handle("/as maria")
    await console.handle("/coalition join")
    assert "Pulse Intro para saltar un campo opcional" in script.text
    assert "Nombre para mostrar (obligatorio)" in script.text
    assert "(formulario cancelado)" in script.text
    assert "required" not in script.text and "Press Enter" not in script.text


async def test_buttons_are_numbered_and_clicked(sqlite: Storage, tmp_path: Path) -> None:
    harness = Harness(sqlite, Config(coalition=CoalitionSettings(approval_required=True)))
    script = Script([])
    console = session(harness, script, tmp_path)
    from adapters.console.repl import ConsolePoster

    harness.dispatcher.broadcaster.connect(ConsolePoster(console))
    await console.handle("/coalition join name=Admin organization=HQ discipline=Policy region=West")
    await console.handle("/as maria")
    await console.handle(
        '/coalition join name=Maria organization="Alameda PH" discipline=Nursing region=West'
    )
    assert "[posted in #coordinators]" in script.text
    assert "[1] Approve  [2] Decline" in script.text
    await console.handle("/as admin")
    await console.handle("/click 1")
    assert "Approved by Admin" in script.text
    assert "[direct message to @maria]" in script.text
    shown = len(script.lines)
    await console.handle("/click 2")  # Decline, on the version before the approval
    now = "\n".join(script.lines[shown:])
    assert "That message has changed since; here it is now" in now
    assert "Approved by Admin" in now and "(it has no buttons now)" in now
    await console.handle("/click 99")
    assert "no button with that number" in script.text


async def test_export_is_written_to_a_file(harness: Harness, tmp_path: Path) -> None:
    script = Script([])
    console = session(harness, script, tmp_path)
    await harness.join("admin", "Dana")
    await console.handle("/coalition export")
    assert (tmp_path / "coalition-member-1.json").exists()


def test_membership_scenario_as_a_subprocess(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/coalition help",
            '/coalition join name="Dana Reyes" organization="State Health Dept" discipline=Policy region=Midwest',
            "/as maria",
            '/coalition join name="Maria Lopez" organization="Alameda County PH" discipline=epidemiology region=West interests="Housing,Health Equity" timezone=america/los_angeles',
            "/coalition profile view",
            '/coalition profile edit jurisdiction="Alameda County"',
            "/coalition directory interest=housing",
            "/as admin",
            "/coalition role grant @maria coordinator",
            "/coalition role history",
            "/as maria",
            "/coalition leave",
            "/click 1",
            "/coalition profile view",
            "/quit",
        ]
    )
    env = {**os.environ, "COALITION_CONFIG": str(ROOT / "config.example.toml")}
    env.pop("SLACK_BOT_TOKEN", None)
    env.pop("DISCORD_TOKEN", None)
    env["COALITION_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "run"],
        input=script,
        capture_output=True,
        text=True,
        timeout=300,  # a safety net for a hung process on a busy machine
        cwd=tmp_path,
        env=env,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "No Slack or Discord tokens are set" in out  # says how to connect instead
    assert "maria@#general> /coalition profile view" in out  # the transcript echoes input
    assert "Welcome to Our Coalition" in out
    assert "Jurisdiction: Alameda County" in out
    assert "1 member found" in out
    assert "Maria Lopez is now a coordinator" in out
    assert "[direct message to @maria]" in out
    assert "Dana Reyes made Maria Lopez a coordinator on " in out  # the role history
    assert "Your profile and personal data are deleted" in out
    assert out.rstrip().endswith("maria@#general> /quit")
    assert "Traceback" not in result.stderr


async def test_examples_are_written_as_typed_in_chat(harness: Harness, tmp_path: Path) -> None:
    script = Script([])
    console = session(harness, script, tmp_path)
    await console.handle("/coalition help join")
    assert '/coalition join name="Maria Lopez" organization="Alameda County Public Health"' in (
        script.text
    )
    await console.handle("/coalition resource view")
    assert "/coalition resource view id=12" in script.text
