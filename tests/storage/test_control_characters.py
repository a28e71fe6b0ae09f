"""No NUL or other C0/C1 control reaches storage, typed in chat or given as typed values."""

from __future__ import annotations

import re

import pytest

from storage import Storage
from tests.harness import Harness, text_of

# Every C0 and C1 control, DEL, and a lone surrogate (which no encoding can write).
CONTROLS = "".join(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))) + "\ud800"
UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


async def _dump(storage: Storage, table: str) -> list[str]:
    from sqlalchemy import text

    async with storage.engine.connect() as connection:
        rows = (await connection.execute(text(f"SELECT * FROM {table}"))).all()
    return [v for row in rows for v in row if isinstance(v, str)]


@pytest.mark.parametrize("typed", [True, False], ids=["typed values", "chat text"])
async def test_controls_never_reach_storage(storage: Storage, typed: bool) -> None:
    harness = Harness(storage)
    name = f"Ana{CONTROLS}Ruiz"
    if typed:
        reply = await harness.run(
            "ana",
            ("join",),
            name=name,
            organization="Denver\x00PH",
            discipline="Nursing",
            region="West",
            jurisdiction="\x00\x1b[31mDenver\x85",
        )
    else:
        reply = await harness.say(
            "ana",
            f'join name="{name.replace(chr(34), "")}" organization="Denver\x00PH" '
            "discipline=Nursing region=West jurisdiction=\x00\x1b[31mDenver\x85",
        )
    assert "Welcome" in text_of(reply), text_of(reply)
    await harness.run("ana", ("role", "history"))
    question = "First line\r\nsecond\tline\x00\x07\x9b"
    started = await harness.run(
        "ana",
        ("discussion", "start"),
        title="Title\x00with\nbreak",
        question=question,
        topics=["Hous\x00ing", "CAB\x01"],
    )
    assert "Started discussion" in text_of(started), text_of(started)

    members = await _dump(storage, "members")
    assert members and not any(IN_A_LINE.search(v) for v in members), members
    assert any(" ".join(v.split()) == "Ana Ruiz" for v in members), members  # words kept apart
    discussions = await _dump(storage, "discussions")
    assert not any(UNWANTED.search(v) for v in discussions), discussions
    assert any("First line\nsecond\tline" in v for v in discussions), discussions
    assert "Titlewith break" in discussions  # NUL removed, line break a space
