"""Reading review files: encodings, byte-order marks, line endings, layouts, mappings, rows."""

from __future__ import annotations

import codecs
import io
import json
from datetime import UTC, datetime

import pytest

from testimonials.harvest.imports.files import (
    ImportFileError,
    choose_encoding,
    detect_format,
    open_review_file,
)
from testimonials.harvest.imports.layouts import (
    MappingError,
    detect_layout,
    parse_mapping_text,
    resolve_mapping,
)
from testimonials.harvest.imports.rows import RowProblem, parse_date, review_from_cells

KHMER = "សេវាកម្មល្អណាស់ ខ្ញុំពេញចិត្ត"
LAO = "ບໍລິການດີຫຼາຍ"
ARABIC = "خدمة ممتازة، شكراً"
EMOJI = "Top 👍🏽 service 😍"


def read(data: bytes, filename: str = "f.csv", encoding: str | None = None):
    stream = io.BytesIO(data)
    chosen = choose_encoding(stream, encoding)
    opened = open_review_file(stream, filename, chosen)
    return chosen, opened.file_format, opened.columns, list(opened.rows)


def test_utf8_with_bom_and_crlf_keeps_every_script_byte_for_byte() -> None:
    multiline = "Line one\r\nline two"
    text = "text,name\r\n" + "".join(
        f'"{value}",{name}\r\n'
        for value, name in zip([KHMER, LAO, ARABIC, EMOJI, multiline], "abcde", strict=True)
    )
    chosen, file_format, columns, rows = read(codecs.BOM_UTF8 + text.encode())
    assert chosen.codec == "utf-8-sig" and chosen.note is None and file_format == "csv"
    assert columns == ["text", "name"]  # no BOM glued to the first header
    assert [r.cells["text"] for r in rows] == [KHMER, LAO, ARABIC, EMOJI, multiline]
    assert [r.number for r in rows] == [2, 3, 4, 5, 6]


@pytest.mark.parametrize("bom_codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(bom_codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if bom_codec.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + f"text\n{KHMER}\n".encode(bom_codec)
    chosen, _fmt, _cols, rows = read(data)
    assert chosen.codec == "utf-16" and rows[0].cells == {"text": KHMER}


def test_windows_1252_fallback_is_noted_and_an_explicit_encoding_wins() -> None:
    data = "text\n“Très bien” – €5\n".encode("cp1252")
    chosen, _fmt, _cols, rows = read(data)
    assert chosen.codec == "cp1252" and "Windows-1252" in (chosen.note or "")
    assert rows[0].cells["text"] == "“Très bien” – €5"
    latin = "text\nÅngström\n".encode("latin-1")
    chosen, _fmt, _cols, rows = read(latin, encoding="latin-1")
    assert chosen.note is None and rows[0].cells["text"] == "Ångström"


@pytest.mark.parametrize(
    ("data", "encoding", "message"),
    [
        (b"", None, "empty"),
        (codecs.BOM_UTF8 + b"  \r\n", None, "empty"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", None, "binary"),
        (b"text\n\x81\x8d\x9d", None, "neither UTF-8 nor Windows-1252"),
        ("text\nçà\n".encode("cp1252"), "utf-8", "not valid utf-8"),
        (b"text\nx\n", "klingon", "Unknown encoding"),
    ],
)
def test_files_that_cannot_be_read_say_why(data: bytes, encoding: str | None, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        read(data, encoding=encoding)


def test_ragged_rows_are_reported_and_trailing_separators_tolerated() -> None:
    data = b"text;rating\nok;5\ntoo;many;cells\nfew\nfine;4;\n\nlast;3\n"
    _enc, _fmt, columns, rows = read(data)
    assert columns == ["text", "rating"]  # semicolons detected
    assert [(r.number, r.problem) for r in rows] == [
        (2, None),
        (3, "row has 3 cells; the header has 2"),
        (4, "row has 1 cells; the header has 2"),
        (5, None),
        (7, None),  # the blank line 6 is skipped but still counted
    ]


def test_json_array_object_jsonapi_and_lines() -> None:
    nested = [{"reviewId": "g1", "comment": "Nice", "reviewer": {"displayName": "Ana"}}]
    _enc, fmt, columns, rows = read(json.dumps(nested).encode(), "g.json")
    assert fmt == "json" and "reviewer.displayName" in columns
    wrapped = {"reviews": [{"text": KHMER}, 7]}
    _enc, _fmt, _cols, rows = read(json.dumps(wrapped, ensure_ascii=False).encode(), "w.json")
    assert rows[0].cells == {"text": KHMER} and rows[1].problem == "not a JSON object"
    jsonapi = {"data": [{"id": "9", "type": "customerReviews", "attributes": {"body": "Hi"}}]}
    _enc, _fmt, _cols, rows = read(json.dumps(jsonapi).encode(), "a.json")
    assert rows[0].cells == {"id": "9", "type": "customerReviews", "body": "Hi"}
    lines = b'{"text": "a"}\r\n\r\n{"text": "b", "rating": 4}\r\nnope\r\n'
    _enc, fmt, columns, rows = read(lines, "r.jsonl")
    assert fmt == "jsonl" and columns == ["text", "rating"]
    assert [r.number for r in rows] == [1, 3, 4] and "not valid JSON" in (rows[2].problem or "")
    with pytest.raises(ImportFileError, match="array of reviews"):
        read(b'{"count": 3}', "x.json")


def test_format_is_sniffed_when_the_extension_does_not_say() -> None:
    assert detect_format("export", '[{"a": 1}]') == "json"
    assert detect_format("export", '{"a": 1}\n{"a": 2}\n') == "jsonl"
    assert detect_format("export.json", '{"reviews": [\n]}') == "json"
    assert detect_format("export.txt", "a,b\n") == "csv"


@pytest.mark.parametrize(
    ("headers", "layout"),
    [
        (
            ["Review ID", "Review Created (UTC)", "Review Title", "Review Content", "Review Stars"],
            "trustpilot",
        ),
        (
            ["Package Name", "Review Submit Date and Time", "Star Rating", "Review Text"],
            "google_play",
        ),
        (["reviewId", "reviewer.displayName", "starRating", "comment"], "google_business"),
        (["id", "rating", "title", "body", "reviewerNickname", "createdDate"], "app_store"),
        (["Review", "Rating", "Name", "Date"], "generic_reviews"),
        (["Comment", "Stars"], None),
    ],
)
def test_known_layouts_are_recognised_by_their_headers(
    headers: list[str], layout: str | None
) -> None:
    found = detect_layout(headers)
    assert (found.name if found else None) == layout
    assert "text" in resolve_mapping(headers).columns


def test_mapping_overrides_and_common_headers() -> None:
    found = resolve_mapping(["Comment", "Stars", "Customer Name", "E-Mail", "Notes"])
    assert found.columns == {
        "text": "Comment",
        "rating": "Stars",
        "author": "Customer Name",
        "email": "E-Mail",
    }
    with pytest.raises(MappingError, match=r"No text column.*Kommentar"):
        resolve_mapping(["Kommentar", "Sterne"])
    given = resolve_mapping(["Kommentar", "Sterne"], {"text": "kommentar", "rating": "Sterne"})
    assert given.columns == {"text": "Kommentar", "rating": "Sterne"} and given.layout is None
    with pytest.raises(MappingError, match="Unknown field 'stars'"):
        resolve_mapping(["a"], {"stars": "a"})
    with pytest.raises(MappingError, match="no column 'Nope'"):
        resolve_mapping(["a"], {"text": "Nope"})
    assert parse_mapping_text(["text=Review,rating=Stars", "author=Full Name"]) == {
        "text": "Review",
        "rating": "Stars",
        "author": "Full Name",
    }
    with pytest.raises(MappingError):
        parse_mapping_text(["text"])


def test_row_values_are_checked_with_readable_reasons() -> None:
    columns = {"text": "t", "rating": "r", "score": "s", "date": "d", "email": "e", "consent": "c"}

    def problem(**cells: str) -> str:
        with pytest.raises(RowProblem) as caught:
            review_from_cells({"t": "ok", **cells}, columns)
        return str(caught.value)

    assert problem(t="   ") == "missing text"
    assert problem(t="x" * 10_001) == "text is 10,001 characters; the limit is 10,000"
    assert problem(r="6") == "rating 6 is outside 1–5"
    assert problem(r="4.5") == "rating '4.5' is not a whole number 1–5"
    assert problem(s="11") == "score 11 is outside 0–10"
    assert "ambiguous" in problem(d="03/04/2024")
    assert "not a date" in problem(d="yesterday")
    assert problem(e="not-an-address") == "email is not an e-mail address"
    assert "consent" in problem(c="maybe")
    row = review_from_cells(
        {"t": f"  {KHMER}\n", "r": "FIVE", "s": "9", "d": "2024-02-30"[:8] + "28", "c": "Yes"},
        columns,
    )
    assert row.text == f"  {KHMER}\n"  # untouched
    assert (row.rating, row.nps_score, row.consent_state) == (5, 9, "granted")
    assert row.submitted_at == datetime(2024, 2, 28, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01T10:00:00Z", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("2024-03-01 12:00:00+02:00", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("2024-03-01 10:00:00 UTC", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("25/12/2023", datetime(2023, 12, 25, tzinfo=UTC)),
        ("12/25/2023", datetime(2023, 12, 25, tzinfo=UTC)),
        ("Dec 25, 2023", datetime(2023, 12, 25, tzinfo=UTC)),
        ("25.12.2023", datetime(2023, 12, 25, tzinfo=UTC)),
        ("1703462400000", datetime(2023, 12, 25, tzinfo=UTC)),
    ],
)
def test_dates_from_common_exports(raw: str, expected: datetime) -> None:
    assert parse_date(raw) == expected
