"""Logging the app configures for itself: level and format from settings, a line per request.

Every request gets an id (a proxy's `X-Request-ID` when it sent a sane one, else a new one),
echoed in the response's `X-Request-ID` and attached to every log line written while the
request runs, so an operator can follow one request from the proxy's log to a traceback.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

LOGGER_NAME = "testimonials"
REQUEST_ID_HEADER = "X-Request-ID"
# Health checks arrive every few seconds from a load balancer: logged at DEBUG only.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})
# An incoming id is kept only if it is short and plain, so it cannot forge log lines.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Attributes every LogRecord has; anything else was passed as `extra` and is logged too.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

requests_log = logging.getLogger(f"{LOGGER_NAME}.requests")


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is logged (test runners swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


class _RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record logged during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(
            (key, value)
            for key, value in vars(record).items()
            if key not in _RECORD_ATTRIBUTES and value is not None
        )
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """A readable line for a terminal, with the request id when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"{text} [request {request_id}]" if request_id else text


def configure_logging(config: Mapping[str, Any]) -> None:
    """Send the app's logs to standard error at LOG_LEVEL, as JSON lines or text."""
    handler = _CurrentStderr()
    handler.set_name(LOGGER_NAME)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(JsonLineFormatter() if config["LOG_FORMAT"] == "json" else TextFormatter())
    logger = logging.getLogger(LOGGER_NAME)
    # Another app built in this process (tests, a CLI command) replaces ours, never doubles it.
    for old in [h for h in logger.handlers if h.get_name() == LOGGER_NAME]:
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(config["LOG_LEVEL"])
    logger.propagate = False


def init_app(app: Flask) -> None:
    """Give each request an id and log one line for it when its response is finished."""
    app.before_request(_start_request)
    app.after_request(_log_when_finished)


def _start_request() -> None:
    g.request_started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _log_when_finished(response: Response) -> Response:
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started", time.perf_counter())
    fields = {
        "method": request.method,
        "path": _loggable_path(),
        "status": response.status_code,
        "request_id": request_id,
    }
    if response.status_code >= 500:
        level = logging.ERROR
    elif request.path in QUIET_PATHS:
        level = logging.DEBUG
    else:
        level = logging.INFO

    # Logged when the server has sent the whole body, so streamed downloads count in full.
    def log_line() -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        requests_log.log(
            level,
            "%s %s %s %sms",
            fields["method"],
            fields["path"],
            fields["status"],
            duration_ms,
            extra={**fields, "duration_ms": duration_ms},
        )

    response.call_on_close(log_line)
    return response


def _loggable_path() -> str:
    """The path, with secrets that travel in URLs (webhook and survey tokens) masked."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if "token" in name and isinstance(value, str) and value:
            path = path.replace(value, "***")
    return path
