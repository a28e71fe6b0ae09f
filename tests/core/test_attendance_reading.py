"""Reading Zoom and Teams participants files, and matching their rows to members."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.attendance.importing import match
from bot.attendance.model import Candidate
from bot.attendance.reading import (
    AttendanceFileProblem,
    Participant,
    decode,
    read_participants,
)
from bot.membership.folding import fold

ZOOM_HEADER = (
    "Name (Original Name)",
    "User Email",
    "Join Time",
    "Leave Time",
    "Duration (Minutes)",
)
TEAMS_SUMMARY = (
    "1. Summary\r\nMeeting title\tOffice hours\r\nAttended participants\t2\r\n\r\n"
    "2. Participants\r\n"
)
TEAMS_HEADER = (
    "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole"
)


def zoom(rows: list[tuple[str, str]], separator: str = ",") -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(ZOOM_HEADER)
    for name, email in rows:
        writer.writerow((name, email, "03/05/2026 09:00:00 AM", "03/05/2026 10:00:00 AM", "60"))
    return out.getvalue()


# Names as people type them: letters of every script, punctuation, the separators.
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40
).filter(lambda n: n.strip())
emails = st.one_of(st.just(""), st.emails())


@given(st.lists(st.tuples(names, emails), max_size=8), st.sampled_from(["utf-8-sig", "utf-16"]))
def test_any_participants_file_reads_back_its_rows(
    rows: list[tuple[str, str]], encoding: str
) -> None:
    separator = "\t" if encoding == "utf-16" else ","
    data = zoom(rows, separator).encode(encoding)
    read = read_participants(decode(data))
    assert [(p.name, p.email) for p in read.participants] == [
        (" ".join(n.split()), e.lower()) for n, e in rows
    ]
    assert [p.row for p in read.participants] == list(range(2, len(rows) + 2))


@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_with_a_sentence(data: bytes) -> None:
    try:
        read_participants(decode(data))
    except AttendanceFileProblem as problem:
        assert str(problem).endswith(".")


def test_teams_utf16_with_a_summary_section_and_tabs() -> None:
    text = (
        TEAMS_SUMMARY
        + TEAMS_HEADER
        + "\r\nLee Park\t3/5/26, 9:01 AM\t3/5/26, 10:00 AM\t59m\tLEE@example.org\tlee@example.org\tAttendee"
        + "\r\nAna Ruiz (Guest)\t3/5/26, 9:02 AM\t3/5/26, 9:30 AM\t28m\t\t\tAttendee\r\n"
        + "\r\n3. In-Meeting Activities\r\nName\tJoin Time\r\nLee Park\t3/5/26\r\n"
    )
    read = read_participants(decode(text.encode("utf-16")))
    assert read.header_row == 6
    assert [(p.row, p.name, p.email) for p in read.participants] == [
        (7, "Lee Park", "lee@example.org"),
        (8, "Ana Ruiz (Guest)", ""),
    ]
    assert read.participants[1].names == ("Ana Ruiz (Guest)", "Ana Ruiz", "Guest")


def test_windows_1252_and_utf16_without_a_mark_are_read() -> None:
    text = "Full Name,Email\r\nJosé Muñoz,\r\n"
    assert read_participants(decode(text.encode("cp1252"))).participants[0].name == "José Muñoz"
    assert read_participants(decode(text.encode("utf-16-le"))).participants[0].name == "José Muñoz"


def test_a_file_without_a_name_column_is_refused_saying_what_it_has() -> None:
    with pytest.raises(AttendanceFileProblem, match="the first line has 'Topic', 'Start'"):
        read_participants("Topic,Start\r\nOffice hours,9:00\r\n")
    with pytest.raises(AttendanceFileProblem, match="not text I can read"):
        decode(b"Name\r\n\x81\x8d\x8f\x90\x9d")


def candidate(member_id: int, name: str, email: str = "") -> Candidate:
    return Candidate(member_id, name, fold(name), email)


def test_matching_by_email_then_folded_name_never_guessing() -> None:
    members = [
        candidate(1, "José Muñoz", "jose@example.org"),
        candidate(2, "María López"),
        candidate(3, "Alex Kim"),
        candidate(4, "Alex Kim"),
        candidate(5, "Lee Park", "lee@example.org"),
    ]
    rows = [
        Participant(2, "Pepe (José M.)", "JOSE@example.org".lower()),
        Participant(3, "MARIA LOPEZ", ""),
        Participant(4, "Alex Kim", ""),
        Participant(5, "Lee Park", "someone.else@example.org"),
        Participant(6, "maría lópez", "maria@home.example"),
        Participant(7, "Guest", ""),
    ]
    report = match(rows, members)
    assert [(m.row, m.member_id) for m in report.matched] == [(2, 1), (3, 2)]
    assert report.repeated == 1  # María joined again from another address
    assert report.ambiguous == [(4, "Alex Kim", ["Alex Kim", "Alex Kim"])]
    # Lee gave another email: a Lee Park with this one is someone else.
    assert report.unmatched == [(5, "Lee Park <someone.else@example.org>"), (7, "Guest")]
