"""The API's hot read path: few statements, no write per read, same bytes as the schema."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, event, select, update
from sqlalchemy.orm import Session

from testimonials import migrate
from testimonials.accounts import services as accounts
from testimonials.accounts.models import ApiKey, Scope
from testimonials.curation import services as curation
from testimonials.curation.models import Testimonial as Curated
from testimonials.curation.schemas import TestimonialSchema as CuratedSchema
from testimonials.curation.tags import create_tag
from testimonials.db import MAX_PAGE, database_for, make_engine, paginate
from testimonials.schemas import page_schema
from tests import factories
from tests.api.curation_helpers import add
from tests.conftest import Tenant, make_app

APPROVED = "/api/v1/testimonials?status=approved&per_page=20"
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
    curation.bulk_action(
        db, tenant.workspace.id, ids, "approve", curation.Actor(user_id=tenant.editor.id)
    )
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


# What only scoring, imports of spreadsheets, share images and migrations need; and what
# only comparing excerpts (regex), visitors' pages and beacons (crawlerdetect, msgspec) need.
HEAVY_MODULES = (
    "numpy",
    "scipy",
    "sklearn",
    "icu",
    "PIL",
    "openpyxl",
    "alembic",
    "regex",
    "crawlerdetect",
)
# msgspec is not among them: the list endpoint encodes its page with it (testimonials/
# fast_json.py), ~0.3 ms less CPU a request for ~0.3 MiB a worker.
# What only the jobs and other pages' helpers need: imported where they run.
LAZY_MODULES = ("testimonials.tracking.rollups",)
_SERVE_ONE_READ = """
import json, sys
from testimonials import create_app
from testimonials.harvest.intake import intake_scorer_for

app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "s", "ENV": "development"})
answer = app.test_client().get(
    "/api/v1/testimonials?status=approved", headers={"Authorization": "Bearer " + sys.argv[2]}
)
heavy = sys.argv[3].split(",")
loaded = lambda: sorted(name for name in heavy if name in sys.modules)
after_read = loaded()
api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
undocumented_after_read = len(api._undocumented)
paths = len(app.test_client().get("/api/v1/openapi.json").json["paths"])
intake_scorer_for(app).scorer  # what the first item to score does
print(json.dumps({"status": answer.status_code, "items": len(answer.json["items"]),
                  "after_read": after_read, "after_scoring": loaded(),
                  "undocumented_after_read": undocumented_after_read, "paths": paths}))
"""


def test_a_worker_serving_reads_never_loads_the_scorer(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("reads_only")
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as db:
        workspace = factories.workspace(db)
        item = factories.feedback(db, workspace.id)
        testimonial = factories.testimonial_for(db, item)
        testimonial.status = "approved"
        token = accounts.create_api_key(db, workspace.id, "reader", Scope.READ).token
        db.commit()
    engine.dispose()

    # A fresh interpreter: this one has imported everything the whole suite needs.
    # SQLite's dialect and driver are heavy too where the database is PostgreSQL, and
    # psycopg where it is SQLite.
    other = ("psycopg",) if url.startswith("sqlite") else ("sqlalchemy.dialects.sqlite", "sqlite3")
    heavy = (*HEAVY_MODULES, *LAZY_MODULES, *other)
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_SERVE_ONE_READ), url, token, ",".join(heavy)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.splitlines()[-1])

    assert (seen["status"], seen["items"]) == (200, 1)
    assert seen["after_read"] == []
    # The OpenAPI document is written when first asked for, not by serving the API, and
    # then has every operation (tests/api/test_openapi.py checks what it says).
    assert seen["undocumented_after_read"] > 10
    assert seen["paths"] > 50
    # The scorer still loads where scoring happens (and the check above can see it).
    assert {"numpy", "icu"} <= set(seen["after_scoring"])


def test_the_list_reads_without_a_transaction_on_postgresql(
    database_url: str, tmp_path: Path
) -> None:
    """No BEGIN/ROLLBACK round trips for the hot list (key lookup included); every other
    request, reads too, keeps its transaction; the pooled connection comes back as it was.

    A server's app, its sessions on the engine (not the tests' transaction): a bogus key
    still runs the key's lookup, and nothing needs seeding.
    """
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite reads begin no transaction of their own")
    app = make_app(database_url, tmp_path)
    engine = database_for(app).engine
    seen: list[tuple[str, bool, object]] = []

    def record(conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        dbapi = conn.connection.dbapi_connection
        seen.append((statement, dbapi.autocommit, dbapi.info.transaction_status))

    event.listen(engine, "before_cursor_execute", record)
    client = app.test_client()
    bogus = {"Authorization": "Bearer tsk_0123456789ab_not-a-key"}
    try:
        assert client.get(APPROVED, headers=bogus).status_code == 401
        list_statements, seen[:] = list(seen), []
        assert client.get("/api/v1/feedback", headers=bogus).status_code == 401
        other_statements = list(seen)
        with engine.connect() as connection:
            reused = connection.connection.dbapi_connection.autocommit
    finally:
        event.remove(engine, "before_cursor_execute", record)
        engine.dispose()

    idle = psycopg.pq.TransactionStatus.IDLE
    assert list_statements and all(
        autocommit and status == idle for _, autocommit, status in list_statements
    ), list_statements
    assert other_statements and not any(autocommit for _, autocommit, _ in other_statements)
    assert reused is False


def test_a_served_list_reads_on_a_pooled_connection_of_its_own(
    empty_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    """A server's list request with a remembered key makes no ORM session: its page and
    tags are read on a Core connection (autocommit on PostgreSQL), returned to the pool as
    it was when the request ends."""
    url = empty_database_url("read_connection")
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as db:
        workspace = factories.workspace(db)
        testimonial = factories.testimonial_for(db, factories.feedback(db, workspace.id))
        testimonial.status = "approved"
        token = accounts.create_api_key(db, workspace.id, "reader", Scope.READ).token
        db.commit()
        testimonial_id = testimonial.id
    engine.dispose()
    app = make_app(url, tmp_path)
    engine = database_for(app).engine
    seen: list[tuple[str, bool]] = []

    def record(conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        seen.append((statement, getattr(conn.connection.dbapi_connection, "autocommit", False)))

    sessions: list[Session] = []
    event.listen(database_for(app).sessionmaker, "after_begin", lambda s, *_: sessions.append(s))
    event.listen(engine, "before_cursor_execute", record)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    try:
        assert client.get(APPROVED, headers=headers).status_code == 200  # looks the key up
        seen[:], sessions[:] = [], []
        answer = client.get(APPROVED, headers=headers)
        checked_out = engine.pool.checkedout()
        with engine.connect() as connection:
            reused = getattr(connection.connection.dbapi_connection, "autocommit", False)
    finally:
        event.remove(engine, "before_cursor_execute", record)
        engine.dispose()

    assert answer.status_code == 200
    assert [item["id"] for item in answer.json["items"]] == [testimonial_id]
    reads = [statement for statement, _ in seen if statement != "BEGIN"]  # SQLite's own
    assert len(reads) == 2 and sessions == []  # the page, its tags; no session began
    if url.startswith("postgresql"):
        assert all(autocommit for _, autocommit in seen), seen
    assert checked_out == 0
    assert reused is False


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
