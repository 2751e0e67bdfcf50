"""Searching the inbox's words: every script, case folded, the index kept in step."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select, update
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.search import (
    GRAM_RANGES,
    character_grams,
    character_runs,
    feedback_matches,
    grams_answer,
    sqlite_character_grams,
)
from tests.api.curation_helpers import add, ids
from tests.conftest import Tenant

API = "/api/v1/testimonials"


def found(client: FlaskClient, tenant: Tenant, q: str) -> set[int]:
    answer = client.get(API, query_string={"q": q, "status": "all"}, headers=tenant.headers())
    return set(ids(answer))


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("我们团队用了三个月，客服小王总是在一小时内回复。", "客服小王"),
        ("我们团队用了三个月，客服小王总是在一小时内回复。", "客服"),  # two characters
        ("予約が3分で終わりました。受付の田中さんが親切でした。", "田中さん"),
        ("ខ្ញុំចូលចិត្តសេវាកម្មនេះណាស់ ការកក់ចំណាយពេលតែ៥នាទី", "ចូលចិត្ត"),
        ("ບໍລິການດີຫຼາຍ ການຈອງໃຊ້ເວລາພຽງ 5 ນາທີ", "ການຈອງ"),
        ("จองง่ายมาก ใช้เวลาแค่ 5 นาที พนักงานใจดี", "พนักงาน"),
        ("الحجز استغرق دقيقتين فقط وكان الموظف لطيفا", "الموظف"),
        ("Die Buchung dauerte nur zwei Minuten, großartig!", "Großartig"),
        ("Réservation en deux minutes, équipe très réactive", "RÉACTIVE"),
        ("Booking took 2 minutes; Dana at the front desk was great.", "FRONT desk"),
    ],
)
def test_a_word_in_any_script_finds_its_item_and_only_it(
    client: FlaskClient, db: Session, tenant: Tenant, text: str, query: str
) -> None:
    wanted = add(db, tenant, text)
    add(db, tenant, "Something else entirely, about invoices and 10 minutes of waiting.")

    assert found(client, tenant, query) == {wanted}


def test_every_word_must_match_and_author_names_count(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    both = add(db, tenant, "Fast booking and friendly staff", author_name="Sokha Chan")
    add(db, tenant, "Fast booking, rude staff", author_name="Dara Pich")

    assert found(client, tenant, "booking friendly") == {both}
    assert found(client, tenant, "sokha") == {both}
    assert found(client, tenant, "booking sokha") == {both}


def test_the_index_follows_edits_erasures_and_deletes(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    wanted = add(db, tenant, "The concierge Marguerite booked our table", author_name="Ana")
    item_id = db.scalar(select(FeedbackItem.id).order_by(FeedbackItem.id.desc()).limit(1))
    assert found(client, tenant, "Marguerite") == {wanted}

    db.execute(update(FeedbackItem).where(FeedbackItem.id == item_id).values(text="[erased]"))
    db.commit()
    assert found(client, tenant, "Marguerite") == set()
    assert found(client, tenant, "erased") == {wanted}

    db.execute(delete(FeedbackItem).where(FeedbackItem.id == item_id))
    db.commit()
    assert found(client, tenant, "erased") == set()


def test_search_stays_in_the_callers_workspace(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant
) -> None:
    other = make_tenant("Other Co")
    add(db, other, "Marguerite is the best concierge")
    mine = add(db, tenant, "Marguerite booked our table")

    assert found(client, tenant, "Marguerite") == {mine}


def test_at_most_eight_words_are_searched(db: Session) -> None:
    assert len(feedback_matches("a b c d e f g h i j")) == 8
    assert feedback_matches("   ") == []


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("我们团队用了三个月，客服小王总是在一小时内回复。", "王"),  # one character
        ("予約が3分で終わりました。受付の田中さんが親切でした。", "田中"),
        ("직원이 정말 친절했어요", "직원"),
        ("จองง่ายมาก ใช้เวลาแค่ 5 นาที", "ง่าย"),
        ("Booking took 2 minutes", "took 2"),
    ],
)
def test_short_words_of_scripts_without_spaces_find_their_item(
    client: FlaskClient, db: Session, tenant: Tenant, text: str, query: str
) -> None:
    wanted = add(db, tenant, text)
    # Every character of the query, but not together: a candidate that is no match.
    add(db, tenant, " ".join(query) + " 其他" if len(query) > 1 else "其他")

    assert found(client, tenant, query) == {wanted}


@pytest.mark.parametrize(
    ("word", "answered"),
    [
        ("客服", True),  # a gram itself: the grams say exactly which items hold it
        ("王", True),
        ("ง่", True),
        ("客服小", True),  # three letters: its pairs may stand apart, its run may not
        ("予約の管理", True),
        ("客a", False),  # a letter outside the ranges: ILIKE must check it
        ("客服 小", False),  # two words
        ("ab", False),
        ("", False),
    ],
)
def test_only_words_all_of_those_scripts_are_answered_by_the_grams_table_alone(
    word: str, answered: bool
) -> None:
    assert grams_answer(word) is answered
    if answered:  # stored as it is: a gram itself, or a run
        assert word in (character_grams(word) if len(word) <= 2 else character_runs(word))


def test_character_grams_are_those_the_database_indexes(db: Session) -> None:
    """PostgreSQL indexes the grams its own function finds (migration 0048); a search looks
    them up with the grams Python finds: the two must agree, at every range's ends too."""
    if db.connection().dialect.name != "postgresql":
        pytest.skip("the character grams are PostgreSQL's")
    edges = "".join(chr(c) for low, high in GRAM_RANGES for c in (low - 1, low, high, high + 1))
    texts = [
        edges,
        "予約の管理が3分で. abc 客服 ចូលចិត្ត 𠀋x ການຈອງ จอง 직원이",
        "Latin only, ünïcode",
        "",
    ]
    for text in texts:
        indexed = db.scalar(select(func.feedback_character_grams(text)))
        assert indexed == character_grams(text), text
        # The runs (migration 0059), in the same order, NULL for none.
        runs = db.scalar(select(func.feedback_character_runs(text)))
        assert runs == (" ".join(character_runs(text)) or None), text
        # The trigger's grams, from those runs.
        from_runs = select(func.feedback_run_grams(func.string_to_array(runs or "", " ")))
        assert db.scalar(from_runs) == character_grams(text), text


def test_the_grams_follow_inserts_edits_erasures_and_deletes(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    wanted = add(db, tenant, "受付の田中さんが親切でした", author_name="小王")
    item_id = db.scalar(select(FeedbackItem.id).order_by(FeedbackItem.id.desc()).limit(1))
    assert found(client, tenant, "田中") == found(client, tenant, "小王") == {wanted}

    db.execute(update(FeedbackItem).where(FeedbackItem.id == item_id).values(text="親切な鈴木"))
    db.commit()
    assert found(client, tenant, "田中") == set()
    assert found(client, tenant, "鈴木") == found(client, tenant, "小王") == {wanted}

    db.execute(update(FeedbackItem).where(FeedbackItem.id == item_id).values(author_name=None))
    db.execute(update(FeedbackItem).where(FeedbackItem.id == item_id).values(text="[erased]"))
    db.commit()
    assert found(client, tenant, "鈴木") == found(client, tenant, "小王") == set()
    assert found(client, tenant, "erased") == {wanted}

    db.execute(update(FeedbackItem).where(FeedbackItem.id == item_id).values(text="又是田中"))
    db.commit()
    assert found(client, tenant, "田中") == {wanted}

    db.execute(delete(FeedbackItem).where(FeedbackItem.id == item_id))
    db.commit()
    assert found(client, tenant, "田中") == set()


def _sqlite_gram_holders(db: Session, gram: str) -> set[int]:
    """SQLite: the items `feedback_grams_fts` (migration 0050) says hold `gram`."""
    rows = db.execute(
        sql("SELECT rowid FROM feedback_grams_fts WHERE feedback_grams_fts MATCH :q"),
        {"q": f'"{gram}"'},
    )
    return set(rows.scalars())


def test_sqlite_keeps_the_grams_in_its_own_index(db: Session, tenant: Tenant) -> None:
    """SQLite's triggers (migration 0050) keep each item's grams in step with its text and
    author name; a short word's search reads its candidates from them."""
    if db.connection().dialect.name != "sqlite":
        pytest.skip("feedback_grams_fts is SQLite's")
    add(db, tenant, "受付の田中さんが親切でした", author_name="小王")
    add(db, tenant, "Latin words only")
    latin_id, item_id = db.scalars(
        select(FeedbackItem.id).order_by(FeedbackItem.id.desc()).limit(2)
    ).all()
    assert _sqlite_gram_holders(db, "田中") == _sqlite_gram_holders(db, "小王") == {item_id}
    assert _sqlite_gram_holders(db, "の") == {item_id}
    assert latin_id not in set(db.execute(sql("SELECT rowid FROM feedback_grams_fts")).scalars())

    db.execute(update(FeedbackItem).where(FeedbackItem.id == item_id).values(text="親切な鈴木"))
    db.commit()
    assert _sqlite_gram_holders(db, "田中") == set()
    assert _sqlite_gram_holders(db, "鈴木") == _sqlite_gram_holders(db, "小王") == {item_id}

    db.execute(
        update(FeedbackItem)
        .where(FeedbackItem.id == item_id)
        .values(text="[erased]", author_name=None)
    )
    db.commit()
    assert db.scalar(sql("SELECT count(*) FROM feedback_grams_fts")) == 0

    db.execute(update(FeedbackItem).where(FeedbackItem.id == item_id).values(text="又是田中"))
    db.execute(delete(FeedbackItem).where(FeedbackItem.id == latin_id))
    db.commit()
    assert _sqlite_gram_holders(db, "田中") == {item_id}
    db.execute(delete(FeedbackItem).where(FeedbackItem.id == item_id))
    db.commit()
    assert db.scalar(sql("SELECT count(*) FROM feedback_grams_fts")) == 0
    # The index's own integrity check (it raises if the grams and their index disagree).
    db.execute(sql("INSERT INTO feedback_grams_fts(feedback_grams_fts) VALUES ('integrity-check')"))


@pytest.mark.parametrize("word", ["客服", "で", "ดี", "직원", "田"])
def test_sqlite_short_words_are_looked_up_in_the_grams(db: Session, word: str) -> None:
    if db.connection().dialect.name != "sqlite":
        pytest.skip("feedback_grams_fts is SQLite's")
    statement = select(FeedbackItem.id).where(*feedback_matches(word))
    compiled = statement.compile(db.get_bind(), compile_kwargs={"literal_binds": True})
    plan = " ".join(str(row[-1]) for row in db.execute(sql(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "feedback_grams_fts VIRTUAL TABLE INDEX" in plan, plan


def test_the_gram_ranges_of_the_runs_are_those_of_its_migration() -> None:
    """Migration 0059's `feedback_character_runs` has its own copy of the ranges."""
    path = Path(__file__).parents[2] / "migrations/versions/0059_character_runs_for_longer_words.py"
    spec = importlib.util.spec_from_file_location("migration_0059", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.RANGES == GRAM_RANGES


def test_sqlite_gram_ranges_are_those_of_its_migration() -> None:
    """Migration 0050 backfills with its own copy of the ranges; the triggers call the
    application's (`GRAM_RANGES`): they must agree."""
    path = Path(__file__).parents[2] / "migrations/versions/0050_sqlite_character_grams.py"
    spec = importlib.util.spec_from_file_location("migration_0050", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.RANGES == GRAM_RANGES
    edges = "".join(chr(c) for low, high in GRAM_RANGES for c in (low - 1, low, high, high + 1))
    for words in (edges, "予約の管理が3分で. abc 客服 ចូលចិត្ត 𠀋x ການຈອງ จอง 직원이", "Latin", ""):
        assert migration._grams(words, "小王") == sqlite_character_grams(words, "小王"), words


def test_the_author_company_is_searched_too_in_every_script_and_follows_edits(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    acme = add(db, tenant, "Onboarding took two days.", author_company="Acme Dental Group")
    kanji = add(db, tenant, "予約が簡単です", author_company="田中歯科")
    add(db, tenant, "We love the reminders.", author_company="Northwind")

    assert found(client, tenant, "acme") == {acme}
    assert found(client, tenant, "ACME onboarding") == {acme}  # a word in each field
    assert found(client, tenant, "dental") == {acme}
    assert found(client, tenant, "歯科") == found(client, tenant, "田") == {kanji}
    assert found(client, tenant, "acme reminders") == set()

    item_id = db.scalar(select(FeedbackItem.id).where(FeedbackItem.author_company == "田中歯科"))
    db.execute(update(FeedbackItem).where(FeedbackItem.id == item_id).values(author_company=None))
    db.execute(
        update(FeedbackItem)
        .where(FeedbackItem.author_company == "Acme Dental Group")
        .values(author_company="Globex")
    )
    db.commit()
    assert found(client, tenant, "歯科") == found(client, tenant, "acme") == set()
    assert found(client, tenant, "globex") == {acme}


def test_a_deep_page_of_a_company_search_walks_the_rank_order(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    """The row-by-row check of a common word (`per_row`) reads the company as well."""
    for _ in range(3):
        add(db, tenant, "Fine.", author_company="Initech")
    statement = select(FeedbackItem.id).where(
        FeedbackItem.workspace_id == tenant.workspace.id, *feedback_matches("initech", True)
    )
    assert len(db.scalars(statement).all()) == 3
