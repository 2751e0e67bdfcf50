"""Searching the inbox's words: every script, case folded, the index kept in step."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.search import GRAM_RANGES, character_grams, feedback_matches
from tests.api.test_curation_api import add, ids
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
