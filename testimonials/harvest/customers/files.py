"""Reading a customer list: one address per line, or a CSV export with an `email` column."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

# Header names (compared lower-cased, without spaces, dashes and underscores) of the
# address column in CRM and billing exports.
EMAIL_COLUMNS = frozenset({"email", "emailaddress", "mail", "customeremail", "contactemail"})
_DELIMITERS = ",;\t|"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class CustomerEntry:
    """One address as given: its place in a JSON list (`index`) or a file (`line`)."""

    value: str
    index: int | None = None
    line: int | None = None


class CustomerFileError(ValueError):
    """The file as a whole cannot be read as a list of addresses."""


def entries_from_json(emails: list[str]) -> Iterator[CustomerEntry]:
    """The addresses of a JSON `emails` list, by their 0-based index."""
    for index, value in enumerate(emails):
        yield CustomerEntry(value, index=index)


def entries_from_file(stream: BinaryIO) -> Iterator[CustomerEntry]:
    """The addresses of a file, by line number (the header, if any, is line 1).

    UTF-8 (with or without BOM) or UTF-16 with BOM; an undecodable byte spoils only its own
    address, which is then reported as invalid. Blank lines are not entries.
    """
    head = stream.read(2)
    stream.seek(0)
    encoding = "utf-16" if head in _UTF16_BOMS else "utf-8-sig"
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    lines = iter(text)
    skipped = 0
    first = ""
    for first in lines:
        if first.strip():
            break
        skipped += 1
    else:
        return
    column = _email_column(first)
    if column is None:
        yield from _plain_lines(itertools.chain([first], lines), skipped)
    else:
        yield from _csv_rows(lines, column, skipped + 1, _delimiter(first))


def _delimiter(line: str) -> str:
    return max(_DELIMITERS, key=line.count)


def _email_column(first_line: str) -> int | None:
    """The address column's position if the first line is a CSV header, else None."""
    if "@" in first_line:
        return None
    cells = next(csv.reader([first_line], delimiter=_delimiter(first_line)), [])
    names = ["".join(c for c in cell.lower() if c.isalnum()) for cell in cells]
    for position, name in enumerate(names):
        if name in EMAIL_COLUMNS:
            return position
    if len(cells) > 1:
        shown = ", ".join(cell.strip()[:40] for cell in cells[:10])
        raise CustomerFileError(
            f"The first line looks like a header ({shown}) without an e-mail column; "
            "name the column with the addresses `email`."
        )
    return None


def _plain_lines(lines: Iterator[str], skipped: int) -> Iterator[CustomerEntry]:
    for number, line in enumerate(lines, start=skipped + 1):
        value = line.strip()
        if value:
            yield CustomerEntry(value, line=number)


def _csv_rows(
    lines: Iterator[str], column: int, header_lines: int, delimiter: str
) -> Iterator[CustomerEntry]:
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for row in reader:
            number = header_lines + reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            value = row[column].strip() if column < len(row) else ""
            yield CustomerEntry(value, line=number)
    except csv.Error as error:
        raise CustomerFileError(
            f"Line {header_lines + reader.line_num} is not valid CSV: {error}."
        ) from None
