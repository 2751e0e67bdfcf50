"""A worker serving the API list holds little more memory than a bare Flask + SQLAlchemy one.

Measured as bench/bench_api_read.py measures it (resident memory after serving the list),
in fresh interpreters side by side: the app serving `GET /api/v1/testimonials` and a bare
Flask app reading the same rows with SQLAlchemy Core. What a list-serving worker must not
load is listed in tests/api/test_read_path_workers.py (HEAVY_MODULES, LAZY_MODULES).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import make_url
from sqlalchemy.orm import Session

from testimonials import migrate
from testimonials.accounts import services as accounts
from testimonials.accounts.models import Scope
from testimonials.app import API_READS, EVERYTHING
from testimonials.db import make_engine
from tests import factories

# Under gunicorn on PostgreSQL the bench shows ~1.47x (docs/performance.md; the target, 1.3x,
# is not met), measured here ~1.44x; on SQLite the bare app is ~10 MiB smaller (no psycopg)
# and the ratio ~1.60x. The bounds catch a module loaded eagerly again (~1 MiB is ~0.02);
# tests/api/test_shared_schemas.py guards the schemas the views share (~0.7 MiB).
MAX_RATIO = {"postgresql": 1.46, "sqlite": 1.62}
# A worker of the API-reads entry point (`wsgi_api_reads:app`): no dashboard, forms, sign-in,
# CLI or other features: here ~1.26x on PostgreSQL, ~1.38x on SQLite; under gunicorn on
# PostgreSQL the bench shows ~1.27x (docs/performance.md).
MAX_API_READS_RATIO = {"postgresql": 1.30, "sqlite": 1.42}
# What such a worker must not import: the dashboard's sign-in and forms, the CLI, pages and
# the features it does not serve.
NOT_IN_API_READS = (
    "flask_login",
    "flask_wtf",
    "wtforms",
    "testimonials.cli",
    "testimonials.csrf",
    "testimonials.accounts.auth",
    "testimonials.accounts.pages",
    "testimonials.curation.pages",
    "testimonials.curation.receivers",
    "testimonials.harvest.views",
    "testimonials.privacy.views",
    "testimonials.widgets.public",
    "testimonials.tracking.models",
    "testimonials.report.models",
)
_RSS = """
import re
def rss():
    return int(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) / 1024
"""
_APP = """
import sys
from testimonials import create_app

app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "s", "ENV": "development"},
                 serves=sys.argv[3])
client = app.test_client()
for _ in range(20):
    answer = client.get("/api/v1/testimonials?status=approved&per_page=20",
                        headers={"Authorization": "Bearer " + sys.argv[2]})
    assert answer.status_code == 200, answer.get_data()
loaded = [name for name in sys.argv[4:] if name in sys.modules]
assert not loaded, f"loaded: {loaded}"
print(rss())
"""
_BARE = """
import json, sys
from flask import Flask, Response
from sqlalchemy import create_engine, text

engine = create_engine(sys.argv[1])
app = Flask(__name__)
ROWS = text("SELECT t.*, i.* FROM testimonials t JOIN feedback_items i ON i.id = t.item_id"
            " WHERE t.status = 'approved' ORDER BY t.rank_score DESC, t.id LIMIT 20")

@app.get("/api/v1/testimonials")
def testimonials():
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(ROWS)]
    return Response(json.dumps({"items": rows}, default=str), mimetype="application/json")

client = app.test_client()
for _ in range(20):
    assert client.get("/api/v1/testimonials").status_code == 200
print(rss())
"""


def _resident_mib(program: str, *args: str) -> float:
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_RSS + program), *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return float(run.stdout.split()[-1])


def _seeded(empty_database_url: Callable[[str], str]) -> tuple[str, str]:
    """A database with 20 approved testimonials; (its URL, a read key)."""
    url = empty_database_url("worker_memory")
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as db:
        workspace = factories.workspace(db)
        for n in range(20):
            item = factories.feedback(db, workspace.id, text=f"Booked in {n + 2} minutes.")
            factories.testimonial_for(db, item).status = "approved"
        token = accounts.create_api_key(db, workspace.id, "reader", Scope.READ).token
        db.commit()
    engine.dispose()
    return url, token


def test_a_list_serving_worker_holds_little_more_than_bare_flask_and_sqlalchemy(
    empty_database_url: Callable[[str], str],
) -> None:
    url, token = _seeded(empty_database_url)

    app, bare = _resident_mib(_APP, url, token, EVERYTHING), _resident_mib(_BARE, url)

    bound = MAX_RATIO[make_url(url).get_backend_name()]
    assert app / bare <= bound, f"{app:.1f} MiB vs {bare:.1f} MiB bare: {app / bare:.2f}x"


def test_an_api_reads_worker_loads_only_what_the_reads_need(
    empty_database_url: Callable[[str], str],
) -> None:
    url, token = _seeded(empty_database_url)

    app = _resident_mib(_APP, url, token, API_READS, *NOT_IN_API_READS)
    bare = _resident_mib(_BARE, url)

    bound = MAX_API_READS_RATIO[make_url(url).get_backend_name()]
    assert app / bare <= bound, f"{app:.1f} MiB vs {bare:.1f} MiB bare: {app / bare:.2f}x"
