"""The baseline for bench_widgets.py: a bare Flask app returning the same bytes from memory.

Served by gunicorn with the same settings as the real app; BENCH_BODY_FILE names the file
holding the body (read once at start-up) and BENCH_BODY_TYPE its media type.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()
MIMETYPE = os.environ.get("BENCH_BODY_TYPE", "application/json")
app = Flask(__name__)


@app.get("/w/<key>/slot.json")
def slot(key: str) -> Response:
    """The same bytes, straight from memory."""
    return Response(BODY, mimetype=MIMETYPE)
