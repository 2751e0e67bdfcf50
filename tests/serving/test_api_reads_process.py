"""The API-reads entry point (`gunicorn wsgi_api_reads:app`) as deployed beside the full app:
the same bytes for the reads it serves, the same key checks, a problem+json 404 for the rest."""

from __future__ import annotations

import json
import os
import secrets
import signal
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert

from testimonials import migrate
from testimonials.accounts import services as accounts
from testimonials.accounts.models import Scope
from testimonials.curation.models import Status, testimonial_tags
from testimonials.curation.tags import create_tag
from testimonials.db import database_for
from tests import factories
from tests.conftest import make_app
from tests.serving.processes import Browser, start_gunicorn

REDIS_URL = os.environ.get("TESTIMONIALS_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
# Differ between any two answers, whichever app gives them.
PER_ANSWER_HEADERS = {"Date", "X-Request-ID"}


def test_the_api_reads_process_answers_as_the_full_app_and_nothing_else(
    empty_database_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = empty_database_url("api_reads_process")
    migrate.upgrade(url)
    setup = make_app(url, tmp_path)
    with database_for(setup).sessionmaker() as db:
        workspace = factories.workspace(db, f"Reads {secrets.token_hex(4)}")
        testimonials = []
        for n in range(3):
            item = factories.feedback(db, workspace.id, text=f"Booked in {n + 2} minutes.")
            testimonials.append(factories.testimonial_for(db, item))
            testimonials[-1].status = Status.APPROVED
        tag = create_tag(db, workspace.id, "pricing")
        db.flush()
        db.execute(
            insert(testimonial_tags), [{"testimonial_id": testimonials[0].id, "tag_id": tag.id}]
        )
        read = accounts.create_api_key(db, workspace.id, "reader", Scope.READ).token
        write = accounts.create_api_key(db, workspace.id, "writer", Scope.WRITE).token
        db.commit()
        testimonial_id, tag_id = testimonials[0].id, tag.id
    database_for(setup).engine.dispose()

    settings = {
        "TESTIMONIALS_DATABASE_URL": url,
        "TESTIMONIALS_SECRET_KEY": "api-reads-secret",
        "TESTIMONIALS_ENV": "development",
        "TESTIMONIALS_RATELIMIT_STORAGE_URL": REDIS_URL,
    }
    processes = []
    try:
        for module in ("wsgi:app", "wsgi_api_reads:app"):
            log = tmp_path / f"{module.split(':')[0]}.log"
            processes.append(start_gunicorn(module, settings, log))
        full, reads = (Browser(base_url) for _process, base_url in processes)
        key = {"Authorization": f"Bearer {read}"}

        # The reads it serves: the full app's answers to the byte, errors included.
        served = [
            ("/api/v1/testimonials?status=approved&per_page=20", key),
            ("/api/v1/testimonials?status=approved&tag=pricing", key),
            (f"/api/v1/testimonials/{testimonial_id}", key),
            ("/api/v1/testimonials/999999", key),
            ("/api/v1/testimonials?per_page=0", key),
            ("/api/v1/tags", key),
            (f"/api/v1/tags/{tag_id}", key),
            ("/api/v1/testimonials", {}),
            ("/api/v1/testimonials", {"Authorization": "Bearer tsk_not_a_key"}),
            ("/healthz", {}),
        ]
        for path, headers in served:
            expected, answer = (
                full.request(path, headers=headers),
                reads.request(path, headers=headers),
            )
            assert (answer.status, answer.text) == (expected.status, expected.text), path
            assert _lasting(answer.headers) == _lasting(expected.headers), path
        listed = json.loads(reads.request(served[0][0], headers=key).text)
        assert len(listed["items"]) == 3
        assert (
            listed["items"][0]["tags"] or listed["items"][1]["tags"] or listed["items"][2]["tags"]
        )

        # Everything else: a problem+json 404 saying where it is served, never a page.
        writer = {"Authorization": f"Bearer {write}", "Content-Type": "application/json"}
        for path, headers, body in [
            ("/inbox", {}, None),
            ("/login", {}, None),
            ("/", {}, None),
            ("/api/v1/feedback", key, None),
            ("/api/v1/openapi.json", {}, None),
            (f"/api/v1/testimonials/{testimonial_id}/approve", writer, b"{}"),
            ("/api/v1/tags", writer, b'{"name": "new"}'),
            ("/w/no-such-widget/fragment", {}, None),
        ]:
            answer = reads.request(path, headers=headers, body=body)
            assert answer.status == 404, (path, answer.text)
            assert answer.headers["Content-Type"] == "application/problem+json", path
            assert "serves only the API's reads" in json.loads(answer.text)["detail"], path
        # ...which the full app still serves.
        assert full.request(f"/api/v1/tags/{tag_id}", headers=key).status == 200
        assert full.request("/api/v1/feedback", headers=key).status == 200
    finally:
        for process, _base_url in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def _lasting(headers: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name not in PER_ANSWER_HEADERS}
