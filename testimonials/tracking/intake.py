"""The beacon endpoint's hot path: from a request's bytes to acknowledged events, quickly.

`POST /api/v1/track/events` is the one endpoint every page view of every customer's site
calls, several times. A valid beacon is answered by `BeaconFastPath`, a WSGI layer in
front of Flask that does only what the beacon needs: read the body (beacons.py), find the
running experiment, derive the visitor-day unit, apply the per-address and per-unit caps,
and hand the rows to the process's group-commit writer (writer.py). Everything else (bad
JSON, a number sent as a string, any other path) goes on to the Flask view, which loads
the beacon with the schema and calls the same `EventIntake.accept`.

What is cached here is only ever a copy of what the database holds: a running
experiment's frozen settings (for EXPERIMENT_CACHE_SECONDS; a stop takes effect within
that time) and today's salt (made once a day, the same for every process). Rate-limit
counters live in the limiter's storage (Redis in production), shared by all processes.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from flask import Flask
from limits import RateLimitItem, parse
from limits.storage import RedisStorage

from testimonials.config import settings_for
from testimonials.db import database_for
from testimonials.errors import NotFoundError, ServiceError
from testimonials.extensions import limiter
from testimonials.problems import problem_response
from testimonials.request_log import requests_log
from testimonials.security_headers import MACHINE
from testimonials.tracking import experiments as service
from testimonials.tracking.events import BeaconReceipt, beacon_rows, refuse_unless_running
from testimonials.tracking.visitor import day_salt, visitor_of_day
from testimonials.tracking.writer import EventWriter

EVENTS_PATH = "/api/v1/track/events"
MAX_BEACON_BYTES = 16 * 1024
# Slot requests and beacons per client address; a page view sends a handful of each.
TRACKING_RATE_LIMIT = "120 per minute"
EXPERIMENT_CACHE_SECONDS = 5.0
EXTENSION_KEY = "tracking.intake"


class TooManyEventsError(ServiceError):
    """A client address or a visitor-day unit sent more than its cap; nothing was stored."""

    status = 429
    title = "Too many requests"


@dataclass(frozen=True)
class RunningExperiment:
    """The frozen settings of a running experiment: all that recording its events needs."""

    id: int
    workspace_id: int
    key: str
    holdout_share: float


@dataclass(frozen=True)
class Client:
    """What a beacon request says about its sender (the address is used, never kept)."""

    ip: str
    user_agent: str
    accept_language: str
    privacy_signal: bool


class EventIntake:
    """Accepts beacons for one app: caches, caps and the writer of its events."""

    def __init__(self, app: Flask) -> None:
        settings = settings_for(app)
        self._sessionmaker = database_for(app).sessionmaker
        self._writer = EventWriter(
            self._sessionmaker, grouped=settings.database_url.startswith("postgresql")
        )
        self._unit_cap: RateLimitItem | None = (
            parse(settings.tracking_unit_event_limit)
            if settings.tracking_unit_event_limit
            else None
        )
        self._address_cap = parse(TRACKING_RATE_LIMIT)
        self._experiments: dict[str, tuple[float, RunningExperiment]] = {}
        self._salt: tuple[date, str] | None = None
        self._lock = threading.Lock()

    def accept(self, beacon: dict[str, Any], client: Client) -> BeaconReceipt:
        """Store a validated beacon's events for the client's unit; 404/409/429/503 else."""
        experiment = self._running_experiment(beacon["experiment"])
        now = datetime.now(UTC)
        visitor = visitor_of_day(
            now.date(),
            self._salt_of(now.date()),
            experiment.workspace_id,
            ip=client.ip,
            user_agent=client.user_agent,
            accept_language=client.accept_language,
            privacy_signal=client.privacy_signal,
            automated_hint=beacon["webdriver"],
        )
        events = beacon["events"]
        caps: list[tuple[RateLimitItem, str, str, int]] = []
        if limiter.enabled:  # the app-wide switch of per-address limits
            caps.append((self._address_cap, "address", client.ip, 1))
        if self._unit_cap is not None:
            unit = f"{experiment.id}/{visitor.unit_key}"
            caps.append((self._unit_cap, "visitor", unit, len(events)))
        _count_against(caps)
        stored = self._writer.store(beacon_rows(experiment, visitor, events))
        return BeaconReceipt(accepted=stored, duplicates=len(events) - stored)

    def _running_experiment(self, public_key: str) -> RunningExperiment:
        cached = self._experiments.get(public_key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        with self._sessionmaker() as session:
            experiment = service.experiment_by_public_key(session, public_key)
            if experiment is None:
                raise NotFoundError("No such experiment.")
            refuse_unless_running(experiment.status)
            running = RunningExperiment(
                experiment.id, experiment.workspace_id, experiment.key, experiment.holdout_share
            )
        # Only running experiments are cached: a draft that starts is seen at once.
        self._experiments[public_key] = (time.monotonic() + EXPERIMENT_CACHE_SECONDS, running)
        if len(self._experiments) > 10_000:
            self._experiments.clear()  # keys sent by anyone must not grow memory forever
        return running

    def _salt_of(self, day: date) -> str:
        cached = self._salt
        if cached is not None and cached[0] == day:
            return cached[1]
        with self._lock, self._sessionmaker() as session:
            salt = day_salt(session, day)
            session.commit()
        self._salt = (day, salt)
        return salt


def _count_against(caps: list[tuple[RateLimitItem, str, str, int]]) -> None:
    """Count each cost against its fixed-window cap (one Redis round trip); 429 past any."""
    storage = limiter.storage
    keys = [(cap, cap.key_for("tracking-events", scope, who)) for cap, scope, who, _ in caps]
    if isinstance(storage, RedisStorage):
        pipeline = cast(Any, storage.get_connection()).pipeline(transaction=False)
        for (cap, key), (_, _, _, cost) in zip(keys, caps, strict=True):
            arguments = [cap.get_expiry(), cost]
            storage.lua_incr_expire([storage.prefixed_key(key)], arguments, client=pipeline)
        counts = [int(count) for count in pipeline.execute()]
    else:
        counts = [
            storage.incr(key, cap.get_expiry(), amount=cost)
            for (cap, key), (_, _, _, cost) in zip(keys, caps, strict=True)
        ]
    for (cap, scope, _, _), count in zip(caps, counts, strict=True):
        if count > cap.amount:
            raise TooManyEventsError(
                f"More than {cap} {'beacons' if scope == 'address' else 'events'} from this "
                f"{scope}; these events were not recorded. Send fewer, or later."
            )


def event_intake(app: Flask) -> EventIntake:
    """The app's intake (made by tracking.init_app)."""
    return app.extensions[EXTENSION_KEY]


def client_of(environ: dict[str, Any]) -> Client:
    """The sender of a WSGI request (after ProxyFix, when the app sits behind proxies)."""
    return Client(
        ip=environ.get("REMOTE_ADDR") or "",
        user_agent=environ.get("HTTP_USER_AGENT", ""),
        accept_language=environ.get("HTTP_ACCEPT_LANGUAGE", ""),
        privacy_signal=environ.get("HTTP_SEC_GPC") == "1" or environ.get("HTTP_DNT") == "1",
    )


def public_headers(production: bool) -> dict[str, str]:
    """Headers of a beacon answer: per visitor, never cached, readable from any page."""
    return {
        **MACHINE.headers(production),
        "Cache-Control": "no-store",
        "Access-Control-Allow-Origin": "*",
    }


class BeaconFastPath:
    """WSGI layer answering valid beacons without the rest of the app (see module doc)."""

    def __init__(self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._next = wsgi_app
        self._headers = list(public_headers(settings_for(app).production).items())

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") != EVENTS_PATH or environ.get("REQUEST_METHOD") != "POST":
            return self._next(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or -1)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BEACON_BYTES:
            return self._next(environ, start_response)  # the view words the refusal
        raw = environ["wsgi.input"].read(length)
        # msgspec loads with the first beacon: a worker that serves none never carries it.
        from testimonials.tracking.beacons import read_valid_beacon

        beacon = read_valid_beacon(raw)
        if beacon is None:
            environ["wsgi.input"] = io.BytesIO(raw)
            return self._next(environ, start_response)
        try:
            receipt = event_intake(self._app).accept(beacon, client_of(environ))
        except ServiceError as error:
            # Accepted beacons are not logged one by one (thousands a second); refusals are.
            requests_log.info("POST %s %s %s", EVENTS_PATH, error.status, error.detail)
            response = problem_response(error.status, error.detail, error.title, error.errors)
            response.headers.update(self._headers)
            return response(environ, start_response)
        body = json.dumps({"accepted": receipt.accepted, "duplicates": receipt.duplicates})
        payload = body.encode()
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(payload))),
                *self._headers,
            ],
        )
        return [payload]
