"""The baseline for bench_ingest.py: a bare endpoint that COPYs each beacon's batch as it is.

No validation, no visitor unit, no caps, no idempotency: `json.loads` of the body, one COPY
of its events into `tracking_events` and a commit, per request, on a connection per
thread. Served by gunicorn with the same settings as the real app. BENCH_DATABASE_URL is
a libpq URL; BENCH_EXPERIMENT_ID and BENCH_WORKSPACE_ID say whose events these are.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime

import psycopg
from flask import Flask, Response, request

DATABASE_URL = os.environ["BENCH_DATABASE_URL"]
EXPERIMENT_ID = int(os.environ["BENCH_EXPERIMENT_ID"])
WORKSPACE_ID = int(os.environ["BENCH_WORKSPACE_ID"])
COLUMNS = "day, workspace_id, experiment_id, client_event_id, kind, unit_key, arm, received_at"
app = Flask(__name__)
_local = threading.local()


def _connection() -> psycopg.Connection:
    if getattr(_local, "connection", None) is None:
        _local.connection = psycopg.connect(DATABASE_URL)
    return _local.connection


@app.post("/api/v1/track/events")
def events() -> Response:
    """One COPY of the batch, one commit."""
    beacon = json.loads(request.get_data())
    now = datetime.now(UTC)
    connection = _connection()
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY tracking_events ({COLUMNS}) FROM STDIN") as copy,
    ):
        for event in beacon["events"]:
            row = (now.date(), WORKSPACE_ID, EXPERIMENT_ID, event["id"], event["type"])
            copy.write_row((*row, "0" * 32, "treatment", now))
    connection.commit()
    count = len(beacon["events"])
    return Response(json.dumps({"accepted": count, "duplicates": 0}), mimetype="application/json")
