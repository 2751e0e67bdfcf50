"""Use cases for review imports: run an import, find past imports, and write their reports.

Transactions: services only flush. The API and the dashboard import a file (bounded by the
upload limit) in the request's single transaction: all of it, or nothing. The CLI passes a
`checkpoint` that commits after every chunk, so a very large file neither holds one huge
transaction nor loses an hour of work to one crash; an import that stops half-way keeps its
committed chunks, its report says where it stopped (`record_import_failure`), and running
the same import again adds only the rows that are still missing, as imports are idempotent.
"""

from __future__ import annotations

import csv
import io
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from testimonials.db import one_of, utcnow
from testimonials.errors import InvalidInputError, NotFoundError
from testimonials.harvest.customers.matching import KnownCustomerSet
from testimonials.harvest.imports.files import (
    ImportFileError,
    RawRow,
    ReviewFile,
    choose_encoding,
    open_review_file,
)
from testimonials.harvest.imports.layouts import ColumnMapping, MappingError, resolve_mapping
from testimonials.harvest.imports.models import ImportRun
from testimonials.harvest.imports.rows import ReviewRow, RowProblem, review_from_cells
from testimonials.harvest.intake import IntakeScorer, NewFeedback
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem, VerifiedBy
from testimonials.harvest.spreadsheets import spreadsheet_cell

MAX_STORED_ERRORS = 1000
CHUNK_ROWS = 1000
LARGE_FILE_BYTES = 2 * 1024 * 1024


@dataclass
class _Counts:
    total: int = 0
    added: int = 0
    duplicate: int = 0
    invalid: int = 0
    errors: list[dict[str, object]] = field(default_factory=list)

    def invalid_row(self, number: int, reason: str) -> None:
        self.invalid += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append({"row": number, "reason": reason})


# What makes a row the same review: (source, "id", external id) or (source, "text", content
# hash, author name), the latter for rows without an id.
_ReviewKey = tuple[str, ...]


class _KnownReviews:
    """Which rows of a chunk the workspace holds already, or an earlier chunk of the file.

    Asked chunk by chunk with one indexed query per source and kind, so memory does not
    grow with the file: only the keys of the last few chunks, which may still be queued for
    scoring rather than stored, are kept here. `unstored_chunks` bounds that queue.
    """

    def __init__(self, session: Session, workspace_id: int, unstored_chunks: int) -> None:
        self.session = session
        self.workspace_id = workspace_id
        self._recent: deque[set[_ReviewKey]] = deque(maxlen=unstored_chunks + 1)

    def new_rows(
        self,
        rows: Sequence[tuple[int, ReviewRow, str | None]],
        source_of: Callable[[ReviewRow], str],
    ) -> list[bool]:
        """For each (number, row, content hash or None): is it new? Remembers the new ones."""
        keys = [_review_key(source_of(row), row, text_hash) for _n, row, text_hash in rows]
        stored = self._stored(keys)
        accepted: set[_ReviewKey] = set()
        fresh = []
        for key in keys:
            new = key not in stored and key not in accepted and not self._recently_seen(key)
            if new:
                accepted.add(key)
            fresh.append(new)
        self._recent.append(accepted)
        return fresh

    def _recently_seen(self, key: _ReviewKey) -> bool:
        return any(key in chunk for chunk in self._recent)

    def _stored(self, keys: list[_ReviewKey]) -> set[_ReviewKey]:
        found: set[_ReviewKey] = set()
        for source in {key[0] for key in keys}:
            ids = [key[2] for key in keys if key[0] == source and key[1] == "id"]
            hashes = [key[2] for key in keys if key[0] == source and key[1] == "text"]
            mine = (
                FeedbackItem.workspace_id == self.workspace_id,
                FeedbackItem.source_name == source,
            )
            if ids:
                stored_ids = self.session.scalars(
                    select(FeedbackItem.external_id).where(
                        *mine, one_of(self.session, FeedbackItem.external_id, list(set(ids)))
                    )
                )
                found.update((source, "id", str(external_id)) for external_id in stored_ids)
            if hashes:
                found.update(
                    (source, "text", text_hash, author or "")
                    for text_hash, author in self.session.execute(
                        select(FeedbackItem.content_hash, FeedbackItem.author_name).where(
                            *mine,
                            one_of(self.session, FeedbackItem.content_hash, list(set(hashes))),
                            FeedbackItem.channel == Channel.IMPORT.value,
                        )
                    )
                )
        return found


def _review_key(source: str, row: ReviewRow, text_hash: str | None) -> _ReviewKey:
    if row.external_id is not None:
        return (source, "id", row.external_id)
    from testimonials.scoring import content_hash  # numpy, once an import runs

    return (source, "text", text_hash or content_hash(row.text), row.author_name or "")


def imports_query(workspace_id: int) -> Select[ImportRun]:
    """The workspace's imports, newest first."""
    return (
        select(ImportRun)
        .where(ImportRun.workspace_id == workspace_id)
        .order_by(ImportRun.created_at.desc(), ImportRun.id.desc())
    )


def get_import(session: Session, workspace_id: int, import_id: int) -> ImportRun:
    """One import of the workspace, or NotFoundError."""
    run = session.scalar(
        select(ImportRun).where(ImportRun.workspace_id == workspace_id, ImportRun.id == import_id)
    )
    if run is None:
        raise NotFoundError(f"No import {import_id} in this workspace.")
    return run


def import_reviews(
    session: Session,
    workspace_id: int,
    stream: BinaryIO,
    filename: str,
    source_name: str | None,
    scorer: IntakeScorer | None,
    mapping: Mapping[str, str] | None = None,
    encoding: str | None = None,
    created_by_id: int | None = None,
    workers: int | None = 1,
    checkpoint: Callable[[ImportRun], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportRun:
    """Import a CSV, JSON, JSON Lines or Excel (.xlsx) file of reviews; returns the report.

    File-level problems (undecodable, empty, no text column, bad mapping) raise
    InvalidInputError before anything is stored. Row problems are reported per row.
    """
    # Scoring (numpy, ICU) loads where an import runs, not in every worker that imports this.
    from testimonials.harvest.bulk_intake import PARALLEL_AFTER_ITEMS, BulkIntake

    filename = os.path.basename(filename or "upload")[:255] or "upload"
    # A big file is worth the worker processes' start-up from its first row on.
    parallel_after = 0 if _size(stream) >= LARGE_FILE_BYTES else PARALLEL_AFTER_ITEMS
    try:
        review_file = _open_file(stream, filename, encoding)
        columns = resolve_mapping(review_file.columns, mapping)
    except ImportFileError as error:
        raise InvalidInputError(str(error), {"file": [str(error)]}) from None
    except MappingError as error:
        raise InvalidInputError(str(error), {"mapping": [str(error)]}) from None
    source = (source_name or "").strip() or (
        columns.layout.source_label if columns.layout else "import"
    )
    if len(source) > 120:
        raise InvalidInputError("The source name is too long.", {"source_name": ["At most 120."]})
    run = ImportRun(
        workspace_id=workspace_id,
        filename=filename,
        file_format=review_file.file_format,
        source_name=source,
        layout=columns.layout.name if columns.layout else None,
        mapping=dict(columns.columns),
        created_by_id=created_by_id,
        errors=[{"row": None, "reason": note} for note in review_file.notes],
    )
    session.add(run)
    session.flush()
    counts = _Counts(errors=list(run.errors))
    # The whole list once, then an in-memory check per row (none at all when it is empty).
    customers = KnownCustomerSet.load(
        session, workspace_id, scorer.customer_key if scorer else None
    )
    with BulkIntake(session, workspace_id, scorer, workers, parallel_after) as intake:
        known = _KnownReviews(session, workspace_id, intake.unstored_chunks)
        for chunk in _chunks(review_file.rows, CHUNK_ROWS):
            fresh = _fresh_rows(run, chunk, columns, counts, known)
            if fresh:
                intake.record([_new_feedback(run, row, customers) for _n, row, _h in fresh])
            counts.added = intake.stored
            _save_counts(run, counts)
            if checkpoint is not None:
                checkpoint(run)
            if progress is not None:
                progress(_position(stream))
        counts.added = intake.finish()
    _save_counts(run, counts)
    run.finished_at = utcnow()
    session.flush()
    return run


def _open_file(stream: BinaryIO, filename: str, encoding: str | None) -> ReviewFile:
    """A workbook, or a text file read in the encoding found (or named)."""
    from testimonials.harvest.imports.workbooks import (
        looks_like_workbook,
        open_workbook,
    )  # openpyxl

    if looks_like_workbook(stream, filename):
        review_file = open_workbook(stream, filename)
        if encoding and encoding.strip():
            review_file.notes.append(
                f"The encoding given ({encoding.strip()}) was ignored: Excel workbooks "
                "(.xlsx) store their text as Unicode."
            )
        return review_file
    chosen = choose_encoding(stream, encoding)
    review_file = open_review_file(stream, filename, chosen)
    if chosen.note:
        review_file.notes.append(chosen.note)
    return review_file


def record_import_failure(session: Session, import_id: int, reason: str) -> ImportRun | None:
    """Note on an unfinished import why it stopped (its committed rows stay imported)."""
    run = session.get(ImportRun, import_id)
    if run is None:
        return None
    run.errors = [*run.errors, {"row": None, "reason": reason}]
    session.flush()
    return run


def report_csv(run: ImportRun) -> str:
    """The import's report as CSV: one `row,reason` line per problem (notes have no row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["row", "reason"])
    for entry in run.errors:
        writer.writerow(
            ["" if entry.get("row") is None else entry["row"], spreadsheet_cell(entry["reason"])]
        )
    listed = sum(1 for entry in run.errors if entry.get("row") is not None)
    if run.rows_invalid > listed:
        writer.writerow(["", f"{run.rows_invalid - listed:,} more invalid rows are not listed"])
    return out.getvalue()


def _chunks(rows: Iterator[RawRow], size: int) -> Iterator[list[RawRow]]:
    chunk: list[RawRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _fresh_rows(
    run: ImportRun,
    chunk: Sequence[RawRow],
    columns: ColumnMapping,
    counts: _Counts,
    known: _KnownReviews,
) -> list[tuple[int, ReviewRow, str | None]]:
    """The chunk's valid rows that the workspace does not hold yet (counts the others)."""
    from testimonials.scoring import content_hash  # numpy, once an import runs

    valid = []
    for raw in chunk:
        counts.total += 1
        if raw.cells is None:
            counts.invalid_row(raw.number, raw.problem or "unreadable row")
            continue
        if raw.cell_problems is not None:
            # A cell with no known value matters only if a field is read from it.
            problems = raw.cell_problems
            unknown = [problems[c] for c in columns.columns.values() if c in problems]
            if unknown:
                counts.invalid_row(raw.number, unknown[0])
                continue
        try:
            row = review_from_cells(raw.cells, columns.columns)
        except RowProblem as problem:
            counts.invalid_row(raw.number, str(problem))
            continue
        # Rows with an id are matched by it; their hash is left to the scoring workers.
        text_hash = content_hash(row.text) if row.external_id is None else None
        valid.append((raw.number, row, text_hash))
    new = known.new_rows(valid, lambda row: row.source_name or run.source_name)
    counts.duplicate += new.count(False)
    return [entry for entry, is_new in zip(valid, new, strict=True) if is_new]


def _new_feedback(run: ImportRun, row: ReviewRow, customers: KnownCustomerSet) -> NewFeedback:
    known_customer = customers.includes(row.author_email)
    return NewFeedback(
        text=row.text,
        channel=Channel.IMPORT,
        source_name=row.source_name or run.source_name,
        external_id=row.external_id,
        title=row.title,
        rating=row.rating,
        nps_score=row.nps_score,
        author_name=row.author_name,
        author_email=row.author_email,
        avatar_url=row.avatar_url,
        location=row.location,
        language=row.language,
        country=row.country,
        submitted_at=row.submitted_at,
        received_at=utcnow(),
        verified=known_customer,
        verified_by=VerifiedBy.CUSTOMER_EMAIL if known_customer else None,
        # Consent only when the file states it; we never invent it.
        consent_state=ConsentState(row.consent_state or ConsentState.NOT_ASKED.value),
        import_id=run.id,
    )


def _save_counts(run: ImportRun, counts: _Counts) -> None:
    run.rows_total = counts.total
    run.rows_added = counts.added
    run.rows_duplicate = counts.duplicate
    run.rows_invalid = counts.invalid
    run.errors = list(counts.errors)


def _size(stream: BinaryIO) -> int:
    try:
        size = stream.seek(0, os.SEEK_END)
    except (OSError, ValueError):
        return 0
    stream.seek(0)
    return size


def _position(stream: BinaryIO) -> int:
    try:
        return stream.tell()
    except (OSError, ValueError):
        return 0
