"""`coalition-bot meetings import-attendance`, on a SQLite file: Zoom, Teams, Excel, bad files."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from adapters.cli import main
from storage import Storage
from storage.database import database_url
from tests.harness import Harness, text_of

ROSTER = (
    "Full Name,E-mail,Agency,Discipline,Region\r\n"
    "José Muñoz,jose@example.org,Condado Health,Epidemiology,West\r\n"
)
ZOOM = (
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\r\n"
    "Pepe (José Muñoz),JOSE@example.org,03/05/2026 09:00,03/05/2026 10:00,60\r\n"
    "maria lopez,,03/05/2026 09:01,03/05/2026 09:20,19\r\n"
    "Maria Lopez,,03/05/2026 09:25,03/05/2026 10:00,35\r\n"
    "Alex Kim,,03/05/2026 09:02,03/05/2026 10:00,58\r\n"
    "Visitor From Elsewhere,guest@example.net,03/05/2026 09:03,03/05/2026 10:00,57\r\n"
)
TEAMS = (
    "1. Summary\r\nMeeting title\tOffice hours\r\n\r\n2. Participants\r\n"
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tRole\r\n"
    "Lee Park (External)\t3/5/26, 9:01 AM\t3/5/26, 10:00 AM\t59m\t\tAttendee\r\n"
    "José Muñoz\t3/5/26, 9:00 AM\t3/5/26, 10:00 AM\t60m\tjose@example.org\tOrganizer\r\n"
)
IMPORT = ["meetings", "import-attendance"]
WHERE = ["--meeting", "1", "--occurrence", "2026-03-05"]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "COALITION_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


async def prepared(workdir: Path) -> None:
    """José joined with his roster invitation (so his email is known); María, Lee, and two
    members called Alex Kim joined without one; the weekly meeting 1 started 2026-03-05."""
    roster = workdir / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert await asyncio.to_thread(main, ["members", "import", str(roster)]) == 0
    code = (workdir / "roster.invitations.csv").read_text(encoding="utf-8-sig").split(",")[-2]
    storage = Storage(database_url(f"sqlite+aiosqlite:///{workdir / 'cli.db'}"))
    await storage.upgrade()
    harness = Harness(storage)
    try:
        await harness.join("admin", "Dana Reyes")
        form = await harness.say("jose", f"join code={code}")
        assert form.form is not None, text_of(form)
        values = {f.name: f.value for f in form.form.fields if f.value}
        assert "Welcome" in text_of(await harness.run("jose", ("join",), from_form=True, **values))
        await harness.join("maria", "María López")
        await harness.join("lee", "Lee Park")
        await harness.join("alex1", "Alex Kim")
        await harness.join("alex2", "Alex Kim")
        await harness.say(
            "admin",
            'meeting schedule title="Office hours" date=2026-03-05 time=9am '
            "timezone=America/Los_Angeles repeat=weekly",
        )
    finally:
        await storage.dispose()


async def attended(workdir: Path) -> list[tuple[str, str]]:
    storage = Storage(database_url(f"sqlite+aiosqlite:///{workdir / 'cli.db'}"))
    try:
        async with storage.unit_of_work() as uow:
            present = await uow.attendance.present(1, date(2026, 3, 5))
        return [(p.name, p.source.value) for p in present]
    finally:
        await storage.dispose()


async def run(*args: str) -> int:
    return await asyncio.to_thread(main, list(args))


async def test_a_zoom_export_with_a_bom_matches_by_email_and_name_and_reports_the_rest(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await prepared(workdir)
    capsys.readouterr()
    file = workdir / "participants.csv"
    file.write_bytes(b"\xef\xbb\xbf" + ZOOM.encode())
    assert await run(*IMPORT, str(file), *WHERE, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Dry run, nothing written: Office hours on 2026-03-05: 2 members matched" in out
    assert await attended(workdir) == []
    assert await run(*IMPORT, str(file), *WHERE) == 0
    out = capsys.readouterr().out
    assert "2 members matched, 2 were newly marked present" in out
    assert "1 row repeats someone already counted" in out
    assert "Row 2: José Muñoz" in out and "Row 3: María López" in out
    assert "Row 5: Alex Kim: could be Alex Kim or Alex Kim; not guessed." in out
    assert "Row 6: Visitor From Elsewhere <guest@example.net>: no member has this" in out
    assert "/coalition meeting attendance id=1 occurrence=2026-03-05" in out
    assert "2 rows were not matched" in out
    assert await attended(workdir) == [("José Muñoz", "import"), ("María López", "import")]
    # Importing the same file again changes nothing.
    assert await run(*IMPORT, str(file), *WHERE) == 0
    assert "0 were newly marked present" in capsys.readouterr().out


async def test_a_teams_list_in_utf16_with_tabs(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await prepared(workdir)
    file = workdir / "attendance.csv"
    file.write_bytes(TEAMS.encode("utf-16"))
    assert await run(*IMPORT, str(file), *WHERE) == 0
    assert "2 members matched" in capsys.readouterr().out
    assert await attended(workdir) == [("José Muñoz", "import"), ("Lee Park", "import")]


async def test_a_file_saved_from_excel_in_windows_1252(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await prepared(workdir)
    file = workdir / "excel.csv"
    file.write_bytes("Full Name;Email\r\nMaría López;\r\n".encode("cp1252"))
    assert await run(*IMPORT, str(file), *WHERE) == 0
    assert "1 member matched, 1 was newly marked present" in capsys.readouterr().out
    assert await attended(workdir) == [("María López", "import")]


async def test_bad_files_and_wrong_dates_are_refused_whole(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await prepared(workdir)
    capsys.readouterr()
    file = workdir / "bad.csv"
    file.write_bytes(b"Topic,Start Time\r\nOffice hours,9:00\r\n")
    assert await run(*IMPORT, str(file), *WHERE) == 1
    err = capsys.readouterr().err
    assert "Nothing was imported. No line of the file names the participants' column" in err
    assert "'Topic', 'Start Time'" in err and "Traceback" not in err
    file.write_bytes(b"Name,Email\r\n\x81\x8d\x90 garbled\r\n")
    assert await run(*IMPORT, str(file), *WHERE) == 1
    assert "not text I can read" in capsys.readouterr().err
    file.write_bytes(b"Name,Email\r\n")
    assert await run(*IMPORT, str(file), *WHERE) == 1
    assert "lists no participants" in capsys.readouterr().err
    file.write_bytes(ZOOM.encode())
    assert await run(*IMPORT, str(file), "--meeting", "1", "--occurrence", "2026-03-08") == 1
    err = capsys.readouterr().err
    assert (
        "Office hours does not meet on 2026-03-08; its nearest dates are 2026-03-05, 2026-03-12"
        in err
    )
    assert await run(*IMPORT, str(file), "--meeting", "7", "--occurrence", "2026-03-05") == 1
    assert "There is no meeting 7" in capsys.readouterr().err
    assert await run(*IMPORT, str(file), "--meeting", "1", "--occurrence", "March 5") == 1
    assert "is not a date" in capsys.readouterr().err
    for wrong in ("99999999999999999999", "abc", "0"):
        # argparse's refusal (exit status 2), never the database's OverflowError
        with pytest.raises(SystemExit) as refused:
            await run(*IMPORT, str(file), "--meeting", wrong, "--occurrence", "2026-03-05")
        assert refused.value.code == 2
        err = capsys.readouterr().err
        assert f"'{wrong}' is not a meeting number" in err and "Traceback" not in err
    assert await run(*IMPORT, str(workdir / "missing.csv"), *WHERE) == 1
    assert "Could not read" in capsys.readouterr().err
    assert await attended(workdir) == []


async def test_a_cancelled_date_is_said_to_be_cancelled(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await prepared(workdir)
    storage = Storage(database_url(f"sqlite+aiosqlite:///{workdir / 'cli.db'}"))
    try:
        reply = await Harness(storage).say("admin", "meeting cancel 1 occurrence=2026-03-12")
        assert "rest of the series" in text_of(reply), text_of(reply)
    finally:
        await storage.dispose()
    file = workdir / "zoom.csv"
    file.write_bytes(ZOOM.encode())
    capsys.readouterr()
    assert await run(*IMPORT, str(file), "--meeting", "1", "--occurrence", "2026-03-12") == 1
    err = capsys.readouterr().err
    assert "Office hours was cancelled on 2026-03-12; its nearest dates are 2026-03-05" in err
