"""A roster spreadsheet (CSV) read into checked entries, with one sentence per refused row.

Operator-facing (the `members import` command), so its sentences follow the CLI's
English conventions. Nothing here touches storage: `read_roster` is pure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.arguments import closest
from bot.config import Lists
from bot.membership.model import JURISDICTION_MAX, NAME_MAX, ORGANIZATION_MAX
from bot.roster.model import RosterEntry

FIELDS = ("name", "email", "organization", "discipline", "region", "jurisdiction")
# Header names spreadsheets use for each field, compared without case or spaces.
DEFAULT_HEADERS: Mapping[str, tuple[str, ...]] = {
    "name": ("name", "full name", "display name"),
    "email": ("email", "e-mail", "email address"),
    "organization": ("organization", "organisation", "org", "agency", "department"),
    "discipline": ("discipline", "role", "role or discipline"),
    "region": ("region",),
    "jurisdiction": ("jurisdiction", "county", "city"),
}
FIELD_ALIASES = {"org": "organization", "agency": "organization", "full name": "name"}
EMAIL_MAX = 254


class RosterProblem(Exception):
    """The whole file cannot be read (encoding, header, mapping): one sentence."""


@dataclass
class RosterReading:
    entries: list[tuple[int, RosterEntry]] = field(default_factory=list)
    # (row number as the spreadsheet shows it, sentence)
    problems: list[tuple[int, str]] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 with or without a BOM, else Windows-1252 (what Excel writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise RosterProblem(
            "The file is neither UTF-8 nor Windows-1252 text: save it from the spreadsheet "
            "as 'CSV UTF-8' and import it again."
        ) from None


def parse_map(text: str | None) -> dict[str, str]:
    """`--map name=Full Name,org=Agency` as {field: header}."""
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, header = part.partition("=")
        key = FIELD_ALIASES.get(key.strip().lower(), key.strip().lower())
        if not sep or not header.strip():
            raise RosterProblem(
                f"--map needs field=Header pairs, such as name=Full Name; not {part!r}."
            )
        if key not in FIELDS:
            raise RosterProblem(f"--map names an unknown field {key!r}: use {', '.join(FIELDS)}.")
        mapping[key] = header.strip()
    return mapping


def _columns(header: Sequence[str], mapping: Mapping[str, str]) -> dict[str, int]:
    folded = [h.strip().lower() for h in header]
    columns: dict[str, int] = {}
    for name in FIELDS:
        wanted = (mapping[name].lower(),) if name in mapping else DEFAULT_HEADERS[name]
        found = next((folded.index(w) for w in wanted if w in folded), None)
        if found is not None:
            columns[name] = found
        elif name in mapping:
            raise RosterProblem(
                f"--map says {name} is in the column {mapping[name]!r}, but the header has "
                f"{', '.join(repr(h) for h in header)}."
            )
    for name in ("name", "email"):
        if name not in columns:
            raise RosterProblem(
                f"No column holds the {name}: the header has "
                f"{', '.join(repr(h) for h in header)}. Say which with --map {name}=Header."
            )
    return columns


def _canonical(value: str, allowed: Sequence[str], what: str) -> tuple[str, str | None]:
    """The configured spelling of `value`, or a sentence with the closest match."""
    if not value:
        return "", None
    by_fold = {a.lower(): a for a in allowed}
    if value.lower() in by_fold:
        return by_fold[value.lower()], None
    near = closest(value, allowed)
    hint = f" (did you mean {near!r}?)" if near else ""
    return "", f"unknown {what} {value!r}{hint}; the configured {what}s are {', '.join(allowed)}"


def _entry(values: Mapping[str, str], lists: Lists) -> tuple[RosterEntry | None, list[str]]:
    said: list[str] = []
    name, email = values.get("name", ""), values.get("email", "").lower()
    if not name:
        said.append("the name is empty")
    elif len(name) > NAME_MAX:
        said.append(f"the name is longer than {NAME_MAX} characters")
    if not email:
        said.append("the email is empty")
    elif "@" not in email.strip("@") or " " in email or len(email) > EMAIL_MAX:
        said.append(f"{values['email']!r} is not an email address")
    if len(values.get("organization", "")) > ORGANIZATION_MAX:
        said.append(f"the organization is longer than {ORGANIZATION_MAX} characters")
    if len(values.get("jurisdiction", "")) > JURISDICTION_MAX:
        said.append(f"the jurisdiction is longer than {JURISDICTION_MAX} characters")
    region, wrong = _canonical(values.get("region", ""), lists.regions, "region")
    said += [wrong] if wrong else []
    discipline, wrong = _canonical(values.get("discipline", ""), lists.disciplines, "discipline")
    said += [wrong] if wrong else []
    if said:
        return None, said
    entry = RosterEntry(
        name=name,
        email=email,
        organization=values.get("organization", ""),
        discipline=discipline,
        region=region,
        jurisdiction=values.get("jurisdiction", ""),
    )
    return entry, []


def read_roster(text: str, lists: Lists, mapping: Mapping[str, str]) -> RosterReading:
    """Every row checked; rows are numbered as the spreadsheet shows them (header is 1)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise RosterProblem("The file is empty: it needs a header row and one row per person.")
    header = rows[0]
    columns = _columns(header, mapping)
    reading = RosterReading()
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines at the end of a spreadsheet
        if len(row) > len(header):
            reading.problems.append(
                (
                    number,
                    f"has {len(row)} fields where the header has {len(header)}; "
                    "a comma inside a value needs quotes",
                )
            )
            continue
        values = {f: row[i].strip() if i < len(row) else "" for f, i in columns.items()}
        entry, said = _entry(values, lists)
        if entry is not None and entry.email in first_row:
            said.append(f"the email {entry.email} is already on row {first_row[entry.email]}")
        if said:
            reading.problems.append((number, "; ".join(said)))
            continue
        assert entry is not None
        first_row[entry.email] = number
        reading.entries.append((number, entry))
    return reading
