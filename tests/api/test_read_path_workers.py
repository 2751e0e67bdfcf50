"""The API's hot read path as a served worker meets it: lean imports, no transaction, own pool."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from testimonials import migrate
from testimonials.accounts import services as accounts
from testimonials.accounts.models import Scope
from testimonials.db import database_for, make_engine
from tests import factories
from tests.api.curation_helpers import APPROVED
from tests.conftest import make_app

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


# What the models themselves stand on, beside the feature packages and their `models`.
_MODEL_FOUNDATIONS = {
    "testimonials.bulk_insert",
    "testimonials.config",
    "testimonials.db",
    "testimonials.errors",
    "testimonials.harvest.grams",
    "testimonials.harvest.near_duplicates",
    "testimonials.planner_statistics",  # the engine keeps SQLite's statistics (db.make_engine)
}


def test_importing_every_model_loads_no_feature_web_layer() -> None:
    """Alembic, jobs and import workers import the models without building the app."""
    root = Path(__file__).resolve().parents[2]
    program = (
        "import sys, testimonials.models\n"
        "print(' '.join(n for n in sys.modules if n.startswith('testimonials')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=root,
        check=True,
    )
    beyond_models = [
        name
        for name in run.stdout.split()
        if not name.endswith(".models")
        and name not in _MODEL_FOUNDATIONS
        and not root.joinpath(*name.split("."), "__init__.py").exists()  # a package
    ]
    assert beyond_models == [], beyond_models
