"""Migrations are the only way a schema is made: they build it, match the models, undo it."""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from testimonials import migrate
from testimonials.db import make_engine
from testimonials.harvest.search import include_in_schema_comparison
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
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": include_in_schema_comparison},
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == [], f"models and migrations differ: {differences}"

    migrate.downgrade(url, "base")
    assert _tables(url) <= {"alembic_version"}, "downgrades leave tables behind"
    assert migrate.current_revision(url) is None

    migrate.upgrade(url)  # and back up again: downgrades leave nothing behind that blocks it
    assert set(Base.metadata.tables) <= _tables(url)


def test_0008_gives_existing_sources_our_kind_and_keeps_their_deliveries(
    empty_database_url: Callable[[str], str],
) -> None:
    # A table rebuild of webhook_sources would cascade-delete webhook_deliveries, and with
    # them the event ids that make a replayed delivery a harmless duplicate.
    url = empty_database_url("migration_0008")
    migrate.upgrade(url, "0007")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO workspaces (id, name, slug, created_at) "
                    "VALUES (1, 'Acme', 'acme', CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO webhook_sources (id, workspace_id, name, token, secret_salt, "
                    "is_active, created_at) VALUES (1, 1, 'Tool', 'tok', 'salt', TRUE, "
                    "CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO webhook_deliveries (workspace_id, source_id, event_id, "
                    "event_type, response_id, received_at) "
                    "VALUES (1, 1, 'evt_1', 'response.created', 'r1', CURRENT_TIMESTAMP)"
                )
            )
        migrate.upgrade(url, "0008")
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT kind FROM webhook_sources")) == "testimonials"
            assert connection.scalar(text("SELECT count(*) FROM webhook_deliveries")) == 1
        migrate.downgrade(url, "0007")
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM webhook_deliveries")) == 1
            assert connection.scalar(text("SELECT count(*) FROM webhook_sources")) == 1
    finally:
        engine.dispose()


def test_0010_flags_existing_words_that_are_not_the_customers_own(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("migration_0010")
    migrate.upgrade(url, "0008")
    original = "Booking took 2 minutes. I would not recommend the old tool."
    curated = [  # (id, excerpt, display name): what people saved before the rule existed
        (1, "Booking took 2 minutes.", "Sokha C."),
        (2, "Best booking tool ever, 10/10", None),
        (3, "… I would recommend the old tool", None),
        (4, None, "Dara Kim"),
        (5, None, None),
    ]
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO workspaces (id, name, slug, created_at) "
                    "VALUES (1, 'Acme', 'acme', CURRENT_TIMESTAMP)"
                )
            )
            for row_id, excerpt, name in curated:
                connection.execute(
                    text(
                        "INSERT INTO feedback_items (id, workspace_id, channel, source_name, "
                        "content_hash, text, author_name, received_at, verified, "
                        "consent_state) VALUES (:id, 1, 'api', 'test', :hash, :text, "
                        "'Sokha Chan', CURRENT_TIMESTAMP, FALSE, 'granted')"
                    ),
                    {"id": row_id, "hash": f"h{row_id}", "text": original},
                )
                connection.execute(
                    text(
                        "INSERT INTO testimonials (id, workspace_id, item_id, status, "
                        "rank_score, excerpt, display_name, created_at, updated_at) VALUES "
                        "(:id, 1, :id, 'approved', 0.5, :excerpt, :name, CURRENT_TIMESTAMP, "
                        "CURRENT_TIMESTAMP)"
                    ),
                    {"id": row_id, "excerpt": excerpt, "name": name},
                )
        migrate.upgrade(url, "0010")
        with engine.connect() as connection:
            flags = dict(
                connection.execute(text("SELECT id, honesty_problem FROM testimonials")).all()
            )
        assert flags[1] is None and flags[5] is None
        assert flags[2].startswith("Excerpt:") and "not what the customer wrote" in flags[2]
        assert flags[3].startswith("Excerpt:") and "“not”" in flags[3]
        assert flags[4].startswith("Name:") and "Dara Kim" in flags[4]
        migrate.downgrade(url, "0008")
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM testimonials")) == 5
    finally:
        engine.dispose()
