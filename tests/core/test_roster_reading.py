"""Reading a roster spreadsheet: encodings, headers, and the sentence for each refused row."""

from __future__ import annotations

import pytest

from bot.config import Lists
from bot.roster.model import normal_code
from bot.roster.reading import RosterProblem, decode, parse_map, read_roster

TEXT = 'Name,Email,Organization,Discipline\r\nRenée Côté,renee@example.org,"Health, Inc.",epi\r\n'


def test_utf8_with_and_without_a_bom_and_windows_1252_give_the_same_text() -> None:
    assert decode(b"\xef\xbb\xbf" + TEXT.encode()) == TEXT
    assert decode(TEXT.encode()) == TEXT
    assert decode(TEXT.encode("cp1252")) == TEXT


def test_bytes_that_are_neither_are_refused_with_what_to_do() -> None:
    with pytest.raises(RosterProblem, match="save it from the spreadsheet as 'CSV UTF-8'"):
        decode(b"Name\r\n\x81\x8d\xff\xfe")


def test_a_quoted_comma_is_a_value_and_a_near_miss_is_named() -> None:
    reading = read_roster(TEXT, Lists(), {})
    assert reading.entries == []
    [(row, sentence)] = reading.problems
    assert row == 2
    assert "unknown discipline 'epi'" in sentence and "Epidemiology" in sentence
    fixed = read_roster(TEXT.replace(",epi", ",epidemiology"), Lists(), {})
    [(_, entry)] = fixed.entries
    assert entry.organization == "Health, Inc." and entry.discipline == "Epidemiology"


def test_a_map_naming_an_unknown_field_or_a_missing_column_is_refused() -> None:
    with pytest.raises(RosterProblem, match="unknown field 'phone'"):
        parse_map("phone=Tel")
    with pytest.raises(RosterProblem, match="in the column 'Agency'"):
        read_roster(TEXT, Lists(), parse_map("org=Agency"))


def test_codes_are_read_however_they_are_typed() -> None:
    assert normal_code(" abcde fgh23 ") == "ABCDE-FGH23"
    assert normal_code("ABCDE-FGH23") == "ABCDE-FGH23"
