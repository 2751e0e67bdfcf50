"""The workspace's harvested feedback as a CSV download, written while it is read.

Rows are read in batches, keyset by id (oldest stored first), so a workspace of 100,000
items is never held in memory at once: each batch becomes one chunk of the response.

What leaves: the answer, its provenance, scores, consent and inbox state. What never
leaves: the author's e-mail address, the e-mail domain, client and device fingerprints,
the consent wording, photos and any other hidden personal data. The query names its
columns one by one, so a column added to FeedbackItem later is not exported by accident.
Erased items come out as stored: their score and "[erased]".

Dates: `from`/`to` use the NPS report's date (when the respondent answered, if known,
else when we received it), so an export and the report of the same period hold the same
answers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from testimonials.accounts.models import Workspace
from testimonials.curation.entries import inbox_entries
from testimonials.harvest.models import Channel, FeedbackItem, NpsGroup
from testimonials.harvest.search import feedback_matches
from testimonials.harvest.spreadsheets import spreadsheet_cell
from testimonials.harvest.surveys.models import Survey
from testimonials.report.services import DATE_BASIS, answered_at_expression

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "DATE_BASIS",
    "ExportFilters",
    "export_filename",
    "feedback_csv",
]

BATCH_SIZE = 1000
BOM = "\ufeff"
TAG_SEPARATOR = "; "
COLUMNS = (
    "id",
    "received_at",
    "submitted_at",
    "channel",
    "source",
    "external_id",
    "survey",
    "nps_score",
    "nps_group",
    "rating",
    "title",
    "text",
    "author_name",
    "author_role",
    "author_company",
    "language",
    "country",
    "consent_state",
    "verified",
    "verified_by",
    "specificity",
    "suspicion",
    "inbox_status",
    "tags",
)
# The only item columns read; never author_email, email_domain or the fingerprints.
_ITEM_COLUMNS = (
    FeedbackItem.id,
    FeedbackItem.received_at,
    FeedbackItem.submitted_at,
    FeedbackItem.channel,
    FeedbackItem.source_name,
    FeedbackItem.external_id,
    FeedbackItem.survey_id,
    FeedbackItem.nps_score,
    FeedbackItem.rating,
    FeedbackItem.title,
    FeedbackItem.text,
    FeedbackItem.author_name,
    FeedbackItem.author_role,
    FeedbackItem.author_company,
    FeedbackItem.language,
    FeedbackItem.country,
    FeedbackItem.consent_state,
    FeedbackItem.verified,
    FeedbackItem.verified_by,
    FeedbackItem.specificity,
    FeedbackItem.suspicion,
)


@dataclass(frozen=True)
class ExportFilters:
    """Which items to export; `date_to` is inclusive (the whole day, UTC)."""

    channel: Channel | None = None
    group: NpsGroup | None = None
    date_from: date | None = None
    date_to: date | None = None
    survey_id: int | None = None
    # The Feedback page's search (text, author name or company), as the list shows it.
    search: str | None = None


def _conditions(workspace_id: int, filters: ExportFilters) -> list[ColumnElement[bool]]:
    conditions = [FeedbackItem.workspace_id == workspace_id]
    if filters.channel is not None:
        conditions.append(FeedbackItem.channel == filters.channel.value)
    if filters.group is not None:
        conditions.append(FeedbackItem.in_nps_group(filters.group))
    if filters.date_from is not None:
        start = datetime.combine(filters.date_from, time(), UTC)
        conditions.append(answered_at_expression() >= start)
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), UTC)
        conditions.append(answered_at_expression() < end)
    if filters.survey_id is not None:
        # Another workspace's survey id finds nothing: the workspace condition still holds.
        conditions.append(FeedbackItem.survey_id == filters.survey_id)
    if filters.search:
        conditions.extend(feedback_matches(filters.search))
    return conditions


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _number(value: float | None) -> str | None:
    return None if value is None else f"{value:.4f}"


def _row(item: Any, survey_names: dict[int, str], entry: Any) -> list[str]:
    group = None if item.nps_score is None else NpsGroup.of(item.nps_score).value
    values = (
        item.id,
        _iso(item.received_at),
        _iso(item.submitted_at),
        item.channel,
        item.source_name,
        item.external_id,
        survey_names.get(item.survey_id) if item.survey_id is not None else None,
        item.nps_score,
        group,
        item.rating,
        item.title,
        item.text,
        item.author_name,
        item.author_role,
        item.author_company,
        item.language,
        item.country,
        item.consent_state,
        "true" if item.verified else "false",
        item.verified_by,
        _number(item.specificity),
        _number(item.suspicion),
        entry.status.value if entry else None,
        TAG_SEPARATOR.join(entry.tags) if entry else None,
    )
    return [spreadsheet_cell(value) for value in values]


def _surveys(session: Session, workspace_id: int) -> dict[int, str]:
    rows = session.execute(
        select(Survey.id, Survey.name).where(Survey.workspace_id == workspace_id)
    )
    return {survey_id: name for survey_id, name in rows}


def feedback_csv(
    session: Session,
    workspace_id: int,
    filters: ExportFilters,
    batch_size: int | None = None,
) -> Iterator[str]:
    """The CSV text, chunk by chunk: BOM and header first, then one chunk per batch of rows.

    UTF-8 with a byte-order mark (Excel then reads accents, Khmer and Arabic right), CRLF
    line ends, every cell through the formula guard. Items come oldest stored first (by id).
    """
    batch_size = batch_size or BATCH_SIZE
    survey_names = _surveys(session, workspace_id)
    conditions = _conditions(workspace_id, filters)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield BOM + out.getvalue()
    last_id = 0
    while True:
        batch = session.execute(
            select(*_ITEM_COLUMNS)
            .where(*conditions, FeedbackItem.id > last_id)
            .order_by(FeedbackItem.id)
            .limit(batch_size)
        ).all()
        if not batch:
            return
        entries = inbox_entries(session, workspace_id, [item.id for item in batch])
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerows(_row(item, survey_names, entries.get(item.id)) for item in batch)
        yield out.getvalue()
        last_id = batch[-1].id
        if len(batch) < batch_size:
            return


def export_filename(session: Session, workspace_id: int, today: date) -> str:
    """The download's name: feedback-<workspace slug>-<YYYY-MM-DD>.csv."""
    slug = session.scalar(select(Workspace.slug).where(Workspace.id == workspace_id))
    return f"feedback-{slug}-{today.isoformat()}.csv"
