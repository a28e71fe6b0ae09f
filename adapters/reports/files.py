"""The report as CSV and as an Excel workbook (openpyxl).

A free-text answer or a title that starts like a formula (=, +, -, @) is kept as
text, since a spreadsheet would otherwise run it when the funder opens the file: in
CSV with a leading apostrophe, in the workbook as a text cell.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from adapters.reports import tables
from adapters.reports.tables import Cell, Table
from bot.i18n import Translator
from bot.reports.model import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(tr: Translator, report: Report) -> str:
    """Sections one after another, each with its heading row, separated by a blank row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for title, (header, rows) in _sections(tr, report):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows([["" if c is None else _safe(c) for c in row] for row in rows])
        writer.writerow([])
    return out.getvalue()


def to_xlsx(tr: Translator, report: Report) -> bytes:
    """One sheet per section; numbers stay numbers, text stays text."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, (header, rows) in _sections(tr, report):
        sheet = book.create_sheet(title[:31])  # Excel's limit on a sheet's name
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if cell.data_type == "f":  # user text that looks like a formula: text
                    cell.data_type = "s"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sections(tr: Translator, report: Report) -> list[tuple[str, Table]]:
    return [
        (tr.plain("Totals"), tables.totals(tr, report)),
        (tr.plain("Sessions"), tables.sessions(tr, report)),
        (tr.plain("Organizations"), tables.organizations(tr, report)),
        (tr.plain("Usefulness"), tables.usefulness(tr, report)),
        (tr.plain("Answers"), tables.answers(tr, report)),
    ]
