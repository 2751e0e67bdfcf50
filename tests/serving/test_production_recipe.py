"""docs/operations.md's first deployment, run verbatim: fresh virtual environment, PostgreSQL,
Redis, `db upgrade`, first user, gunicorn with several workers; then the server answers.

It installs the package from PyPI into a new virtual environment (about a minute), so it runs
in CI's PostgreSQL pass (TESTIMONIALS_TEST_DATABASE_URL set) and is skipped on SQLite.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from tests.conftest import csrf_token
from tests.serving.processes import clean_environment, free_port, wait_until_answering

pytestmark = pytest.mark.production

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
REDIS_URL = os.environ.get("TESTIMONIALS_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
OWNER_EMAIL = "you@company.example"
NOT_COPIED = (".venv", ".git", "instance", "__pycache__", "*.egg-info", "build", "dist")
NOT_COPIED += (".pytest_cache", ".ruff_cache", "test-artifacts")


def first_deployment_blocks() -> tuple[str, str]:
    """The two shell blocks of "First deployment": the environment, then the commands."""
    section = OPERATIONS.read_text().split("## First deployment", 1)[1].split("\n## ", 1)[0]
    environment, commands = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return environment, commands


def exported_names(block: str) -> set[str]:
    lines = block.strip().splitlines()
    assert all(line.startswith("export ") for line in lines), "only settings belong here"
    return {line.removeprefix("export ").split("=", 1)[0] for line in lines}


class ProxiedVisitor:
    """A visitor reaching the app over HTTPS through one proxy (hence X-Forwarded-*)."""

    def __init__(self, port: int, address: str) -> None:
        self.port, self.address = port, address
        # Cookies are Secure in production; the proxy would carry them over its own TLS.
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple:
        headers = {
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{self.port}/login",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode()
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        return answer.status, answer.headers, text

    def sign_in(self, email: str, password: str) -> tuple:
        _status, _headers, page = self.request("GET", "/login")
        form = {"email": email, "password": password, "csrf_token": csrf_token(page)}
        return self.request("POST", "/login", form)


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(
            f"Redis at {REDIS_URL} does not answer ({error}); start it or set "
            "TESTIMONIALS_TEST_REDIS_URL"
        )
    yield client
    client.close()


def test_first_deployment_as_written_serves_on_postgresql_and_redis(
    base_database_url: str | None,
    empty_database_url: Callable[[str], str],
    redis_db: redis.Redis,
    tmp_path: Path,
) -> None:
    if base_database_url is None:
        pytest.skip("runs in the PostgreSQL pass (set TESTIMONIALS_TEST_DATABASE_URL)")
    environment_block, commands = first_deployment_blocks()
    port = free_port()
    password = secrets.token_urlsafe(12)
    settings = {
        "TESTIMONIALS_DATABASE_URL": empty_database_url("production"),
        "TESTIMONIALS_SECRET_KEY": secrets.token_urlsafe(48),
        "TESTIMONIALS_RATELIMIT_STORAGE_URL": REDIS_URL,
        "TESTIMONIALS_WIDGET_CACHE_URL": REDIS_URL,
        "TESTIMONIALS_PROXY_HOPS": "1",
        "PORT": str(port),
    }
    # The test gives every setting the doc asks the operator for, and nothing else...
    assert exported_names(environment_block) == set(settings)
    # ...except the first password, which an operator types at the prompt.
    environment = clean_environment(**settings, TESTIMONIALS_NEW_USER_PASSWORD=password)

    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(*NOT_COPIED))
    log = tmp_path / "deploy.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", commands],
            cwd=checkout,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so the whole group (bash, gunicorn, workers) stops
        )
    try:
        status = wait_until_answering(f"http://127.0.0.1:{port}/healthz", process, log, 600)
        assert status == 200
        visitor = ProxiedVisitor(port, "203.0.113.10")
        ready_status, _headers, ready = visitor.request("GET", "/readyz")
        assert ready_status == 200 and json.loads(ready)["checks"] == {"database": "ok"}

        # The first user made by the recipe signs in and reaches the inbox.
        status, headers, _ = visitor.sign_in(OWNER_EMAIL, password)
        # Signed in: home, which opens the inbox or, for an empty workspace, the checklist.
        assert status == 302 and headers["Location"] == "/", (status, dict(headers))
        status, _headers, inbox = visitor.request("GET", "/inbox")
        assert status == 200 and "Your Company" in inbox

        # Sign-in limits are counted in Redis, per visitor, whichever worker answers.
        stranger = ProxiedVisitor(port, f"198.51.100.{secrets.randbelow(250) + 1}")
        attempts = [
            stranger.sign_in(f"guess{n}@company.example", "wrong password!")[0] for n in range(11)
        ]
        assert attempts == [400] * 10 + [429]
        assert list(redis_db.scan_iter(match=f"*{stranger.address}*")), "no counter in Redis"
        # Other visitors are unaffected.
        assert ProxiedVisitor(port, visitor.address).sign_in(OWNER_EMAIL, password)[0] == 302
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)

    output = log.read_text()
    workers = set(re.findall(r"Booting worker with pid: (\d+)", output))
    assert len(workers) >= 2, output[-3000:]
    request_lines = [json.loads(line) for line in output.splitlines() if line.startswith('{"time"')]
    signed_in = [
        line for line in request_lines if line.get("path") == "/login" and line["status"] == 302
    ]
    assert signed_in and signed_in[0]["method"] == "POST" and signed_in[0]["request_id"]
