"""A participants file from Zoom or Teams, read into (row, names, email) entries.

Operator-facing (the `meetings import-attendance` command), so its sentences follow
the CLI's English conventions, as the roster import's do. Pure: nothing here
touches storage.

- Zoom's participants export: UTF-8 (often with a BOM), commas, columns
  "Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration
  (Minutes)"; the meeting export puts a few lines about the meeting first.
- Teams' attendance list: UTF-16 with tabs, a summary section first, then a
  header with "Full Name" or "Name" and "Email" (older lists: "Full Name", "User
  Action", "Timestamp", one line per join and leave).
- Saved again from Excel: Windows-1252, commas or semicolons.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# Header names each program writes, compared without case or surrounding spaces.
NAME_HEADERS = (
    "name (original name)",
    "full name",
    "name",
    "participant",
    "participant name",
    "display name",
    "user name",
)
EMAIL_HEADERS = ("user email", "email", "e-mail", "email address", "participant id (upn)", "upn")
SEPARATORS = "\t,;"
# A participant renamed in the call shows as "New name (Original name)"; Teams adds
# "(Guest)" or "(External)". Both names are tried.
_PARENTHESES = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
LONGEST_CELL = 400


class AttendanceFileProblem(Exception):
    """The whole file cannot be read (encoding, header): one sentence, nothing imported."""


@dataclass(frozen=True, slots=True)
class Participant:
    row: int  # the line as the file shows it (the first line is 1)
    name: str
    email: str  # lower-cased; "" if the file has none for this row

    @property
    def names(self) -> tuple[str, ...]:
        """The name as written, and the two names of "Shown (Original)"."""
        found = [self.name]
        if match := _PARENTHESES.match(self.name):
            found += [match.group(1), match.group(2)]
        return tuple(dict.fromkeys(n.strip() for n in found if n.strip()))


@dataclass
class AttendanceFile:
    participants: list[Participant] = field(default_factory=list)
    header_row: int = 1


def decode(data: bytes) -> str:
    """UTF-16 (Teams), UTF-8 with or without a BOM (Zoom), else Windows-1252 (Excel)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decoded(data, "utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decoded(data[3:], "utf-8")
    # UTF-16 without its mark: every other byte of plain ASCII text is a zero.
    if len(data) >= 2 and data[1:200:2].count(0) > len(data[1:200:2]) // 2:
        return _decoded(data, "utf-16-le")
    if len(data) >= 2 and data[0:200:2].count(0) > len(data[0:200:2]) // 2:
        return _decoded(data, "utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decoded(data, "cp1252")


def _decoded(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise AttendanceFileProblem(
            "The file is not text I can read (neither UTF-8, UTF-16 nor Windows-1252): "
            "download the participants list again from Zoom or Teams, or save it from the "
            "spreadsheet as 'CSV UTF-8', and import it again."
        ) from None
    if "\x00" in text:
        raise AttendanceFileProblem(
            "The file holds binary data, not a participants list: is it a spreadsheet "
            "(.xlsx)? Save it as 'CSV UTF-8' and import that."
        )
    return text.removeprefix("\ufeff")


def _find(header: Sequence[str], wanted: Sequence[str]) -> int | None:
    folded = [h.strip().strip('"').lower() for h in header]
    return next((folded.index(w) for w in wanted if w in folded), None)


def _header(rows: Sequence[Sequence[str]]) -> tuple[int, int] | None:
    """(index of the header row, its width): the first row naming a name column."""
    for index, row in enumerate(rows):
        if _find(row, NAME_HEADERS) is not None:
            return index, len(row)
    return None


def read_participants(text: str) -> AttendanceFile:
    """Every participant row after the header, numbered as the file shows them.

    The separator is the one under which a line reads as a header (a name column
    among others): split with the wrong one, "Name (Original Name),User Email" is
    one cell that names no column. Of several, the widest header wins.
    """
    best: tuple[int, str, list[list[str]], int] | None = None
    for separator in SEPARATORS:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
        header = _header(rows)
        if header is not None and (best is None or header[1] > best[0]):
            best = (header[1], separator, rows, header[0])
    if best is None:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        first = next((r for r in rows if any(c.strip() for c in r)), [])
        shown = ", ".join(repr(c.strip()) for c in first[:8] if c.strip()) or "nothing"
        raise AttendanceFileProblem(
            f"No line of the file names the participants' column: the first line has {shown}. "
            "Import Zoom's participants export (columns 'Name (Original Name)', 'User Email') "
            "or Teams' attendance list (columns 'Full Name' or 'Name', and 'Email')."
        )
    _, separator, rows, index = best
    line_of = _line_numbers(text, separator)
    name_at = _find(rows[index], NAME_HEADERS)
    email_at = _find(rows[index], EMAIL_HEADERS)
    read = AttendanceFile(header_row=line_of[index])
    for later, cells in enumerate(rows[index + 1 :], start=index + 1):
        if not any(c.strip() for c in cells):
            if read.participants:
                break  # Teams' next section follows a blank line
            continue
        name = _cell(cells, name_at)
        email = _cell(cells, email_at).lower() if email_at is not None else ""
        if name or email:
            read.participants.append(Participant(line_of[later], name, email))
    return read


def _cell(cells: Sequence[str], at: int | None) -> str:
    if at is None or at >= len(cells):
        return ""
    return " ".join(cells[at].split())[:LONGEST_CELL]


def _line_numbers(text: str, separator: str) -> list[int]:
    """The file line each CSV record starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    starts: list[int] = []
    previous = 0
    for _ in reader:
        starts.append(previous + 1)
        previous = reader.line_num
    return starts
