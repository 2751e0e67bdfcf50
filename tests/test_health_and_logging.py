"""What an operator relies on: health endpoints and one structured log line per request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from testimonials.config import ConfigError, load_config
from tests.conftest import make_app
from tests.serving.processes import free_port


def unreachable_database_url(database_url: str, tmp_path: Path) -> str:
    """A URL of the dialect under test where no database answers."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}"
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere"


def test_readiness_checks_the_database(app: Flask) -> None:
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "checks": {"database": "ok"}}


def test_without_a_database_the_app_is_alive_but_not_ready(
    database_url: str, tmp_path: Path
) -> None:
    app = make_app(unreachable_database_url(database_url, tmp_path), tmp_path)
    client = app.test_client()
    alive = client.get("/healthz")
    assert alive.status_code == 200 and alive.json == {"status": "ok"}

    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.mimetype == "application/problem+json"
    assert ready.json["status"] == 503
    assert "database cannot be reached" in ready.json["detail"]
    assert ready.headers["Retry-After"] == "5"


def test_health_endpoints_answer_other_methods_with_a_problem(app: Flask) -> None:
    response = app.test_client().post("/healthz")
    assert response.status_code == 405 and response.mimetype == "application/problem+json"


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_each_request_is_one_json_line_with_its_request_id(
    app_factory, capsys: pytest.CaptureFixture[str]
) -> None:
    client = app_factory(LOG_FORMAT="json", LOG_LEVEL="INFO").test_client()
    with client.get("/login") as response:
        request_id = response.headers["X-Request-ID"]
    with client.get("/api/v1/feedback", headers={"X-Request-ID": "lb-7f3a.42"}) as refused:
        assert refused.headers["X-Request-ID"] == "lb-7f3a.42"
    # A forged id (a newline could fake a log line) is replaced, not logged.
    with client.get("/login", headers={"X-Request-ID": 'x" \\n{"level": "INFO"'}) as forged:
        assert forged.headers["X-Request-ID"] != 'x" \\n{"level": "INFO"'

    lines = [line for line in json_lines(capsys.readouterr().err) if "status" in line]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", "/login", 200),
        ("GET", "/api/v1/feedback", 401),
        ("GET", "/login", 200),
    ]
    first = lines[0]
    assert first["request_id"] == request_id
    assert first["level"] == "INFO" and first["logger"] == "testimonials.requests"
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["time"].endswith("+00:00")
    assert lines[1]["request_id"] == "lb-7f3a.42"
    assert lines[2]["request_id"] == forged.headers["X-Request-ID"]


def test_secret_tokens_in_urls_are_masked_in_the_log(
    app_factory, capsys: pytest.CaptureFixture[str]
) -> None:
    client = app_factory(LOG_FORMAT="json").test_client()
    with client.post("/hooks/whk_secret-part-of-the-url", data="{}") as response:
        assert response.status_code == 404
    (line,) = [line for line in json_lines(capsys.readouterr().err) if "status" in line]
    assert line["path"] == "/hooks/***"


def test_a_crash_is_logged_once_with_its_traceback_and_request_id(
    app_factory, capsys: pytest.CaptureFixture[str]
) -> None:
    app = app_factory(LOG_FORMAT="json", TESTING=False)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("the disk is on fire")

    with app.test_client().get("/api/v1/boom") as response:
        assert response.status_code == 500
        assert "disk" not in response.text  # the visitor gets no internals
    lines = json_lines(capsys.readouterr().err)
    (crash,) = [line for line in lines if "exception" in line]
    (request_line,) = [line for line in lines if line.get("status") == 500]
    assert "RuntimeError: the disk is on fire" in crash["exception"]
    assert crash["level"] == "ERROR"
    assert crash["request_id"] == request_line["request_id"] == response.headers["X-Request-ID"]


def test_log_level_decides_what_is_written(app_factory, capsys: pytest.CaptureFixture[str]) -> None:
    client = app_factory(LOG_FORMAT="text", LOG_LEVEL="INFO").test_client()
    with client.get("/healthz"), client.get("/login"):
        pass
    written = capsys.readouterr().err
    # Load balancers poll health every few seconds: only DEBUG shows those.
    assert "GET /login 200" in written and "/healthz" not in written
    assert "[request " in written

    client = app_factory(LOG_FORMAT="text", LOG_LEVEL="DEBUG").test_client()
    with client.get("/healthz"):
        pass
    assert "GET /healthz 200" in capsys.readouterr().err

    client = app_factory(LOG_FORMAT="text", LOG_LEVEL="WARNING").test_client()
    with client.get("/login"):
        pass
    assert "GET /login" not in capsys.readouterr().err


def test_logging_settings_come_from_the_environment(tmp_path: Path) -> None:
    config = load_config(tmp_path, environ={"TESTIMONIALS_LOG_LEVEL": "debug"})
    assert config["LOG_LEVEL"] == "DEBUG" and config["LOG_FORMAT"] == "text"
    production = {"TESTIMONIALS_ENV": "production", "TESTIMONIALS_SECRET_KEY": "s" * 40}
    assert load_config(tmp_path, environ=production)["LOG_FORMAT"] == "json"
    with pytest.raises(ConfigError, match="TESTIMONIALS_LOG_LEVEL='chatty'"):
        load_config(tmp_path, environ={"TESTIMONIALS_LOG_LEVEL": "chatty"})
    with pytest.raises(ConfigError, match="TESTIMONIALS_LOG_FORMAT"):
        load_config(tmp_path, environ={"TESTIMONIALS_LOG_FORMAT": "xml"})
