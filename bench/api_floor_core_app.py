"""The API read bench's floor: bare Flask + SQLAlchemy Core reading the same 20 rows and
their tags as the app's list endpoint, as JSON (bench/bench_api_read.py serves it).

What any database-backed endpoint must at least do for these rows. Reads BENCH_DATABASE_URL
and BENCH_WORKSPACE_ID.
"""

import json
import os

from flask import Flask, Response
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["BENCH_DATABASE_URL"])
app = Flask(__name__)
ROWS = text(
    "SELECT t.id, t.status, t.rank_score, t.excerpt, i.suggested_excerpt, i.text,"
    " i.title, i.language, i.specificity, i.suspicion, i.rating, i.nps_score,"
    " i.author_name, i.author_role, i.author_company, i.score_reasons, i.channel,"
    " i.source_name, i.consent_state, i.verified, i.verified_by, t.display_name,"
    " t.display_role, t.display_company, t.decided_at, t.updated_at"
    " FROM testimonials t JOIN feedback_items i ON i.id = t.item_id"
    " WHERE t.workspace_id = :ws AND t.status = 'approved'"
    " ORDER BY t.rank_score DESC, t.id LIMIT 20"
)
TAGS = text(
    "SELECT tt.testimonial_id, g.id, g.name FROM testimonial_tags tt"
    " JOIN tags g ON g.id = tt.tag_id WHERE tt.testimonial_id = ANY(:ids)"
)
WORKSPACE = int(os.environ["BENCH_WORKSPACE_ID"])


@app.get("/api/v1/testimonials")
def testimonials():
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(ROWS, {"ws": WORKSPACE})]
        tags = {}
        for tid, gid, name in connection.execute(TAGS, {"ids": [r["id"] for r in rows]}):
            tags.setdefault(tid, []).append({"id": gid, "name": name})
    for row in rows:
        row["tags"] = tags.get(row["id"], [])
        row["updated_at"] = row["updated_at"].isoformat()
        row["decided_at"] = row["decided_at"] and row["decided_at"].isoformat()
    body = json.dumps({"items": rows, "total": len(rows), "page": 1, "per_page": 20})
    return Response(body, mimetype="application/json")
