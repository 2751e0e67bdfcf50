"""Migrations are the only way a schema is made: they build it, match the models, undo it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

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
            _insert_workspace(connection)
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
            _insert_workspace(connection)
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


def test_0053_puts_every_stored_rank_in_its_inbox_group_and_back(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("migration_0053")
    migrate.upgrade(url, "0052")
    # (consent, rating, NPS, words, old rank) -> group; more rows than one batch of 5,000.
    special = [
        ("not_asked", None, 2, "The CSV export drops the phone column, 600 rows by hand.", 0.9),
        ("granted", None, 10, "Great!", 0.2),
        ("granted", 3, None, "Fine.", 0.5),
        ("granted", None, None, "Absolutely wonderful support, thank you!", 0.3),
        ("granted", None, None, "The app crashed twice and the invoices were wrong.", 0.8),
        ("not_asked", 5, None, "Love it.", 0.4),
        ("granted", 5, None, "BEST APP EVER!!! BUY NOW, promo code SAVE50", 0.1),  # suspicion 0.8
    ]
    expected_groups = [0, 4, 3, 4, 0, 2, 1]
    fillers = 5003
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            _insert_workspace(connection)
            rows = [*special, *[("granted", None, 9, "Good.", 0.25)] * fillers]
            connection.execute(
                text(
                    "INSERT INTO feedback_items (id, workspace_id, channel, source_name, "
                    "content_hash, text, rating, nps_score, received_at, verified, "
                    "consent_state) VALUES (:id, 1, 'api', 'test', :hash, :text, :rating, "
                    ":nps, CURRENT_TIMESTAMP, FALSE, :consent)"
                ),
                [
                    {
                        "id": n,
                        "hash": f"h{n}",
                        "text": words,
                        "rating": rating,
                        "nps": nps,
                        "consent": consent,
                    }
                    for n, (consent, rating, nps, words, _rank) in enumerate(rows, start=1)
                ],
            )
            connection.execute(
                text(
                    "INSERT INTO testimonials (id, workspace_id, item_id, status, rank_score, "
                    "created_at, updated_at) VALUES (:id, 1, :id, 'pending', :rank, "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                [{"id": n, "rank": row[4]} for n, row in enumerate(rows, start=1)],
            )
            connection.execute(text("UPDATE feedback_items SET suspicion = 0.8 WHERE id = 7"))
        migrate.upgrade(url, "0053")
        with engine.connect() as connection:
            ranks = dict(connection.execute(text("SELECT id, rank_score FROM testimonials")).all())
        assert len(ranks) == len(special) + fillers
        for n, (row, group) in enumerate(zip(special, expected_groups, strict=True), start=1):
            assert int(ranks[n]) == group, row
            assert ranks[n] - group == pytest.approx(0.999 * row[4])
        assert all(ranks[n] == pytest.approx(4 + 0.999 * 0.25) for n in range(8, 8 + fillers))
        # The old order is kept within a group; groups decide first.
        assert ranks[5] < ranks[1] < ranks[7] < ranks[6] < ranks[3] < ranks[2] < ranks[4]

        migrate.downgrade(url, "0052")
        with engine.connect() as connection:
            back = dict(connection.execute(text("SELECT id, rank_score FROM testimonials")).all())
        assert [back[n] for n in range(1, 8)] == pytest.approx([row[4] for row in special])
    finally:
        engine.dispose()


def test_0054_indexes_the_companies_already_stored(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("migration_0054")
    migrate.upgrade(url, "0053")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            _insert_workspace(connection)
            connection.execute(
                text(
                    "INSERT INTO feedback_items (id, workspace_id, channel, source_name, "
                    "content_hash, text, author_company, received_at, verified, consent_state) "
                    "VALUES (:id, 1, 'api', 'test', :hash, 'Quick booking', :company, "
                    "CURRENT_TIMESTAMP, FALSE, 'granted')"
                ),
                [
                    {"id": 1, "hash": "h1", "company": "Acme Dental"},
                    {"id": 2, "hash": "h2", "company": "田中歯科"},
                    {"id": 3, "hash": "h3", "company": None},
                ],
            )
        migrate.upgrade(url, "0054")
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                trigram = "SELECT rowid FROM feedback_search WHERE feedback_search MATCH :q"
                grams = "SELECT rowid FROM feedback_grams_fts WHERE feedback_grams_fts MATCH :q"
                assert connection.scalars(text(trigram), {"q": '"dental"'}).all() == [1]
                assert connection.scalars(text(grams), {"q": '"歯科"'}).all() == [2]
            else:
                grams = "SELECT item_id FROM feedback_grams WHERE grams @@ '歯科'::tsquery"
                assert connection.scalars(text(grams)).all() == [2]
                indexes = "SELECT indexname FROM pg_indexes WHERE tablename = 'feedback_items'"
                assert (
                    "ix_feedback_items_author_company_trgm"
                    in connection.scalars(text(indexes)).all()
                )
        migrate.downgrade(url, "0053")
        migrate.upgrade(url, "0054")  # and up again: the downgrade left nothing in the way
    finally:
        engine.dispose()


def _check_fts5_setting(
    url: str, revision: str, previous: str, expected: dict[str, tuple[int, int]]
) -> None:
    """Upgrade to `revision`, check feedback_search's FTS5 settings (name: (after the
    upgrade, after the downgrade to `previous`)), downgrade, check again. PostgreSQL has
    nothing to change: up and down only."""
    engine = make_engine(url)
    sqlite = engine.dialect.name == "sqlite"

    def settings() -> dict[str, int]:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT k, v FROM feedback_search_config"))
            return {k: v for k, v in rows if k in expected}

    try:
        migrate.upgrade(url, revision)
        if sqlite:
            assert settings() == {name: up for name, (up, _down) in expected.items()}
        migrate.downgrade(url, previous)
        if sqlite:
            assert settings() == {name: down for name, (_up, down) in expected.items()}
    finally:
        engine.dispose()


def test_0056_has_sqlites_search_index_merge_8_segments_at_a_time_and_back(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("migration_0056")
    _check_fts5_setting(url, "0056", "0055", {"automerge": (8, 4)})  # 4: FTS5's default


def test_0058_has_sqlites_search_index_gather_8_mb_of_terms_before_writing_and_back(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("migration_0058")
    megabyte = 1024 * 1024  # FTS5's default; 0056's automerge stays through both
    expected = {"hashsize": (8 * megabyte, megabyte), "automerge": (8, 8)}
    _check_fts5_setting(url, "0058", "0057", expected)


def _insert_workspace(connection: Connection) -> None:
    """Workspace 1, 'Acme', in raw SQL: the models may be ahead of the schema under test."""
    connection.execute(
        text(
            "INSERT INTO workspaces (id, name, slug, created_at) "
            "VALUES (1, 'Acme', 'acme', CURRENT_TIMESTAMP)"
        )
    )


def test_0057_gives_a_sqlite_database_grown_without_statistics_its_statistics(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("migration_0057")
    if not url.startswith("sqlite"):
        pytest.skip("PostgreSQL's autovacuum keeps its statistics")
    migrate.upgrade(url, "0056")
    engine = make_engine(url)
    statistics = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
    try:
        with engine.begin() as connection:
            _insert_workspace(connection)
            connection.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))
        with engine.connect() as connection:
            assert connection.scalar(text(statistics)) == 0
        migrate.upgrade(url, "0057")
        with engine.connect() as connection:
            assert connection.scalar(text(statistics)) == 1
            analysed = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'workspaces'"
            assert connection.scalar(text(analysed)) >= 1
    finally:
        engine.dispose()


def test_0059_keeps_the_runs_of_the_items_already_stored(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("migration_0059")
    migrate.upgrade(url, "0058")
    engine = make_engine(url)
    insert_item = text(
        "INSERT INTO feedback_items (id, workspace_id, channel, source_name, content_hash, "
        "text, author_name, author_company, received_at, verified, consent_state) "
        "VALUES (:id, 1, 'api', 'test', :hash, :text, :name, :company, CURRENT_TIMESTAMP, "
        "FALSE, 'granted')"
    )
    try:
        with engine.begin() as connection:
            _insert_workspace(connection)
            connection.execute(
                insert_item,
                [
                    {
                        "id": 1,
                        "hash": "h1",
                        "text": "予約の管理が楽",
                        "name": "小王",
                        "company": None,
                    },
                    {"id": 2, "hash": "h2", "text": "Quick booking", "name": None, "company": None},
                    {"id": 3, "hash": "h3", "text": "予約 管理", "name": None, "company": "田中"},
                ],
            )
        migrate.upgrade(url, "0059")
        if engine.dialect.name != "postgresql":
            return  # SQLite: nothing to do (its trigram index answers longer words)
        runs = "SELECT item_id, runs FROM feedback_grams ORDER BY item_id"
        with engine.begin() as connection:
            assert connection.execute(text(runs)).all() == [
                (1, "予約の管理が楽 小王"),
                (3, "予約 田中 管理"),
            ]
            # The trigger keeps them, and the grams come from them as before.
            connection.execute(
                insert_item,
                {"id": 4, "hash": "h4", "text": "客服", "name": "Dana", "company": None},
            )
            connection.execute(text("UPDATE feedback_items SET text = 'ok' WHERE id = 3"))
            assert connection.execute(text(runs)).all() == [
                (1, "予約の管理が楽 小王"),
                (3, "田中"),  # the company's
                (4, "客服"),
            ]
            grams = "SELECT grams::text FROM feedback_grams WHERE item_id = 4"
            assert connection.scalar(text(grams)) == "'客' '客服' '服'"
        migrate.downgrade(url, "0058")
        migrate.upgrade(url, "0059")  # and up again: the downgrade left nothing in the way
    finally:
        engine.dispose()
