"""The resource library end to end in the terminal: in-process, and as a real subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from adapters.console.repl import ConsolePoster
from adapters.console.session import ConsoleSession
from tests.adapters.test_console import ROOT, Script
from tests.harness import Harness

SUGGEST_TOOLKIT = (
    "/coalition resource suggest url=https://example.org/housing-toolkit "
    'title="Housing and Health Toolkit" type=toolkit topics="housing, eviction prevention" '
    'description="Working with housing authorities"'
)
SUGGEST_FLYER = (
    "/coalition resource suggest url=https://example.org/flyer "
    'title="Housing fair flyer" type=other topics=housing'
)


def last_button(script: Script, label: str) -> str:
    numbers: list[str] = re.findall(rf"\[(\d+)\] {label}", script.text)
    assert numbers, f"no {label} button shown"
    return numbers[-1]


async def test_suggest_review_approve_reject_and_search(harness: Harness, tmp_path: Path) -> None:
    script = Script(["", "Out of scope for the library"])  # the reject form's answers
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    harness.dispatcher.broadcaster.connect(ConsolePoster(console))
    for user, name in (("admin", "Admin"), ("dana", "Dana Reyes"), ("maria", "Maria Lopez")):
        await console.handle(f"/as {user}")
        await console.handle(
            f'/coalition join name="{name}" organization=PH discipline=Policy region=West'
        )
    await console.handle("/as admin")
    await console.handle("/coalition role grant @dana coordinator")

    await console.handle("/as maria")
    await console.handle(SUGGEST_TOOLKIT)
    assert "sent Housing and Health Toolkit to the coordinators" in script.text
    assert "[posted in #coordinators]" in script.text
    assert re.search(r"\[\d+\] Approve  \[\d+\] Edit  \[\d+\] Reject", script.text)
    approve = last_button(script, "Approve")

    await console.handle(f"/click {approve}")  # Maria is not a coordinator
    assert "Only coordinators can do that" in script.text
    assert "[posted in #resources]" not in script.text

    await console.handle("/as dana")
    await console.handle(f"/click {approve}")
    assert "bot updated a message in #coordinators:" in script.text
    assert "Approved by Dana Reyes on" in script.text
    assert "[posted in #resources]" in script.text
    assert "Dana Reyes approved your suggestion" in script.text  # Maria's direct message

    await console.handle("/as maria")
    await console.handle(SUGGEST_FLYER)
    reject = last_button(script, "Reject")
    await console.handle("/as dana")
    await console.handle(f"/click {reject}")
    assert "Reject a suggested resource." in script.text  # the form, walked through
    assert "Reason (required)" in script.text
    assert "You rejected Housing fair flyer" in script.text
    assert "The coordinators' reason: Out of scope for the library" in script.text

    await console.handle("/as maria")
    script.lines.clear()
    await console.handle("/coalition resource search housing")
    assert "1 resource found" in script.text
    assert "Housing and Health Toolkit" in script.text and "flyer" not in script.text


def test_resource_scenario_as_a_subprocess(tmp_path: Path) -> None:
    script = "\n".join(
        [
            '/coalition join name="Admin" organization="State Health" discipline=Policy region=West',
            "/as dana",
            '/coalition join name="Dana Reyes" organization="County PH" discipline=Policy region=West',
            "/as admin",
            "/coalition role grant @dana coordinator",
            "/as maria",
            '/coalition join name="Maria Lopez" organization="City PH" discipline=Nursing region=West',
            SUGGEST_TOOLKIT,
            "/click 1",  # Approve, by a member: refused
            "/as dana",
            "/click 1",
            "/as maria",
            SUGGEST_FLYER,
            "/as dana",
            "/coalition resource pending",
            "/click 6",  # Reject on the second review post
            "",  # keep the resource number shown
            "Out of scope for the library",
            "/coalition resource audit",
            "/as maria",
            '/coalition resource search "housing (toolkit" OR NEAR*',
            "/coalition resource search housing",
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
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "[posted in #coordinators]" in out
    assert "[1] Approve  [2] Edit  [3] Reject" in out
    assert "Only coordinators can do that" in out
    assert "Approved by Dana Reyes on" in out
    assert "[posted in #resources]" in out
    assert "Suggestions waiting for review, oldest first:" in out
    assert "You rejected Housing fair flyer" in out
    assert "[direct message to @maria]" in out
    assert "Dana Reyes rejected #2" in out and "Dana Reyes approved #1" in out
    searches = out.split("/coalition resource search housing\n", 1)[1]
    assert "1 resource found" in searches and "Housing and Health Toolkit" in searches
    assert "flyer" not in searches
    assert "Something went wrong" not in out
    assert "Traceback" not in result.stderr


async def test_the_edit_form_suggests_tags_and_can_remove_the_description(
    harness: Harness, tmp_path: Path
) -> None:
    # The edit form's answers: keep the number, link and title; "-" removes the
    # description; keep type, topics, level and language.
    script = Script(["", "", "", "-", "", "", "", ""])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    harness.dispatcher.broadcaster.connect(ConsolePoster(console))
    for user, name in (("admin", "Admin"), ("dana", "Dana Reyes"), ("maria", "Maria Lopez")):
        await console.handle(f"/as {user}")
        await console.handle(
            f'/coalition join name="{name}" organization=PH discipline=Policy region=West'
        )
    await console.handle("/as admin")
    await console.handle("/coalition role grant @dana coordinator")
    await console.handle("/as maria")
    await console.handle(SUGGEST_TOOLKIT)
    await console.handle("/as dana")
    await console.handle(f"/click {last_button(script, 'Edit')}")
    asked = script.text
    assert "type - to remove it" in asked
    topics = next(line for line in script.lines if "Topics" in line and "commas" in line)
    assert "for example:" in topics and "one of:" not in topics  # any tag is welcome
    assert "Saved your changes to Housing and Health Toolkit" in script.text
    await console.handle("/coalition resource view 1")
    assert "Working with housing authorities" not in script.text[len(asked) :]


async def test_a_resource_in_the_library_is_corrected_then_retired_after_a_confirmation(
    harness: Harness, tmp_path: Path
) -> None:
    script = Script([])
    console = ConsoleSession(harness.dispatcher, script.out, script.ask, files=tmp_path)
    harness.dispatcher.broadcaster.connect(ConsolePoster(console))
    for user, name in (("admin", "Admin"), ("dana", "Dana Reyes"), ("maria", "Maria Lopez")):
        await console.handle(f"/as {user}")
        await console.handle(
            f'/coalition join name="{name}" organization=PH discipline=Policy region=West'
        )
    await console.handle("/as admin")
    await console.handle("/coalition role grant @dana coordinator")
    await console.handle("/as maria")
    await console.handle(SUGGEST_TOOLKIT)
    await console.handle("/as dana")
    await console.handle(f"/click {last_button(script, 'Approve')}")

    await console.handle(
        "/coalition resource edit 1 url=www.example.org/housing-toolkit-v2?utm_medium=email "
        "jurisdiction=state"
    )
    assert "Saved your changes to Housing and Health Toolkit" in script.text
    await console.handle('/coalition resource retire 1 reason="Replaced by the 2026 edition"')
    assert "Retire #1 Housing and Health Toolkit from the library?" in script.text
    assert re.search(r"\[\d+\] Yes, retire it  \[\d+\] No, keep it", script.text)
    await console.handle(f"/click {last_button(script, 'Yes, retire it')}")
    assert "Retired #1 Housing and Health Toolkit" in script.text
    await console.handle("/coalition resource audit 1")
    assert "Dana Reyes retired #1 from the library" in script.text
    assert (
        "url: https://example.org/housing-toolkit → https://www.example.org/housing-toolkit-v2"
        in (script.text)
    )
    script.lines.clear()
    await console.handle("/as maria")
    await console.handle("/coalition resource search housing")
    assert "No resource in the library matches that" in script.text
