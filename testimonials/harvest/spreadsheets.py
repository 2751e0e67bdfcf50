"""CSV cells that spreadsheets show as text instead of running as formulas."""

from __future__ import annotations

# Excel, LibreOffice and Google Sheets treat a cell starting with one of these as a formula
# (or, for tab and carriage return, strip it and look again).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """The value as CSV cell text, a leading quote added where a spreadsheet would run it."""
    # Our CSVs quote customers' words and imported files' cells: never let them be formulas.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text
