"""Two app processes (gunicorn, as deployed) on one database and one Redis behave as one:
rate limits, widget caches and duplicate detection agree whichever process answers."""

from __future__ import annotations

import json
import os
import secrets
import signal
from collections.abc import Callable, Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis

from testimonials import migrate
from testimonials.accounts import services as accounts
from testimonials.accounts.models import Actor, Role, Scope
from testimonials.curation import services as curation
from testimonials.db import database_for
from testimonials.harvest.models import ConsentState
from tests import factories
from tests.conftest import csrf_token, make_app
from tests.serving.processes import Browser, start_gunicorn

REDIS_URL = os.environ.get("TESTIMONIALS_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
QUOTE = "Withdrawn later: the reminders Dana set up cut our no-shows by 30% in a month."
REVIEW = (
    "Priya from support walked our team through the CSV import of 3,000 customer records "
    "in under an hour, and the weekly report now takes us ten minutes instead of two hours."
)
TEMPLATED = REVIEW.replace("Priya", "Tom").replace("ten minutes", "ten minutes!")


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(
            f"Redis at {REDIS_URL} does not answer ({error}); set TESTIMONIALS_TEST_REDIS_URL"
        )
    yield client
    client.close()


def test_two_processes_share_limits_caches_and_duplicates(
    empty_database_url: Callable[[str], str], redis_client: redis.Redis, tmp_path: Path
) -> None:
    url = empty_database_url("two_processes")
    migrate.upgrade(url)
    setup = make_app(url, tmp_path)
    with database_for(setup).sessionmaker() as db:
        workspace = factories.workspace(db, f"Shared {secrets.token_hex(4)}")
        owner = factories.user(db, workspace, Role.OWNER)
        token = accounts.create_api_key(db, workspace.id, "write", Scope.WRITE).token
        item = factories.feedback(db, workspace.id, QUOTE, consent=ConsentState.GRANTED)
        curation.approve(db, factories.testimonial_for(db, item), Actor(user_id=owner.id))
        db.commit()
        workspace_id, item_id = workspace.id, item.id
    database_for(setup).engine.dispose()

    settings = {
        "TESTIMONIALS_DATABASE_URL": url,
        "TESTIMONIALS_SECRET_KEY": "two-processes-secret",
        "TESTIMONIALS_ENV": "development",
        "TESTIMONIALS_RATELIMIT_STORAGE_URL": REDIS_URL,
        "TESTIMONIALS_WIDGET_CACHE_URL": REDIS_URL,
        "TESTIMONIALS_LOGIN_RATE_LIMIT": "3 per minute",
    }
    processes = []
    try:
        for n in range(2):
            process, base_url = start_gunicorn("wsgi:app", settings, tmp_path / f"web{n}.log")
            processes.append((process, base_url))
        jar = CookieJar()  # one visitor, whose requests a load balancer spreads over both
        web = [Browser(base_url, jar) for _process, base_url in processes]
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

        # Rate limits: sign-in attempts counted once, whichever process answers.
        email = f"guess-{secrets.token_hex(4)}@shared.example"
        statuses = []
        for attempt in range(5):
            process = web[attempt % 2]
            page = process.request("/login").text
            form = {"email": email, "password": "wrong password!", "csrf_token": csrf_token(page)}
            statuses.append(process.request("/login", form).status)
        assert statuses == [400, 400, 400, 429, 429]

        # Caches: both render the widget; a withdrawal through one empties the other's at once.
        created = _post_json(web[0], "/api/v1/widgets", {"name": "Home", "kind": "wall"}, auth)
        key = created["public_key"]
        for process in web:
            assert "cut our no-shows" in process.request(f"/w/{key}/fragment").text
        version = f"testimonials:widgets:version:{workspace_id}"
        before = int(redis_client.get(version) or 0)
        withdrawn = web[0].request(
            f"/api/v1/feedback/{item_id}/revoke-consent", headers=auth, body=b"{}"
        )
        assert withdrawn.status == 200, withdrawn.text
        assert int(redis_client.get(version) or 0) > before
        assert "cut our no-shows" not in web[1].request(f"/w/{key}/fragment").text

        # Duplicates: what one process stored, the other recognises.
        first = _post_json(web[0], "/api/v1/responses", {"comment": REVIEW, "rating": 5}, auth)
        near = _post_json(web[1], "/api/v1/responses", {"comment": TEMPLATED, "rating": 5}, auth)
        exact = _post_json(web[0], "/api/v1/responses", {"comment": TEMPLATED, "rating": 4}, auth)
        assert "near_duplicate" not in _codes(first) and "exact_duplicate" not in _codes(first)
        assert "near_duplicate" in _codes(near)
        assert "exact_duplicate" in _codes(exact)
    finally:
        for process, _base_url in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def _post_json(web: Browser, path: str, body: dict, headers: dict[str, str]) -> dict:
    answer = web.request(path, headers=headers, body=json.dumps(body).encode())
    assert answer.status in (200, 201), answer.text
    return json.loads(answer.text)


def _codes(item: dict) -> set[str]:
    return {reason["code"] for reason in item.get("reasons") or []}
