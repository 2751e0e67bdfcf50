"""Reading Excel workbooks (.xlsx): the first sheet with data, as rows like a CSV file's.

openpyxl streams the sheet (read-only mode: rows are parsed as they are used); only the
workbook's shared-strings table is held in memory. Before openpyxl sees a file, its ZIP
directory is checked: openpyxl guards against neither zip bombs nor (without defusedxml,
a dependency of ours for that reason) XML entity bombs. Nothing here touches the database
or Flask.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from testimonials.harvest.imports.files import (
    ImportFileError,
    RawRow,
    ReviewFile,
    checked_row,
    unique_columns,
)

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls"})
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # Excel's grid; more is damaged or crafted
MAX_COLUMNS = 1_024  # review exports have tens; survey exports a few hundred
# Apache POI's zip-bomb rule: a part may not inflate more than 100 times (after its first MB);
# all parts together at most 512 MB, which the sheet streams but shared strings do not.
MAX_INFLATE_RATIO = 100
_RATIO_GRACE_BYTES = 1024**2
MAX_UNCOMPRESSED_BYTES = 512 * 1024**2
MAX_UNCALCULATED_FORMULAS = 100_000
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # .xls, and encrypted .xlsx
_SAVE_AS = "Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8, then import that."
_DAMAGED = "The workbook cannot be read: it is damaged or not really an .xlsx file. " + _SAVE_AS
_MAIN_PART = b"spreadsheetml.sheet.main+xml"
_TEMPLATE_PART = b"spreadsheetml.template.main+xml"
# Formula cells with no cached value, found in the sheet XML (openpyxl's data_only mode
# reads them as empty cells). Cells do not nest, and `<f>` comes first inside `<c>`.
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)(?<!/)>(.*?)</(?:\w+:)?c>", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)<|<(?:\w+:)?v\s*/>")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_STRING_RESULT = re.compile(rb'\bt="str"')
_SCAN_BLOCK, _SCAN_OVERLAP = 4 * 1024**2, 512 * 1024
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how Excel writes CR and other controls


def looks_like_workbook(stream: BinaryIO, filename: str) -> bool:
    """Whether the file is (or claims to be) a spreadsheet: by its extension or magic bytes."""
    if PurePath(filename or "").suffix.lower() in WORKBOOK_SUFFIXES:
        return True
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    return head.startswith(_ZIP_MAGIC) or head == _OLE2_MAGIC


def open_workbook(stream: BinaryIO, filename: str) -> ReviewFile:
    """Open the first worksheet with data for reading rows (ImportFileError if it cannot be)."""
    suffix = PurePath(filename or "").suffix.lower()
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head == _OLE2_MAGIC:
        if _is_encrypted(stream):
            raise ImportFileError(
                "The workbook is password-protected, so it cannot be read. Remove the password "
                "(File → Info → Protect Workbook) or save a copy as CSV UTF-8, then import that."
            )
        raise ImportFileError("This is an old-format Excel file (.xls). " + _SAVE_AS)
    if suffix == ".xls":
        raise ImportFileError("Old-format Excel files (.xls) are not read. " + _SAVE_AS)
    if suffix in (".xlsm", ".xltm"):
        raise ImportFileError("Macro-enabled workbooks (.xlsm) are not imported. " + _SAVE_AS)
    if suffix == ".xlsb":
        raise ImportFileError("Binary workbooks (.xlsb) are not read. " + _SAVE_AS)
    if not head.strip():
        raise ImportFileError("The file is empty.")
    if not head.startswith(_ZIP_MAGIC):
        raise ImportFileError(_DAMAGED)
    try:
        archive = zipfile.ZipFile(stream)
        _check_sizes(archive)
        _check_is_xlsx(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError):
        raise ImportFileError(_DAMAGED) from None
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises a dozen kinds for a damaged file
        raise ImportFileError(_DAMAGED) from None
    try:
        return _first_sheet_with_data(archive, workbook)
    except ImportFileError:
        workbook.close()
        raise
    except Exception:
        workbook.close()
        raise ImportFileError(_DAMAGED) from None


def _is_encrypted(stream: BinaryIO) -> bool:
    # An encrypted .xlsx is an OLE2 file holding an "EncryptedPackage" stream.
    marker = "EncryptedPackage".encode("utf-16-le")
    tail = b""
    try:
        while block := stream.read(1024**2):
            if marker in tail + block:
                return True
            tail = block[-len(marker) :]
        return False
    finally:
        stream.seek(0)


def _check_sizes(archive: zipfile.ZipFile) -> None:
    # The sizes in the ZIP directory bound what zipfile inflates (it stops there and then
    # fails the CRC), so checking them is enough.
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_GRACE_BYTES and ratio > MAX_INFLATE_RATIO:
            raise ImportFileError(
                f"The workbook part {info.filename!r} would expand {ratio:,.0f} times; a "
                "workbook that compressed is refused as a possible zip bomb. " + _SAVE_AS
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            f"The workbook expands to {total / 1024**2:,.0f} MB, more than the "
            f"{MAX_UNCOMPRESSED_BYTES / 1024**2:,.0f} MB read. Save it as CSV UTF-8 and "
            "import that (CSV files are streamed)."
        )


def _check_is_xlsx(archive: zipfile.ZipFile) -> None:
    try:
        types = archive.read("[Content_Types].xml")
    except KeyError:
        types = b""
    if b"macroEnabled" in types:
        raise ImportFileError("Macro-enabled workbooks (.xlsm) are not imported. " + _SAVE_AS)
    if b"sheet.binary" in types:
        raise ImportFileError("Binary workbooks (.xlsb) are not read. " + _SAVE_AS)
    if _MAIN_PART not in types and _TEMPLATE_PART not in types:
        raise ImportFileError(
            "This is a ZIP archive but not an Excel workbook (.xlsx). Unzip it and import the "
            "file inside, or save an OpenDocument spreadsheet as .xlsx or CSV UTF-8."
        )


def _first_sheet_with_data(archive: zipfile.ZipFile, workbook: Workbook) -> ReviewFile:
    sheets = [ws for ws in workbook.worksheets if isinstance(ws, ReadOnlyWorksheet)]
    # Hidden sheets are usually lookups: read one only when no visible sheet has data.
    ordered = sorted(sheets, key=lambda ws: ws.sheet_state != "visible")
    with_data: list[tuple[ReadOnlyWorksheet, tuple[int, list[str]]]] = []
    for ws in ordered:
        _check_dimension(ws)
        header = _header_of(ws)
        if header is not None:
            with_data.append((ws, header))
    if not with_data:
        names = ", ".join(repr(ws.title) for ws in sheets) or "(none)"
        raise ImportFileError(f"The workbook has no data: its sheets are empty ({names}).")
    ws, (header_row, columns) = with_data[0]
    notes = []
    if len(with_data) > 1:
        others = ", ".join(repr(other.title) for other, _header in with_data[1:])
        notes.append(
            f"The workbook has {len(with_data)} sheets with data; only the sheet {ws.title!r} "
            f"was imported, not {others}. Import each sheet saved on its own to add the others."
        )
    uncalculated = _uncalculated_formulas(archive, ws._worksheet_path)
    rows = _sheet_rows(workbook, ws, header_row, columns, uncalculated)
    return ReviewFile("xlsx", columns, rows, notes)


def _check_dimension(ws: ReadOnlyWorksheet) -> None:
    # The dimension is only a claim and reading does not use it (reset below), but a claim
    # beyond Excel's grid means a damaged or crafted file.
    if (ws.max_row or 0) > EXCEL_ROWS or (ws.max_column or 0) > EXCEL_COLUMNS:
        raise ImportFileError(
            f"The sheet {ws.title!r} claims {ws.max_row:,} rows and {ws.max_column:,} columns, "
            "more than Excel allows; the workbook is damaged. " + _SAVE_AS
        )
    ws.reset_dimensions()


def _header_of(ws: ReadOnlyWorksheet) -> tuple[int, list[str]] | None:
    """The first row with a value (its number and column names), or None for an empty sheet."""
    blank: Any = None
    for number, values in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), 1):
        if number > EXCEL_ROWS:
            break
        if values is blank or not any(_text(v).strip() for v in values if v is not None):
            blank = values  # missing rows come as one shared tuple: skip them cheaply
            continue
        width = max(i for i, v in enumerate(values, 1) if v is not None and _text(v).strip())
        if width > MAX_COLUMNS:
            raise ImportFileError(
                f"Row {number} of the sheet {ws.title!r} has values beyond column "
                f"{get_column_letter(MAX_COLUMNS)}; at most {MAX_COLUMNS:,} columns are read."
            )
        return number, unique_columns([_text(v) for v in values[:width]])
    return None


def _sheet_rows(
    workbook: Workbook,
    ws: ReadOnlyWorksheet,
    header_row: int,
    columns: list[str],
    uncalculated: dict[int, list[int]],
) -> Iterator[RawRow]:
    """The data rows, numbered as Excel shows them; cells right of the header are ignored."""
    number = header_row
    blank: Any = None
    try:
        rows = ws.iter_rows(min_row=header_row + 1, max_col=len(columns), values_only=True)
        for values in rows:
            number += 1
            if number > EXCEL_ROWS:
                yield RawRow(number, None, "the sheet goes on past Excel's last row; stopped")
                return
            if values is blank:
                continue
            cells: dict[str, str] = {}
            problems: dict[str, str] | None = None
            filled = False
            for column, value in zip(columns, values, strict=False):
                text = _text(value)
                if text in ERROR_CODES:
                    problems = problems or {}
                    where = f"{get_column_letter(len(cells) + 1)}{number}"
                    problems[column] = f"cell {where} ({column}) shows the error {text}"
                filled = filled or bool(text.strip())
                cells[column] = text
            for position in uncalculated.get(number, ()):
                if position <= len(columns):
                    problems = problems or {}
                    column = columns[position - 1]
                    problems[column] = (
                        f"cell {get_column_letter(position)}{number} ({column}) is a formula "
                        "that was never calculated; open the file in Excel and save it again"
                    )
                    filled = True
            if not filled:
                blank = values
                continue
            row = checked_row(number, cells)
            yield (
                row
                if problems is None or row.cells is None
                else RawRow(number, cells, None, problems)
            )
    except Exception as error:  # a part damaged half-way: keep the rows read before it
        yield RawRow(
            number, None, f"the sheet cannot be read from here on ({type(error).__name__})"
        )
    finally:
        workbook.close()


def _text(value: object) -> str:
    """A cell's value as the text a CSV export would hold."""
    if value is None:
        return ""
    if type(value) is str:
        return _ESCAPE.sub(_unescape, value) if "_x" in value else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _unescape(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def _uncalculated_formulas(archive: zipfile.ZipFile, part: str) -> dict[int, list[int]]:
    """Formula cells saved without a value, {row: [columns]} (files written by programs)."""
    found: dict[int, list[int]] = {}
    count = 0
    carry = b""
    with archive.open(part.lstrip("/")) as source:
        while block := source.read(_SCAN_BLOCK):
            data = carry + block
            carry = data[-_SCAN_OVERLAP:]  # a cell cut at the block's end is read again
            if not _FORMULA.search(data):
                continue
            for cell in _CELL.finditer(data):
                attributes, body = cell.groups()
                if not _FORMULA.search(body) or _has_value(attributes, body):
                    continue
                ref = _CELL_REF.search(attributes)
                if ref is None:
                    continue
                row, column = int(ref.group(2)), _column_number(ref.group(1))
                if column not in found.setdefault(row, []):
                    found[row].append(column)
                    count += 1
                if count > MAX_UNCALCULATED_FORMULAS:
                    raise ImportFileError(
                        f"The sheet has more than {MAX_UNCALCULATED_FORMULAS:,} formulas that "
                        "were never calculated (it was written by a program). Open it in "
                        "Excel and save it again, then import that."
                    )
    return found


def _has_value(attributes: bytes, body: bytes) -> bool:
    value = _VALUE.search(body)
    if value is None:
        return False
    # An empty cached value is a formula's "" only for a text result (t="str").
    return bool(value.group(1)) or _STRING_RESULT.search(attributes) is not None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
