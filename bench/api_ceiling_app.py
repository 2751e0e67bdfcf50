"""The API read bench's ceiling: bare Flask answering the app's own response bytes from
memory (BENCH_BODY_FILE; bench/bench_api_read.py writes it from the app's answer).
"""

import os
from pathlib import Path

from flask import Flask, Response

BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()
app = Flask(__name__)


@app.get("/api/v1/testimonials")
def testimonials():
    return Response(BODY, mimetype="application/json")
