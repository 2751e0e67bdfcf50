"""Migrations are the only way a schema is made: they build it, match the models, undo it."""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from testimonials import migrate
from testimonials.db import make_engine
from testimonials.models import Base


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_head_on_an_empty_database_then_models_match_then_downgrade_base(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("migrations")
    assert _tables(url) == set()

    migrate.upgrade(url)
    assert set(Base.metadata.tables) <= _tables(url)
    assert migrate.current_revision(url) is not None

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == [], f"models and migrations differ: {differences}"

    migrate.downgrade(url, "base")
    assert _tables(url) <= {"alembic_version"}
    assert migrate.current_revision(url) is None

    migrate.upgrade(url)  # and back up again: downgrades leave nothing behind that blocks it
    assert set(Base.metadata.tables) <= _tables(url)
