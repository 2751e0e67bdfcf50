"""A bulk import's search side tables hold what the per-item triggers would have stored.

Imports insert many rows a statement (SQLite) and, on PostgreSQL, store the character grams
themselves (migration 0051): the same items recorded one by one in another workspace must
give the same full-text rows, the same grams and the same search results.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from testimonials.harvest.bulk_intake import BulkIntake
from testimonials.harvest.grams import character_grams
from testimonials.harvest.intake import NewFeedback, record_feedback_batch
from testimonials.harvest.models import Channel
from tests.conftest import Tenant

# (text, author name[, company]): scripts with and without grams, grams in the author name
# or the company only, a repeated word, a text of one gram character, accents, emoji.
ITEMS: list[tuple[str, str | None] | tuple[str, str | None, str]] = [
    ("我们团队用了三个月，客服小王总是在一小时内回复。", "小王"),
    ("予約が3分で終わりました。受付の田中さんが親切でした。", None),
    ("ខ្ញុំចូលចិត្តសេវាកម្មនេះណាស់ ខ្ញុំចូលចិត្ត", "Sokha"),
    ("ບໍລິການດີຫຼາຍ ການຈອງໃຊ້ເວລາພຽງ 5 ນາທີ", None),
    ("직원이 친절했어요", "김"),
    ("Plain English, nothing to gram here.", "Tom"),
    ("Très bien, équipe réactive 👍", "Zoë"),
    ("The support team answered fast", "田中"),
    ("東", None),
    ("خدمة ممتازة وسريعة", "Layla"),
    ("Friendly reception desk", "Ana", "田中歯科"),
    ("Quick booking", None, "Acme Dental"),
]
QUERIES = [
    "客服小王",
    "客服",
    "田中",
    "ចូលចិត្ត",
    "ການຈອງ",
    "친절",
    "東",
    "équipe",
    "support",
    "Layla",
    "歯科",
    "acme",
]


def _new(text: str, author_name: str | None, company: str | None = None) -> NewFeedback:
    return NewFeedback(
        text=text,
        channel=Channel.IMPORT,
        source_name="s",
        author_name=author_name,
        author_company=company,
    )


def _grams_by_text(db: Session, workspace_id: int) -> dict[str, str]:
    """Each item's stored grams (both engines' side table; PostgreSQL's runs too), by the
    item's text."""
    if db.connection().dialect.name == "postgresql":
        query = (
            "SELECT i.text, g.grams::text || ' | ' || g.runs FROM feedback_grams g "
            "JOIN feedback_items i ON i.id = g.item_id WHERE g.workspace_id = :w"
        )
    else:
        query = (
            "SELECT i.text, g.grams FROM feedback_grams_fts g "
            "JOIN feedback_items i ON i.id = g.rowid WHERE i.workspace_id = :w"
        )
    return {text: grams for text, grams in db.execute(sql(query), {"w": workspace_id})}


def _search(client: FlaskClient, tenant: Tenant, query: str) -> set[str]:
    """The texts of the inbox entries a search finds."""
    answer = client.get(
        "/api/v1/testimonials",
        query_string={"q": query, "status": "all", "per_page": 100},
        headers=tenant.headers(),
    )
    assert answer.status_code == 200, answer.json
    return {entry["text"] for entry in answer.json["items"]}


def test_an_import_indexes_every_item_as_the_triggers_do(
    app: Flask, client: FlaskClient, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    one_by_one, bulk = make_tenant("One Co"), make_tenant("Bulk Co")
    record_feedback_batch(db, one_by_one.workspace.id, [_new(*item) for item in ITEMS])
    with BulkIntake(db, bulk.workspace.id, None) as intake:
        intake.record([_new(*item) for item in ITEMS[:6]])
        intake.record([_new(*item) for item in ITEMS[6:]])
        assert intake.finish() == len(ITEMS)
    # An insert after the import, in the same transaction, still goes through the trigger.
    late = record_feedback_batch(db, bulk.workspace.id, [_new("受付は最高", None)])
    db.commit()

    expected = _grams_by_text(db, one_by_one.workspace.id)
    stored = _grams_by_text(db, bulk.workspace.id)
    assert stored.pop(late[0].text)  # the trigger stored the late item's grams
    assert stored == expected
    with_grams = {
        text for text, *who in ITEMS if character_grams(" ".join([text, *(w or "" for w in who)]))
    }
    assert set(stored) == with_grams  # Latin-script items get no row
    if db.connection().dialect.name == "sqlite":
        # The trigram index of every item's text and author name is whole and consistent.
        db.execute(sql("INSERT INTO feedback_search(feedback_search) VALUES ('integrity-check')"))
    for query in QUERIES:
        found = _search(client, bulk, query)
        assert found and found == _search(client, one_by_one, query), query


def test_a_large_import_leaves_sqlite_with_planner_statistics(
    db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    # SQLite keeps no statistics unless asked; the inbox's filters are planned from them.
    if db.connection().dialect.name != "sqlite":
        return  # PostgreSQL samples tables during the import (refresh_statistics)
    from testimonials.harvest.bulk_intake import ANALYZE_AFTER_ITEMS

    tenant = make_tenant("Big Co")
    with BulkIntake(db, tenant.workspace.id, None, workers=1) as intake:
        intake.record([_new(f"Review number {n}", None) for n in range(ANALYZE_AFTER_ITEMS)])
        assert intake.finish() == ANALYZE_AFTER_ITEMS
    db.commit()
    tables = set(db.scalars(sql("SELECT tbl FROM sqlite_stat1")))
    assert {"feedback_items", "testimonials"} <= tables
