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
from testimonials.db import make_engine
from tests import factories

# Under gunicorn on PostgreSQL the bench shows ~1.47x (docs/performance.md; the target, 1.3x,
# is not met), measured here ~1.44x; on SQLite the bare app is ~10 MiB smaller (no psycopg)
# and the ratio ~1.60x. The bounds catch a module loaded eagerly again (~1 MiB is ~0.02);
# tests/api/test_shared_schemas.py guards the schemas the views share (~0.7 MiB).
MAX_RATIO = {"postgresql": 1.46, "sqlite": 1.62}
_RSS = """
import re
def rss():
    return int(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) / 1024
"""
_APP = """
import sys
from testimonials import create_app

app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "s", "ENV": "development"})
client = app.test_client()
for _ in range(20):
    answer = client.get("/api/v1/testimonials?status=approved&per_page=20",
                        headers={"Authorization": "Bearer " + sys.argv[2]})
    assert answer.status_code == 200, answer.get_data()
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


def test_a_list_serving_worker_holds_little_more_than_bare_flask_and_sqlalchemy(
    empty_database_url: Callable[[str], str],
) -> None:
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

    app, bare = _resident_mib(_APP, url, token), _resident_mib(_BARE, url)

    bound = MAX_RATIO[make_url(url).get_backend_name()]
    assert app / bare <= bound, f"{app:.1f} MiB vs {bare:.1f} MiB bare: {app / bare:.2f}x"
