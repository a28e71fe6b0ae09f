"""`coalition-bot members import` and `members invitations`, on a SQLite file."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from adapters.cli import main
from storage import Storage
from storage.database import database_url
from tests.harness import Harness, text_of

HEADER = "Full Name,E-mail,Agency,Discipline,Region,Jurisdiction\r\n"
GOOD = (
    HEADER
    + "José Muñoz,jose@example.org,Condado Health,Epidemiology,West,Alameda\r\n"
    + "Zoë Brontë,ZOE@example.org,Tri-County,nursing,Midwest,\r\n"
)
BAD = (
    GOOD
    + ",nobody@example.org,X,Epidemiology,West,\r\n"
    + "Ann Lee,jose@example.org,Y,Policy,West,\r\n"
    + "Bo Diaz,bo@example.org,Z,Policy,Wset,\r\n"
    + "Cy,cy@example.org,Z,Policy,West,A,extra\r\n"
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "COALITION_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COALITION_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


def _codes(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as opened:
        return list(csv.DictReader(opened))


def test_a_windows_1252_roster_with_bad_rows_is_refused_whole_then_a_good_one_imports(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = workdir / "roster.csv"
    roster.write_bytes(BAD.encode("cp1252"))
    assert main(["members", "import", str(roster)]) == 1
    err = capsys.readouterr().err
    assert "Nothing was imported: 4 of 6 rows are refused" in err
    assert "Row 4: the name is empty." in err
    assert "Row 5: the email jose@example.org is already on row 2." in err
    assert "Row 6: unknown region 'Wset' (did you mean 'West'?); the configured" in err
    assert "Row 7: has 7 fields where the header has 6" in err
    assert "Traceback" not in err
    assert not (workdir / "roster.invitations.csv").exists()
    assert not (workdir / "cli.db").exists()  # refused before the database was opened

    roster.write_bytes(GOOD.encode("cp1252"))
    assert main(["members", "import", str(roster)]) == 0
    assert "2 new" in capsys.readouterr().out
    rows = _codes(workdir / "roster.invitations.csv")
    assert [(r["row"], r["name"], r["email"], r["status"]) for r in rows] == [
        ("2", "José Muñoz", "jose@example.org", "new"),
        ("3", "Zoë Brontë", "zoe@example.org", "new"),
    ]
    assert all(len(r["code"]) == 11 for r in rows)
    assert main(["members", "invitations"]) == 0
    out = capsys.readouterr().out
    assert "2 invited people have not joined yet" in out
    assert rows[0]["code"] in out


def test_reimporting_is_idempotent_and_updates_changed_rows(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = workdir / "roster.csv"
    roster.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())  # UTF-8 with a BOM
    assert main(["members", "import", str(roster)]) == 0
    first = _codes(workdir / "roster.invitations.csv")
    assert main(["members", "import", str(roster)]) == 0
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().out
    again = _codes(workdir / "roster.invitations.csv")
    assert [r["code"] for r in again] == [r["code"] for r in first]

    roster.write_text(GOOD.replace("Tri-County", "Tri-County Health"), encoding="utf-8")
    assert main(["members", "import", str(roster)]) == 0
    assert "0 new, 1 updated, 1 unchanged" in capsys.readouterr().out
    assert [r["code"] for r in _codes(workdir / "roster.invitations.csv")] == [
        r["code"] for r in first
    ]


def test_a_dry_run_writes_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = workdir / "roster.csv"
    roster.write_text(GOOD, encoding="utf-8")
    assert main(["members", "import", str(roster), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Dry run, nothing written: 2 rows would give 2 new" in out
    assert "Row 2: José Muñoz <jose@example.org> would be new." in out
    assert not (workdir / "roster.invitations.csv").exists()
    assert main(["members", "invitations"]) == 0
    assert "nobody was invited" in capsys.readouterr().out


def test_columns_are_mapped_and_a_missing_one_is_named(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = workdir / "roster.csv"
    roster.write_text("Person,Mail,Dept\r\nAna Ruiz,ana@example.org,County\r\n", encoding="utf-8")
    assert main(["members", "import", str(roster)]) == 1
    assert "No column holds the name" in capsys.readouterr().err
    out = workdir / "codes.csv"
    args = ["--map", "name=Person,email=Mail,org=Dept", "--output", str(out)]
    assert main(["members", "import", str(roster), *args]) == 0
    assert [(r["name"], r["email"]) for r in _codes(out)] == [("Ana Ruiz", "ana@example.org")]


async def _harness_on(path: Path) -> tuple[Harness, Storage]:
    storage = Storage(database_url(f"sqlite+aiosqlite:///{path}"))
    await storage.upgrade()
    return Harness(storage), storage


async def test_a_join_with_a_code_opens_the_form_filled_from_the_roster_row(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = workdir / "roster.csv"
    roster.write_bytes(BAD.encode("cp1252"))
    assert await asyncio.to_thread(main, ["members", "import", str(roster)]) == 1
    roster.write_bytes(GOOD.encode("cp1252"))
    assert await asyncio.to_thread(main, ["members", "import", str(roster)]) == 0
    code = _codes(workdir / "roster.invitations.csv")[0]["code"]
    harness, storage = await _harness_on(workdir / "cli.db")
    try:
        wrong = await harness.say("jose", "join code=ZZZZZ-ZZZZZ")
        assert "I don't know the invitation code ZZZZZ-ZZZZZ" in text_of(wrong)
        assert "/coalition join" in text_of(wrong)

        # Typed in lower case, without the dash: still the code.
        typed = code.lower().replace("-", "")
        reply = await harness.say("jose", f"join code={typed}")
        assert reply.form is not None
        values = {f.name: f.value for f in reply.form.fields}
        assert values["name"] == "José Muñoz"
        assert values["organization"] == "Condado Health"
        assert values["discipline"] == "Epidemiology" and values["region"] == "West"
        assert values["jurisdiction"] == "Alameda" and values["code"] == typed

        sent = {k: v for k, v in values.items() if v}
        welcome = await harness.run("jose", ("join",), from_form=True, **sent)
        assert "Welcome" in text_of(welcome)
        again = await harness.say("maria", f"join code={code}")
        assert "was already used to join" in text_of(again)

        # Leaving deletes the roster row the member joined with.
        assert await harness.storage_count("invitations") == 2
        question = await harness.say("jose", "leave")
        assert question.message is not None
        confirm = next(b for b in question.message.buttons if b.action == "leave.confirm")
        await harness.click("jose", confirm)
        assert await harness.storage_count("invitations") == 1
    finally:
        await storage.dispose()
    assert await asyncio.to_thread(main, ["members", "invitations"]) == 0
    out = capsys.readouterr().out
    assert "1 invited people have not joined yet" in out and "José" not in out
