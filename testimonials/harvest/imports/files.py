"""Reading review files: which encoding, which format, and their rows as plain dicts.

Nothing here touches the database or Flask. Files are streamed: CSV and JSON Lines are read
row by row from the binary stream; only JSON documents are parsed whole (their size is
bounded by the upload limit; use JSON Lines for very large exports). Excel workbooks are
read by workbooks.py into the same RawRow records.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any, BinaryIO

from testimonials.json_limits import JsonTooComplexError, load_json

FORMATS = ("csv", "json", "jsonl")
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO 8859-1)",
}
_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BLOCK = 1 << 20
_SNIFF_BYTES = 64 * 1024
_CSV_DELIMITERS = ",;\t|"
_JSON_LIST_KEYS = ("reviews", "items", "data", "results")
_JSONL_PEEK_LINES = 200
# Characters no database column can hold: bytes that were not valid in the file's encoding
# (kept as lone surrogates so the row can be named) and NUL, which PostgreSQL refuses.
_UNSTORABLE_RE = re.compile("[\x00\ud800-\udfff]")
_STRAY_BYTE_RE = re.compile("[\udc80-\udcff]")  # how surrogateescape keeps a bad byte
# csv's default 128 KiB cell limit would abort the whole file on one long cell; rows.py
# reports over-long texts per row instead.
_CSV_FIELD_LIMIT = 16 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message tells a person why."""


@dataclass(frozen=True)
class Encoding:
    """The codec a file is read with, and a note for the report when we had to guess."""

    codec: str
    note: str | None = None
    # "surrogateescape" for a UTF-8 file with a few stray bytes: their rows are reported.
    errors: str = "strict"


@dataclass(frozen=True, slots=True)
class RawRow:
    """One record of the file: its number as a person would count it, and its cells.

    `cells` is None when the record itself is unreadable; `problem` then says why.
    `cell_problems` names cells whose value is unknown (a workbook formula never calculated,
    an error value), {column: why}: the row is invalid only if it is mapped to a field.
    """

    number: int
    cells: dict[str, str] | None
    problem: str | None = None
    cell_problems: dict[str, str] | None = None


@dataclass
class ReviewFile:
    """An opened file: its format, column names, a one-pass iterator over its rows, notes."""

    file_format: str
    columns: list[str]
    rows: Iterator[RawRow]
    notes: list[str] = field(default_factory=list)  # about the file, for the report


def choose_encoding(stream: BinaryIO, requested: str | None = None) -> Encoding:
    """Decide how to decode the stream: a byte-order mark, UTF-8, else Windows-1252."""
    stream.seek(0)
    head = stream.read(_SNIFF_BYTES)
    bom_codec = next((codec for bom, codec in _BOMS if head.startswith(bom)), None)
    bom_length = next((len(bom) for bom, _codec in _BOMS if head.startswith(bom)), 0)
    if not head[bom_length:].strip():
        raise ImportFileError("The file is empty.")
    if requested:
        codec = _known_codec(requested)
        if codec in ("utf-8", "utf-8-sig") and bom_codec == "utf-8-sig":
            codec = "utf-8-sig"
        _check_decodes(stream, codec, f"The file is not valid {requested} text")
        return Encoding(codec)
    if bom_codec:
        _check_decodes(stream, bom_codec, "The file starts with a byte-order mark but")
        return Encoding(bom_codec)
    if b"\x00" in head:
        raise ImportFileError(
            "This looks like a binary file, not CSV or JSON text (UTF-16 files need a "
            "byte-order mark)."
        )
    if _decodes(stream, "utf-8"):
        return Encoding("utf-8")
    valid, stray = _utf8_balance(stream)
    if valid >= stray:
        # Mostly UTF-8 (accents, other scripts) with a few stray bytes, say one Latin-1 row
        # pasted in: reading it all as Windows-1252 would garble every good row instead.
        return Encoding(
            "utf-8",
            f"The file is UTF-8 but has {stray:,} "
            f"{'bytes that are' if stray > 1 else 'byte that is'} not; the rows holding "
            "them are listed as invalid. Fix those rows, or import the file again naming "
            "its encoding.",
            errors="surrogateescape",
        )
    if _decodes(stream, "cp1252") and _looks_like_text(head.decode("cp1252")):
        return Encoding(
            "cp1252",
            "The file is not valid UTF-8, so it was read as Windows-1252 (Western European). "
            "If accented letters look wrong, import it again naming its encoding.",
        )
    raise ImportFileError(
        "The file is neither UTF-8 nor Windows-1252 text, so it cannot be read. Save it as "
        "UTF-8 (or CSV UTF-8 in Excel), or name its encoding."
    )


def _known_codec(name: str) -> str:
    try:
        codec = codecs.lookup(name.strip()).name
    except LookupError:
        raise ImportFileError(f"Unknown encoding {name!r}.") from None
    return {"iso8859-1": "latin-1", "windows-1252": "cp1252"}.get(codec, codec)


def _utf8_balance(stream: BinaryIO) -> tuple[int, int]:
    """Characters beyond ASCII that decode as UTF-8, and bytes that do not."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    valid = stray = 0
    try:
        while True:
            block = stream.read(_BLOCK)
            text = decoder.decode(block, final=not block)
            beyond_ascii = len(text) - len(text.encode("ascii", "ignore"))
            bad = len(_STRAY_BYTE_RE.findall(text)) if beyond_ascii else 0
            valid, stray = valid + beyond_ascii - bad, stray + bad
            if not block:
                return valid, stray
    finally:
        stream.seek(0)


def _decodes(stream: BinaryIO, codec: str) -> bool:
    try:
        _check_decodes(stream, codec, "")
    except ImportFileError:
        return False
    return True


def _check_decodes(stream: BinaryIO, codec: str, message: str) -> None:
    """Decode the whole stream once (in C, output discarded) so no row fails half-way."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    try:
        while block := stream.read(_BLOCK):
            decoder.decode(block)
            offset += len(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        position = offset + error.start
        raise ImportFileError(
            f"{message} (undecodable byte at position {position:,})."
            if message.endswith("text")
            else f"{message} does not decode as {codec} (byte {position:,})."
        ) from None
    finally:
        stream.seek(0)


def _looks_like_text(sample: str) -> bool:
    # Binary garbage without NUL bytes can still "decode" as Windows-1252; real text has
    # next to no control characters.
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return controls <= len(sample) // 200


def detect_format(filename: str, head: str) -> str:
    """csv, json or jsonl: from the file name's extension, else from the first characters."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    start = head.lstrip("\ufeff \t\r\n")
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if start.startswith("["):
        return "json"
    if start.startswith("{"):
        first, _, rest = start.partition("\n")
        try:
            load_json(first)
        except (ValueError, JsonTooComplexError):
            return "json"
        return "jsonl" if rest.lstrip().startswith("{") else "json"
    if suffix == ".json":
        return "json"
    return "csv"


def open_review_file(
    stream: BinaryIO, filename: str, encoding: Encoding, file_format: str | None = None
) -> ReviewFile:
    """Open a stream for reading rows (raises ImportFileError for file-level problems)."""
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding.codec, errors=encoding.errors, newline="")
    head = text.read(4096)
    text.seek(0)
    file_format = file_format or detect_format(filename, head)
    if file_format == "csv":
        return _open_csv(text)
    if file_format == "json":
        return _open_json(text)
    if file_format == "jsonl":
        return _open_jsonl(text)
    raise ImportFileError(f"Unknown file format {file_format!r}; use one of {', '.join(FORMATS)}.")


# --- CSV ------------------------------------------------------------------------------------


def _open_csv(text: IO[str]) -> ReviewFile:
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    first_line = text.readline()
    delimiter = max(_CSV_DELIMITERS, key=lambda d: (first_line.count(d), d == ","))
    reader = csv.reader(itertools.chain([first_line], text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise ImportFileError(f"The CSV header cannot be read ({error}).") from None
    columns = unique_columns(header)
    if not any(header):
        raise ImportFileError("The first row of the CSV is empty; it must name the columns.")
    return ReviewFile("csv", columns, _csv_rows(reader, columns))


def unique_columns(header: list[str]) -> list[str]:
    """Column names from a header row: trimmed, blanks named by position, repeats numbered."""
    columns: list[str] = []
    for position, raw in enumerate(header, start=1):
        name = raw.strip().lstrip("\ufeff") or f"column {position}"
        if name in columns:
            name = f"{name} ({position})"
        columns.append(name)
    return columns


def _csv_rows(reader: Iterator[list[str]], columns: list[str]) -> Iterator[RawRow]:
    number = 1  # the header is row 1, as a spreadsheet shows it
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RawRow(number, None, f"unreadable CSV ({error})")
            continue
        if not record or not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) > len(columns) and not any(c.strip() for c in record[len(columns) :]):
            record = record[: len(columns)]  # trailing separators only
        if len(record) != len(columns):
            yield RawRow(
                number,
                None,
                f"row has {len(record)} cells; the header has {len(columns)}",
            )
            continue
        yield checked_row(number, dict(zip(columns, record, strict=True)))


# --- JSON and JSON Lines ------------------------------------------------------------------


def _open_json(text: IO[str]) -> ReviewFile:
    try:
        document = load_json(text.read())
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"The file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except JsonTooComplexError as error:
        raise ImportFileError(f"The file cannot be imported: {error.detail}") from None
    items = _review_list(document)
    rows = [_json_row(number, item) for number, item in enumerate(items, start=1)]
    return ReviewFile("json", _columns_of(rows), iter(rows))


def _review_list(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in _JSON_LIST_KEYS:
            if isinstance(document.get(key), list):
                return document[key]
    raise ImportFileError(
        'The JSON must be an array of reviews, or an object like {"reviews": [...]}.'
    )


def _open_jsonl(text: IO[str]) -> ReviewFile:
    lines = enumerate(text, start=1)
    peeked = [
        _jsonl_row(number, line) for number, line in itertools.islice(lines, _JSONL_PEEK_LINES)
    ]
    rest = (_jsonl_row(number, line) for number, line in lines)
    rows = (row for row in itertools.chain(peeked, rest) if row is not None)
    return ReviewFile("jsonl", _columns_of(r for r in peeked if r is not None), rows)


def _jsonl_row(number: int, line: str) -> RawRow | None:
    if not line.strip():
        return None
    try:
        value = load_json(line)
    except json.JSONDecodeError as error:
        return RawRow(number, None, f"not valid JSON ({error.msg})")
    except JsonTooComplexError as error:
        return RawRow(number, None, error.detail)
    return _json_row(number, value)


def _json_row(number: int, value: Any) -> RawRow:
    if not isinstance(value, dict):
        return RawRow(number, None, "not a JSON object")
    # JSON:API documents (App Store Connect) keep the fields under "attributes".
    if isinstance(value.get("attributes"), dict):
        value = {**{k: v for k, v in value.items() if k != "attributes"}, **value["attributes"]}
    cells: dict[str, str] = {}
    _flatten(value, "", cells)
    return checked_row(number, cells)


def checked_row(number: int, cells: dict[str, str]) -> RawRow:
    """The row, or its problem when a cell holds a character no database can store."""
    for name, cell in cells.items():
        if _UNSTORABLE_RE.search(cell):
            what = "a NUL character" if "\x00" in cell else "bytes that are not valid text"
            return RawRow(number, None, f"column {name!r} holds {what}")
    return RawRow(number, cells)


def _flatten(value: dict[str, Any], prefix: str, cells: dict[str, str]) -> None:
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            _flatten(item, f"{name}.", cells)
        elif isinstance(item, bool):
            cells[name] = "true" if item else "false"
        elif isinstance(item, str | int | float):
            cells[name] = str(item)
        elif item is not None:
            cells[name] = json.dumps(item, ensure_ascii=False)


def _columns_of(rows: Iterable[RawRow]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        for name in row.cells or ():
            columns.setdefault(name, None)
    return list(columns)
