"""The API's hot read path: few statements, no write per read, same bytes as the schema."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, event, select, update
from sqlalchemy.orm import Session

from testimonials.accounts.models import ApiKey
from testimonials.curation import services as curation
from testimonials.curation.bulk import bulk_action
from testimonials.curation.models import Testimonial as Curated
from testimonials.curation.schemas import TestimonialSchema as CuratedSchema
from testimonials.curation.tags import create_tag
from testimonials.db import MAX_PAGE, paginate
from testimonials.schemas import page_schema
from tests.api.curation_helpers import APPROVED, add
from tests.conftest import Tenant

# Test sessions run inside SAVEPOINTs of the test's transaction; a server's do not.
_TEST_HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@pytest.fixture
def statements(connection: Connection) -> Iterator[list[str]]:
    """The SQL statements run on the test's connection while the fixture is alive."""
    seen: list[str] = []

    def record(_conn, _cursor, statement: str, *_args: object) -> None:
        if not statement.lstrip().upper().startswith(_TEST_HARNESS):
            seen.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    yield seen
    event.remove(connection, "before_cursor_execute", record)


@pytest.fixture
def approved(db: Session, tenant: Tenant) -> list[int]:
    """Twenty approved testimonials with tags, reasons, display fixes and decisions."""
    tags = [create_tag(db, tenant.workspace.id, name) for name in ("Pricing", "Support")]
    ids = []
    for n in range(20):
        testimonial_id = add(
            db,
            tenant,
            f"Order {n}: booking took {n + 2} minutes; Dana at the front desk was great.",
            author_name=f"Customer {n}",
            author_role="Owner" if n % 2 else None,
            rating=5 - n % 3,
        )
        testimonial = db.get(Curated, testimonial_id)
        testimonial.tags = tags[: n % 3]
        if n % 4 == 0:
            testimonial.display_name = f"C. {n}"
        ids.append(testimonial_id)
    db.flush()
    bulk_action(db, tenant.workspace.id, ids, "approve", curation.Actor(user_id=tenant.editor.id))
    db.commit()
    return ids


def test_the_approved_list_runs_at_most_four_statements(
    client: FlaskClient, tenant: Tenant, approved: list[int], statements: list[str]
) -> None:
    client.get(APPROVED, headers=tenant.headers())  # records the key's first use
    statements.clear()

    answer = client.get(APPROVED, headers=tenant.headers())

    assert answer.status_code == 200
    assert sorted(item["id"] for item in answer.json["items"]) == sorted(approved)
    assert answer.json["total"] == 20
    assert len(statements) <= 4, "\n\n".join(statements)
    assert not any(s.lstrip().upper().startswith(("UPDATE", "INSERT")) for s in statements)


def test_a_keys_last_use_is_written_after_the_request_and_only_when_stale(
    client: FlaskClient, db: Session, tenant: Tenant, statements: list[str]
) -> None:
    stale = datetime.now(UTC) - timedelta(hours=1)
    db.execute(update(ApiKey).where(ApiKey.id == tenant.read_key_id).values(last_used_at=stale))
    db.commit()
    statements.clear()

    client.get("/api/v1/testimonials", headers=tenant.headers())
    writes = [s for s in statements if s.lstrip().upper().startswith("UPDATE API_KEYS")]
    assert len(writes) == 1
    db.expire_all()
    assert db.get(ApiKey, tenant.read_key_id).last_used_at > stale

    statements.clear()
    client.get("/api/v1/testimonials", headers=tenant.headers())
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]


def test_a_failed_request_still_records_the_keys_use(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    answer = client.get("/api/v1/testimonials/999999", headers=tenant.headers())

    assert answer.status_code == 404
    assert db.scalar(select(ApiKey.last_used_at).where(ApiKey.id == tenant.read_key_id))


def test_the_fast_list_answers_the_schemas_bytes(
    app: Flask, client: FlaskClient, db: Session, tenant: Tenant, approved: list[int]
) -> None:
    testimonial = db.get(Curated, approved[3])
    curation.snooze(
        db,
        testimonial,
        curation.Actor(user_id=tenant.editor.id),
        datetime.now(UTC) + timedelta(days=2),
    )
    testimonial.item.score_reasons = [
        {"code": "numbers", "message": "Mentions 2 numbers", "kind": "specificity", "x": 1},
        {"code": "short", "message": "Short"},
    ]
    db.commit()

    for query in ("status=all&per_page=7&page=2", "status=approved&per_page=20", "status=all"):
        answer = client.get(f"/api/v1/testimonials?{query}", headers=tenant.headers())
        assert answer.status_code == 200
        with app.app_context():
            ids = [item["id"] for item in answer.json["items"]]
            rows = sorted((db.get(Curated, i) for i in ids), key=lambda t: ids.index(t.id))
            envelope = answer.json | {"items": rows}
            expected = app.json.response(page_schema(CuratedSchema)().dump(envelope))
        assert answer.get_data() == expected.get_data()


def test_the_list_counts_all_pages_past_its_end(
    client: FlaskClient, tenant: Tenant, approved: list[int]
) -> None:
    for page in (2, 9, MAX_PAGE):  # the furthest page a client may ask for
        answer = client.get(f"{APPROVED}&page={page}", headers=tenant.headers())
        assert answer.status_code == 200
        assert (answer.json["items"], answer.json["total"], answer.json["pages"]) == ([], 20, 1)
    empty = client.get(f"{APPROVED}&tag_id=999999", headers=tenant.headers())
    assert (empty.json["items"], empty.json["total"]) == ([], 0)


def test_paging_counts_past_the_end_and_on_an_empty_first_page(
    db: Session, tenant: Tenant, approved: list[int]
) -> None:
    mine = select(Curated).where(Curated.workspace_id == tenant.workspace.id)
    assert paginate(db, mine, 2, 15).total == 20
    assert len(paginate(db, mine, 2, 15).items) == 5
    past = paginate(db, mine, 9, 15)
    assert (past.total, list(past.items)) == (20, [])
    none = paginate(db, mine.where(Curated.id < 0), 1, 15)
    assert (none.total, list(none.items)) == (0, [])
    distinct = paginate(
        db,
        select(Curated.workspace_id).where(Curated.workspace_id == tenant.workspace.id).distinct(),
        1,
        10,
    )
    assert (distinct.total, list(distinct.items)) == (1, [tenant.workspace.id])


def test_the_fast_list_answers_the_schemas_bytes_for_any_text(
    app: Flask, client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    """Customer text in other scripts, emoji, markup, nulls and tags with such names."""
    texts = [
        'Très “bien” <script>alert("x")</script> & \\ back\\slash',
        "日本語のレビュー、とても良い 😀👍🏽 \u2028 \x7f",
        "مرحبا — plain words, 12 minutes",
    ]
    tags = [create_tag(db, tenant.workspace.id, name) for name in ("<b>Ünïcode</b>", "😀 fans")]
    ids = []
    for n, text in enumerate(texts):
        testimonial_id = add(
            db,
            tenant,
            text,
            author_name=None if n == 0 else f"<i>Ås {n}</i>",
            author_role=None,
            rating=None,
            suspicion=None if n == 1 else 0.00001,
            specificity=0.5 if n else None,
        )
        testimonial = db.get(Curated, testimonial_id)
        testimonial.tags = tags[: n + 1] if n < 2 else []
        if n == 2:
            testimonial.display_company = "Ça & <Co>"
        ids.append(testimonial_id)
    db.commit()

    answer = client.get("/api/v1/testimonials?status=all", headers=tenant.headers())
    assert answer.status_code == 200 and len(answer.json["items"]) == 3
    with app.app_context():
        by_id = {t.id: t for t in (db.get(Curated, i) for i in ids)}
        rows = [by_id[item["id"]] for item in answer.json["items"]]
        expected = app.json.response(
            page_schema(CuratedSchema)().dump(answer.json | {"items": rows})
        )
    assert answer.get_data() == expected.get_data()


def test_a_remembered_key_is_not_looked_up_again(
    client: FlaskClient, tenant: Tenant, approved: list[int], statements: list[str]
) -> None:
    client.get(APPROVED, headers=tenant.headers())
    statements.clear()

    assert client.get(APPROVED, headers=tenant.headers()).status_code == 200
    assert not [s for s in statements if "api_keys" in s.lower()]
    assert len(statements) == 2, "\n\n".join(statements)  # the page, its tags


def test_remembered_query_strings_still_refuse_bad_arguments(
    client: FlaskClient, tenant: Tenant, approved: list[int]
) -> None:
    """The list's parsed query strings are remembered; a bad one is refused every time,
    and each request gets arguments of its own."""
    for _ in range(2):
        good = client.get(APPROVED, headers=tenant.headers())
        assert (good.status_code, good.json["per_page"]) == (200, 20)
        for bad in ("status=bogus", "per_page=0", "from=2026-02-01&to=2026-01-01", "page=x"):
            refused = client.get(f"/api/v1/testimonials?{bad}", headers=tenant.headers())
            assert refused.status_code == 422, bad
            assert refused.mimetype == "application/problem+json"
    other = client.get("/api/v1/testimonials?status=approved&per_page=3", headers=tenant.headers())
    assert (other.json["per_page"], len(other.json["items"])) == (3, 3)
