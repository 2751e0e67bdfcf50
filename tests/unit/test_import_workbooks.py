"""Reading Excel workbooks: cell values, sheets, formulas, and files that must be refused.

Every workbook is built here with openpyxl's writer; no binary fixture is committed.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook

from testimonials.harvest.imports import workbooks
from testimonials.harvest.imports.files import ImportFileError
from testimonials.harvest.imports.workbooks import looks_like_workbook, open_workbook

KHMER = "សេវាកម្មល្អណាស់ ខ្ញុំពេញចិត្ត"
ARABIC = "خدمة ممتازة، شكراً"
EMOJI = "Top 👍🏽 service 😍"


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    """A workbook with the given sheets ({title: rows}), as the bytes of an .xlsx file."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rewrite_part(data: bytes, part: str, change) -> bytes:
    """The same workbook with one part's XML changed (for files Excel would not write)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == part else content)
    return out.getvalue()


def read(data: bytes, filename: str = "reviews.xlsx"):
    opened = open_workbook(io.BytesIO(data), filename)
    return opened, list(opened.rows)


def test_cells_read_as_a_csv_export_would_hold_them() -> None:
    data = xlsx(
        (
            "Reviews",
            [
                ["Review", "Stars", "When", "Verified", "Score"],
                [KHMER, 5.0, date(2024, 3, 1), True, 9],
                [f"  {ARABIC}\n{EMOJI} ", 4, datetime(2024, 3, 2, 10, 30, 15), False, 7.5],
                ["At ten", 3, time(10, 0), None, None],
            ],
        )
    )
    opened, rows = read(data)
    assert opened.file_format == "xlsx" and opened.notes == []
    assert opened.columns == ["Review", "Stars", "When", "Verified", "Score"]
    assert [r.number for r in rows] == [2, 3, 4]  # as Excel numbers them: header = 1
    assert rows[0].cells == {
        "Review": KHMER,
        "Stars": "5",  # a whole number, not 5.0
        "When": "2024-03-01",
        "Verified": "true",
        "Score": "9",
    }
    assert rows[1].cells["Review"] == f"  {ARABIC}\n{EMOJI} "  # byte for byte
    assert rows[1].cells["When"] == "2024-03-02T10:30:15"
    assert (rows[1].cells["Verified"], rows[1].cells["Score"]) == ("false", "7.5")
    assert rows[2].cells["When"] == "10:00:00" and rows[2].cells["Verified"] == ""


def test_excel_escapes_for_carriage_returns_are_decoded() -> None:
    # Excel stores CR as _x000D_ and a literal "_x" sequence with an escaped underscore.
    data = xlsx(("S", [["text"], ["one_x000D_\ntwo"], ["_x005F_x0041_ stays"]]))
    _opened, rows = read(data)
    assert [r.cells["text"] for r in rows] == ["one\r\ntwo", "_x0041_ stays"]


def test_blank_rows_are_skipped_and_numbering_follows_the_sheet() -> None:
    data = xlsx(("S", [[None], ["text", "name"], ["a", "Ann"], [None, None], [" ", None], ["b"]]))
    opened, rows = read(data)
    assert opened.columns == ["text", "name"]
    assert [(r.number, r.cells["text"]) for r in rows] == [(3, "a"), (6, "b")]


def test_the_first_sheet_with_data_is_read_and_the_others_are_named() -> None:
    data = xlsx(
        ("Empty", []),
        ("Reviews", [["text"], ["Great"]]),
        ("Archive", [["text"], ["Old"]]),
        ("Notes", [["Read me"]]),
    )
    opened, rows = read(data)
    assert [r.cells for r in rows] == [{"text": "Great"}]
    assert len(opened.notes) == 1
    assert "only the sheet 'Reviews' was imported, not 'Archive', 'Notes'" in opened.notes[0]


def test_a_formula_without_a_saved_value_is_named_by_its_cell() -> None:
    # openpyxl writes formulas without calculating them, as other programs do.
    data = xlsx(("S", [["text", "rating", "spare"], ['="Nice"', 5, "=1+1"], ["Plain", 4, None]]))
    _opened, rows = read(data)
    assert rows[0].cells["text"] == ""
    assert rows[0].cell_problems == {
        "text": "cell A2 (text) is a formula that was never calculated; open the file in "
        "Excel and save it again",
        "spare": "cell C2 (spare) is a formula that was never calculated; open the file in "
        "Excel and save it again",
    }
    assert rows[1].cell_problems is None


def test_formulas_with_saved_values_give_those_values() -> None:
    def as_excel_saves_it(xml: bytes) -> bytes:
        xml = xml.replace(
            b'<c r="A2"><f>"Nice"</f><v /></c>', b'<c r="A2" t="str"><f>"Nice"</f><v>Nice</v></c>'
        )
        return xml.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")

    data = rewrite_part(
        xlsx(("S", [["text", "n"], ['="Nice"', "=1+1"]])),
        "xl/worksheets/sheet1.xml",
        as_excel_saves_it,
    )
    _opened, rows = read(data)
    assert rows[0].cells == {"text": "Nice", "n": "2"} and rows[0].cell_problems is None


def test_error_values_are_named_by_their_cell() -> None:
    data = rewrite_part(
        xlsx(("S", [["text", "rating"], ["Good", 5]])),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b'<c r="B2" t="n"><v>5</v></c>', b'<c r="B2" t="e"><v>#N/A</v></c>'
        ),
    )
    _opened, rows = read(data)
    assert rows[0].cell_problems == {"rating": "cell B2 (rating) shows the error #N/A"}


@pytest.mark.parametrize(
    ("filename", "body", "phrase"),
    [
        (
            "old.xls",
            bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504,
            "old-format Excel file (.xls)",
        ),
        ("old.xls", b"text\nhello\n", "Old-format Excel files (.xls) are not read"),
        ("macros.xlsm", b"PK\x03\x04", "Macro-enabled workbooks (.xlsm)"),
        ("binary.xlsb", b"PK\x03\x04", "Binary workbooks (.xlsb)"),
        ("cut.xlsx", None, "damaged"),
        ("renamed.xlsx", b"text\nhello\n", "damaged or not really an .xlsx"),
        ("locked.xlsx", None, "password-protected"),
        ("archive.zip", None, "ZIP archive but not an Excel workbook"),
    ],
)
def test_files_that_are_not_readable_xlsx_get_clear_messages(
    filename: str, body: bytes | None, phrase: str
) -> None:
    if filename == "cut.xlsx":
        body = xlsx(("S", [["text"], ["x"]]))[:300]
    elif filename == "locked.xlsx":
        body = bytes.fromhex("d0cf11e0a1b11ae1") + "EncryptedPackage".encode("utf-16-le")
    elif filename == "archive.zip":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("reviews.csv", "text\nhello\n")
        body = out.getvalue()
    assert looks_like_workbook(io.BytesIO(body), filename)
    with pytest.raises(ImportFileError, match=re.escape(phrase)):
        read(body, filename)


def test_a_workbook_found_by_its_magic_bytes_whatever_its_name() -> None:
    data = xlsx(("S", [["text"], ["x"]]))
    assert looks_like_workbook(io.BytesIO(data), "export")
    assert not looks_like_workbook(io.BytesIO(b"text\nx\n"), "export")
    _opened, rows = read(data, "export.csv")
    assert rows[0].cells == {"text": "x"}


def test_empty_workbooks_are_refused() -> None:
    with pytest.raises(ImportFileError, match="no data: its sheets are empty \\('A', 'B'\\)"):
        read(xlsx(("A", []), ("B", [[None, " "]])))


def test_zip_bombs_are_refused_before_openpyxl_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = rewrite_part(
        xlsx(("S", [["text"], ["x"]])), "docProps/app.xml", lambda xml: xml + b" " * (8 * 1024**2)
    )
    with pytest.raises(ImportFileError, match=r"would expand [0-9,]+ times"):
        read(bomb)
    monkeypatch.setattr(workbooks, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(ImportFileError, match="expands to 0 MB, more than the 0 MB read"):
        read(xlsx(("S", [["text"], ["x" * 2000]])))


def test_a_sheet_claiming_more_than_excels_grid_is_refused() -> None:
    data = rewrite_part(
        xlsx(("S", [["text"], ["x"]])),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:A2" />', b'<dimension ref="A1:A99999999" />'),
    )
    with pytest.raises(ImportFileError, match="claims 99,999,999 rows"):
        read(data)


def test_rows_past_excels_last_row_stop_the_sheet_without_reading_the_gap() -> None:
    data = rewrite_part(
        xlsx(("S", [["text"], ["kept"], ["crafted"]])),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<row r="3">', b'<row r="99999999">').replace(
            b'r="A3"', b'r="A99999999"'
        ),
    )
    _opened, rows = read(data)
    assert rows[0].cells == {"text": "kept"}
    assert rows[-1].cells is None and "past Excel's last row" in rows[-1].problem


def test_a_header_wider_than_the_column_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbooks, "MAX_COLUMNS", 3)
    with pytest.raises(ImportFileError, match="values beyond column C"):
        read(xlsx(("S", [["a", "b", "c", "d"], ["1", "2", "3", "4"]])))
    _opened, rows = read(xlsx(("S", [["text", "b"], ["x", "y", "right of the header"]])))
    assert rows[0].cells == {"text": "x", "b": "y"}


def test_xml_entity_bombs_are_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    bomb = rewrite_part(
        xlsx(("S", [["text"], ["x"]])),
        "xl/worksheets/sheet1.xml",
        lambda xml: laughs + xml.replace(b"<t>x</t>", b"<t>&lol3;</t>"),
    )
    with pytest.raises(ImportFileError, match="damaged"):
        read(bomb)
