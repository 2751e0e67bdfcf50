"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when asked), an app per
test whose every write is rolled back, and workspaces with users and API keys.

Set TESTIMONIALS_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
to run the whole suite on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from testimonials import create_app, migrate
from testimonials.accounts import services as accounts
from testimonials.accounts.models import Role, Scope, User, Workspace
from testimonials.db import database_for, make_engine
from testimonials.extensions import limiter
from testimonials.harvest.intake import INTAKE_SCORER_KEY, IntakeScorer, intake_scorer_for
from testimonials.migrate import empty_postgres_database
from tests import factories
from tests.factories import PASSWORD

TEST_DATABASE_ENV = "TESTIMONIALS_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def base_database_url() -> str | None:
    """The PostgreSQL URL under test, or None for SQLite."""
    return os.environ.get(TEST_DATABASE_ENV) or None


@pytest.fixture(scope="session")
def empty_database_url(
    base_database_url: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """A factory of empty, separate databases of the dialect under test, by name."""

    def make(name: str) -> str:
        if base_database_url is None:
            return f"sqlite:///{tmp_path_factory.mktemp(name) / 'db.sqlite3'}"
        url = make_url(base_database_url).set(
            database=f"{make_url(base_database_url).database}_{name}"
        )
        rendered = url.render_as_string(hide_password=False)
        empty_postgres_database(rendered)
        return rendered

    return make


@pytest.fixture(scope="session")
def database_url(base_database_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The shared test database, made by the migrations once per run."""
    if base_database_url is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        url = base_database_url
        empty_postgres_database(url)
    migrate.upgrade(url)
    return url


def make_app(database_url: str, tmp_path: Path, **overrides: Any) -> Flask:
    """An app configured for tests (instance folder in tmp_path)."""
    config = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "ENV": "development",
        "TESTING": True,
        **overrides,
    }
    app = create_app(config)
    app.instance_path = str(tmp_path / "instance")
    return app


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection per test, inside a transaction that is rolled back at the end."""
    connection = engine.connect()
    transaction = connection.begin()
    yield connection
    transaction.rollback()
    connection.close()


@pytest.fixture(scope="session")
def built_apps(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list]:
    """Every app built during the run, disposed at its end."""
    apps: list[Flask] = []
    yield apps
    for app in apps:
        database_for(app).engine.dispose()


@pytest.fixture(scope="session")
def shared_app(
    database_url: str, built_apps: list, tmp_path_factory: pytest.TempPathFactory
) -> Flask:
    """The default app, built once: building one (routes, OpenAPI) costs more than most
    tests, and nothing a request does stays in it but what `ready` resets."""
    app = make_app(database_url, tmp_path_factory.mktemp("shared"))
    built_apps.append(app)
    return app


def ready(app: Flask, connection: Connection, tmp_path: Path) -> Flask:
    """The app, working inside the test's rolled-back transaction, as fresh as if just built."""
    app.instance_path = str(tmp_path / "instance")
    # Every commit inside the app becomes a SAVEPOINT release in the outer transaction.
    database_for(app).sessionmaker.configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    # What outlives a request: rate-limit counters and the warm duplicate indexes. The
    # limiter is one for all apps, switched on or off by the last app built.
    limiter.enabled = app.config.get("RATELIMIT_ENABLED", True)
    limiter.reset()
    warm = intake_scorer_for(app)
    app.extensions[INTAKE_SCORER_KEY] = IntakeScorer(warm.scorer, warm.customer_key)
    return app


@pytest.fixture
def app_factory(
    built_apps: list, database_url: str, tmp_path: Path, connection: Connection
) -> Callable[..., Flask]:
    """Build a new app (a test may change it, add a route, before its first request)."""

    def build(**overrides: Any) -> Flask:
        app = make_app(database_url, tmp_path, **overrides)
        built_apps.append(app)
        return ready(app, connection, tmp_path)

    return build


@pytest.fixture
def app(shared_app: Flask, connection: Connection, tmp_path: Path) -> Flask:
    """The default app, shared by the tests that only send it requests."""
    return ready(shared_app, connection, tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the test's (rolled back) connection.

    Deliberately not inside an app context: a context held open here would be reused by
    every test-client request, sharing `g` between requests as no real server would.
    """
    session = database_for(app).sessionmaker()
    yield session
    session.close()


@dataclass
class Tenant:
    """A workspace with an owner, an editor, a viewer and a read and a write API key."""

    workspace: Workspace
    owner: User
    editor: User
    viewer: User
    read_token: str
    write_token: str
    read_key_id: int
    write_key_id: int

    def headers(self, scope: str = "read") -> dict[str, str]:
        token = self.read_token if scope == "read" else self.write_token
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def make_tenant(db: Session) -> Callable[[str], Tenant]:
    """Create a workspace with users of every role and API keys of both scopes."""

    def make(name: str) -> Tenant:
        workspace = factories.workspace(db, name)
        slug = workspace.slug
        users = {
            role: factories.user(db, workspace, role, email=f"{role.value}@{slug}.example")
            for role in Role
        }
        read = accounts.create_api_key(db, workspace.id, "read key", Scope.READ)
        write = accounts.create_api_key(db, workspace.id, "write key", Scope.WRITE)
        db.commit()
        return Tenant(
            workspace,
            users[Role.OWNER],
            users[Role.EDITOR],
            users[Role.VIEWER],
            read.token,
            write.token,
            read.api_key.id,
            write.api_key.id,
        )

    return make


@pytest.fixture
def tenant(make_tenant: Callable[[str], Tenant]) -> Tenant:
    return make_tenant("Acme Clinics")


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    """Sign in through the real login form (CSRF token included)."""
    page = client.get("/login")
    token = csrf_token(page.get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)
