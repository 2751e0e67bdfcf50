"""Pooled PostgreSQL connections: no ping on a busy worker's requests, and a connection the
server closed while it sat idle is replaced before a request can trip on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from testimonials import db as database
from testimonials.db import make_engine


@pytest.fixture
def pooled(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Engine, list]]:
    """An engine of the app's kind, and the pings it sends."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite connections are files: nothing to ping")
    engine = make_engine(database_url)
    pings: list[object] = []
    ping = engine.dialect.do_ping

    def counted_ping(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted_ping)
    yield engine, pings
    engine.dispose()


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def test_a_busy_connection_is_used_without_a_ping(pooled: tuple[Engine, list]) -> None:
    engine, pings = pooled
    first = _backend(engine)

    assert [_backend(engine) for _ in range(3)] == [first] * 3
    assert pings == []


def test_a_connection_closed_while_idle_is_replaced_unseen(
    pooled: tuple[Engine, list], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, pings = pooled
    closed = _backend(engine)
    # The server (a restart, an idle timeout) ends the pooled connection while it waits.
    with make_engine(engine.url.render_as_string(hide_password=False)).connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": closed})
        admin.commit()
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)

    replacement = _backend(engine)

    assert replacement != closed
    assert len(pings) == 1
