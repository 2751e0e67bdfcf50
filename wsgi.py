"""WSGI entry point for production servers: `gunicorn wsgi:app`.

Production mode is the default here, so a missing TESTIMONIALS_SECRET_KEY stops start-up;
set TESTIMONIALS_ENV=development to run without one.
"""

import os

from testimonials import create_app

os.environ.setdefault("TESTIMONIALS_ENV", "production")
app = create_app()
