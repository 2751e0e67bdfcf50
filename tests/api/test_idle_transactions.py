"""No request leaves a PostgreSQL connection "idle in transaction", streamed ones included.

The probe that found it: the CSV export held connections idle in transaction for minutes
(about 25 locks each) while slow clients downloaded. This runs an app on a database of its
own (the suite's usual app shares one rolled-back test transaction, which would hide it)
and asks pg_stat_activity after, and while, answering.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from testimonials import migrate
from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role, Scope
from testimonials.db import database_for
from testimonials.report import export
from tests.conftest import PASSWORD, csrf_token, login, make_app

IDLE_IN_TRANSACTION = text(
    "SELECT pid, query FROM pg_stat_activity "
    "WHERE datname = :database AND state = 'idle in transaction' AND pid <> pg_backend_pid()"
)


@pytest.fixture
def own_database(
    base_database_url: str | None, empty_database_url: Callable[[str], str]
) -> Iterator[str]:
    if base_database_url is None:
        pytest.skip("pg_stat_activity is PostgreSQL's; SQLite has no server connections to idle")
    url = empty_database_url("idle")
    migrate.upgrade(url)
    yield url


@pytest.fixture
def watcher(own_database: str) -> Iterator[Callable[[], list[str]]]:
    """Lists the app's connections that sit idle inside a transaction."""
    engine: Engine = create_engine(own_database, isolation_level="AUTOCOMMIT")
    database = make_url(own_database).database

    def idle() -> list[str]:
        with engine.connect() as connection:
            rows = connection.execute(IDLE_IN_TRANSACTION, {"database": database})
            return [f"{pid}: {query}" for pid, query in rows]

    yield idle
    engine.dispose()


@pytest.fixture
def served(own_database: str, tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """An app on its own database, with a workspace, an editor and 25 answers."""
    app = make_app(own_database, tmp_path, RATELIMIT_ENABLED=False)
    session = database_for(app).sessionmaker()
    workspace = accounts.create_workspace(session, "Idle Checks")
    accounts.create_user(session, "editor@idle.example", PASSWORD, workspace, Role.EDITOR)
    token = accounts.create_api_key(session, workspace.id, "writer", Scope.WRITE).token
    session.commit()
    session.close()
    client = app.test_client()
    for n in range(25):
        answer = {"score": n % 11, "comment": f"Answer number {n} about booking", "name": "Ann"}
        response = client.post(
            "/api/v1/responses", json=answer, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 201, response.get_data(as_text=True)
    yield app, token
    database_for(app).engine.dispose()


def test_the_export_holds_no_transaction_while_or_after_streaming(
    served: tuple[Flask, str], watcher: Callable[[], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, token = served
    monkeypatch.setattr(export, "BATCH_SIZE", 10)  # several batches, as with a big workspace
    client = app.test_client()
    response = client.get(
        "/api/v1/feedback/export.csv",
        headers={"Authorization": f"Bearer {token}"},
        buffered=False,
    )
    assert response.status_code == 200
    chunks = iter(response.response)
    received = [next(chunks), next(chunks)]  # the header, then the first batch
    assert watcher() == []  # the client is slow: nothing is held while it reads
    received.extend(chunks)
    response.close()
    assert watcher() == []
    rows = b"".join(c if isinstance(c, bytes) else c.encode() for c in received)
    assert rows.decode("utf-8-sig").count("\r\n") == 26  # header and every answer


def test_a_download_abandoned_half_way_releases_its_connection(
    served: tuple[Flask, str], watcher: Callable[[], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, token = served
    monkeypatch.setattr(export, "BATCH_SIZE", 10)
    response = app.test_client().get(
        "/api/v1/feedback/export.csv",
        headers={"Authorization": f"Bearer {token}"},
        buffered=False,
    )
    chunks = iter(response.response)
    next(chunks)
    next(chunks)
    response.close()  # what the server does when the client goes away
    assert watcher() == []


def test_dashboard_download_and_other_requests_leave_no_transaction_open(
    served: tuple[Flask, str], watcher: Callable[[], list[str]]
) -> None:
    app, token = served
    client = app.test_client()
    login(client, "editor@idle.example")
    assert watcher() == []
    download = client.get("/feedback/export.csv")
    assert download.status_code == 200 and download.data.count(b"\r\n") == 26
    assert watcher() == []
    for path in ("/inbox", "/feedback", "/reports/nps", "/settings/members"):
        assert client.get(path).status_code == 200, path
        assert watcher() == [], path
    api = {"Authorization": f"Bearer {token}"}
    for path in ("/api/v1/feedback", "/api/v1/testimonials", "/api/v1/reports/nps"):
        assert client.get(path, headers=api).status_code == 200, path
        assert watcher() == [], path
    # An import with its report, and a refused request, end cleanly too.
    upload = client.post(
        "/api/v1/imports",
        data={"file": (io.BytesIO(b"text,rating\nGreat,5\n,3\n"), "r.csv"), "source_name": "X"},
        headers=api,
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.get_data(as_text=True)
    report = client.get(f"/api/v1/imports/{upload.json['id']}/report.csv", headers=api)
    assert report.status_code == 200
    assert client.post("/api/v1/tags", json={"name": ""}, headers=api).status_code == 422
    token_form = csrf_token(client.get("/inbox").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token_form})
    assert watcher() == []
