"""Bulk inserts: insert_rows stores what the ORM would (COPY on PostgreSQL); clashes skipped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from testimonials.bulk_insert import insert_new_rows, insert_rows
from testimonials.curation import models as curation
from testimonials.db import utcnow
from testimonials.harvest.customers.models import KnownCustomer
from testimonials.harvest.intake import NewFeedback, item_values
from testimonials.harvest.models import Channel, ConsentState, FeedbackItem

# Characters that COPY's text format must escape, and scripts that must survive unchanged.
AWKWARD_TEXTS = [
    "Tab\there, newline\nthere, CRLF\r\nand a backslash \\ at the end \\",
    r"\N is not NULL, \\N neither, and \. is not the end of data",
    "ការបម្រើសេវាល្អណាស់ 🙂 ສະບາຍດີ خدمة ممتازة",
    "",
]


def _row(workspace_id: int, text: str, **extra: object) -> dict:
    new = NewFeedback(
        text=text,
        channel=Channel.IMPORT,
        source_name="Bulk",
        rating=5,
        submitted_at=datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))),
        consent_state=ConsentState.GRANTED,
        answers={"why": "Ça marche", "tags": ["a", "b"]} if text else None,
    )
    values = item_values(workspace_id, new, f"{len(text):064d}", [1, 2, 3], None)
    values.update(
        specificity=0.5,
        suspicion=0.1,
        score_reasons=[{"code": "x", "message": "ünïcode", "kind": "specificity", "weight": 1}],
        suggested_excerpt=text[:10],
        scorer_version="test",
        scored_at=utcnow(),
        **extra,
    )
    return values


def test_rows_come_back_exactly_as_given_with_ids_in_order(db: Session, tenant) -> None:
    rows = [_row(tenant.workspace.id, text) for text in AWKWARD_TEXTS]
    ids = insert_rows(db, FeedbackItem, rows, returning_ids=True)
    assert len(ids) == len(rows) and len(set(ids)) == len(rows)
    db.expire_all()
    for item_id, row in zip(ids, rows, strict=True):
        item = db.get(FeedbackItem, item_id)
        assert item is not None
        assert item.text == row["text"]
        assert item.answers == row["answers"]
        assert item.score_reasons == row["score_reasons"]
        assert item.minhash == [1, 2, 3]
        assert item.submitted_at == datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
        assert item.submitted_at.tzinfo is not None
        assert item.consent_state == "granted"
        assert item.workspace_id == tenant.workspace.id


def test_json_none_is_sql_null_and_defaults_are_filled_in(db: Session, tenant) -> None:
    ids = insert_rows(db, FeedbackItem, [_row(tenant.workspace.id, "")], returning_ids=True)
    null_answers = db.scalar(
        select(func.count()).where(FeedbackItem.id == ids[0], FeedbackItem.answers.is_(None))
    )
    assert null_answers == 1
    before = utcnow()
    entries = [{"workspace_id": tenant.workspace.id, "item_id": ids[0]}]
    insert_rows(db, curation.Testimonial, entries)
    entry = db.scalar(select(curation.Testimonial).where(curation.Testimonial.item_id == ids[0]))
    assert entry is not None
    assert entry.status == "pending" and entry.rank_score == 0.0
    assert before - timedelta(seconds=5) <= entry.created_at <= utcnow()


def test_the_orm_carries_on_after_bulk_ids(db: Session, tenant) -> None:
    ids = insert_rows(
        db,
        FeedbackItem,
        [_row(tenant.workspace.id, "one"), _row(tenant.workspace.id, "two")],
        returning_ids=True,
    )
    later = FeedbackItem(**_row(tenant.workspace.id, "three"))
    db.add(later)
    db.flush()
    assert later.id > max(ids)


def test_nothing_to_insert_is_a_no_op(db: Session) -> None:
    assert insert_rows(db, FeedbackItem, [], returning_ids=True) == []
    assert insert_rows(db, curation.Testimonial, []) == []


def test_rows_a_unique_key_already_holds_are_skipped_not_an_error(db: Session, tenant) -> None:
    def rows(*hashes: str) -> list[dict]:
        return [
            {"workspace_id": tenant.workspace.id, "email_hash": h, "added_at": utcnow()}
            for h in hashes
        ]

    unique = ("workspace_id", "email_hash")
    assert insert_new_rows(db, KnownCustomer, rows("a" * 64, "b" * 64), unique) == 2
    # As if a concurrent upload had listed "b" between our check and our insert.
    assert insert_new_rows(db, KnownCustomer, rows("b" * 64, "c" * 64), unique) == 1
    stored = db.scalars(
        select(KnownCustomer.email_hash).where(KnownCustomer.workspace_id == tenant.workspace.id)
    ).all()
    assert sorted(stored) == ["a" * 64, "b" * 64, "c" * 64]


def test_row_keys_in_any_order_land_in_their_own_columns(db: Session, tenant) -> None:
    ids = insert_rows(db, FeedbackItem, [_row(tenant.workspace.id, "Keys")], returning_ids=True)
    # Keys given in reverse column order, a defaulted column (status) left between them.
    entry = {"rank_score": 0.75, "item_id": ids[0], "workspace_id": tenant.workspace.id}
    insert_rows(db, curation.Testimonial, [entry])
    stored = db.execute(
        select(
            curation.Testimonial.workspace_id,
            curation.Testimonial.status,
            curation.Testimonial.rank_score,
        ).where(curation.Testimonial.item_id == ids[0])
    ).one()
    assert tuple(stored) == (tenant.workspace.id, "pending", 0.75)


def test_more_rows_than_one_statement_takes_keep_their_ids_and_values(db: Session, tenant) -> None:
    # SQLite binds at most 32,766 values a statement: 1,500 rows of ~45 columns take three
    # multi-row statements, the last one shorter.
    texts = [f"Review number {n}" for n in range(1_500)]
    rows = [_row(tenant.workspace.id, text, external_id=f"r{n}") for n, text in enumerate(texts)]
    ids = insert_rows(db, FeedbackItem, rows, returning_ids=True)
    query = select(FeedbackItem.id, FeedbackItem.text).where(FeedbackItem.id.in_(ids))
    stored = {item_id: text for item_id, text in db.execute(query)}
    assert [stored[item_id] for item_id in ids] == texts
