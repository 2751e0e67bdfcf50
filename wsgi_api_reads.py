"""WSGI entry point serving only the API's reads: `gunicorn wsgi_api_reads:app`.

For a separate pool of workers behind the same load balancer as `wsgi:app` (which stays the
full app): route `GET /api/v1/testimonials…` and `GET /api/v1/tags…` here, everything else
there (docs/operations.md). Its workers import no dashboard, forms, sign-in, CLI or other
features, so each holds less memory. Settings, production mode and TESTIMONIALS_SECRET_KEY
are as for `wsgi.py`.
"""

import os

from testimonials import create_app
from testimonials.app import API_READS

os.environ.setdefault("TESTIMONIALS_ENV", "production")
app = create_app(serves=API_READS)
