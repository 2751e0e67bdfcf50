"""NPS report aggregates: nps_counts, kept by triggers, backfilled from the answers

Revision ID: 0033
Revises: 0036
Create Date: 2026-12-04 22:40:00

The report (testimonials.report.services) reads these counts instead of rescanning every
answer; testimonials.report.models describes the slices. Triggers keep them in the same
transaction as each write, whichever code path writes (the ORM, bulk inserts, COPY,
cascades of a deleted survey, testimonial, tag or item):
- an answer (feedback_items with an nps_score) counts in the overall, one-dimension and
  two-dimension slices of its UTC day and month;
- a tag link (testimonial_tags) counts the answer of its testimonial under the tag, the tag
  with each other dimension, and each pair of the testimonial's tags (the tag filter's tag
  segments).
PostgreSQL adds inserted rows once per statement (transition tables: a COPY of a million
answers is one grouped upsert); SQLite, which has no statement triggers, once per row.
Deletes subtract before the row goes (its tag links still exist then); rows of a deleted
workspace are left to its cascade. A later migration that rebuilds feedback_items,
testimonials or testimonial_tags in SQLite batch mode drops these triggers with the old
table: it must create them again (tests/api/test_nps_aggregates.py fails if it does not).
"""

# The trigger and backfill SQL is assembled from this file's constants; no input reaches it.
# ruff: noqa: S608

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEM_COLUMNS = (
    "workspace_id",
    "survey_id",
    "channel",
    "country",
    "submitted_at",
    "received_at",
    "nps_score",
)
SURVEY = "coalesce(CAST({r}.survey_id AS VARCHAR(40)), '')"
CHANNEL = "{r}.channel"
COUNTRY = "coalesce({r}.country, '')"
# (slice, key_a, key_b) of an answer's own counts.
ANSWER_SLICES = (
    ("", "''", "''"),
    ("s", SURVEY, "''"),
    ("c", CHANNEL, "''"),
    ("k", COUNTRY, "''"),
    ("sc", SURVEY, CHANNEL),
    ("sk", SURVEY, COUNTRY),
    ("ck", CHANNEL, COUNTRY),
)
TAG_A = "CAST({r}.tag_a AS VARCHAR(40))"
TAG_B = "CAST({r}.tag_b AS VARCHAR(40))"
# (slice, key_a, key_b, only the diagonal) of a pair of one testimonial's tags.
TAG_SLICES = (
    ("t", TAG_A, "''", True),
    ("ts", TAG_A, SURVEY, True),
    ("tc", TAG_A, CHANNEL, True),
    ("tk", TAG_A, COUNTRY, True),
    ("tt", TAG_A, TAG_B, False),
)
KEY = "workspace_id, slice, span, key_a, period, key_b, score"


def _period(dialect: str) -> str:
    """The answer's UTC day or month (by p.span) from u.submitted_at / u.received_at."""
    answered = "coalesce(u.submitted_at, u.received_at)"
    if dialect == "sqlite":
        # Stored as naive UTC text "YYYY-MM-DD HH:MM:SS.ffffff".
        return (
            f"CASE p.span WHEN 'd' THEN substr({answered}, 1, 10) "
            f"ELSE substr({answered}, 1, 7) || '-01' END"
        )
    utc = f"({answered} AT TIME ZONE 'UTC')"
    return (
        f"CASE p.span WHEN 'd' THEN CAST({utc} AS DATE) "
        f"ELSE CAST(date_trunc('month', {utc}) AS DATE) END"
    )


def _upsert(dialect: str, cells: str, sign: str, into_empty: bool = False) -> str:
    """Add (sign '+') or subtract ('-') the cells, per day and per month, into nps_counts.

    `cells` is a SELECT of (workspace_id, slice, key_a, key_b, submitted_at, received_at,
    nps_score). Nothing is written for a workspace being deleted: its counts go with it.
    `into_empty`: slices not counted yet (the backfill), a plain insert.
    """
    return (
        f"INSERT INTO nps_counts ({KEY}, answers) "
        f"SELECT u.workspace_id, u.slice, p.span, u.key_a, {_period(dialect)}, u.key_b, "
        f"u.nps_score, {sign}count(*) "
        f"FROM ({cells}) AS u, (SELECT 'd' AS span UNION ALL SELECT 'm') AS p "
        + (
            "GROUP BY u.workspace_id, u.slice, p.span, u.key_a, 5, u.key_b, u.nps_score"
            if into_empty
            else "WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = u.workspace_id) "
            "GROUP BY u.workspace_id, u.slice, p.span, u.key_a, 5, u.key_b, u.nps_score "
            f"ON CONFLICT ({KEY}) DO UPDATE SET answers = nps_counts.answers + excluded.answers"
        )
    )


def _answer_cells(rows: str) -> str:
    """The counts of the answers in `rows` (a FROM item with ITEM_COLUMNS, aliased r)."""
    return " UNION ALL ".join(
        f"SELECT r.workspace_id, '{name}' AS slice, {a.format(r='r')} AS key_a, "
        f"{b.format(r='r')} AS key_b, r.submitted_at, r.received_at, r.nps_score "
        f"FROM {rows} WHERE r.nps_score IS NOT NULL"
        for name, a, b in ANSWER_SLICES
    )


def _tag_cells(pairs: str) -> str:
    """The counts of tag pairs in `pairs` (ITEM_COLUMNS + tag_a, tag_b; aliased r)."""
    return " UNION ALL ".join(
        f"SELECT r.workspace_id, '{name}' AS slice, {a.format(r='r')} AS key_a, "
        f"{b.format(r='r')} AS key_b, r.submitted_at, r.received_at, r.nps_score "
        f"FROM {pairs} WHERE r.nps_score IS NOT NULL"
        + (" AND r.tag_a = r.tag_b" if diagonal else "")
        for name, a, b, diagonal in TAG_SLICES
    )


def _record(record: str) -> str:
    """A one-row FROM item of a trigger's OLD or NEW answer."""
    columns = ", ".join(f"{record}.{c} AS {c}" for c in ITEM_COLUMNS)
    return f"(SELECT {columns}) AS r"


def _item_columns(alias: str) -> str:
    return ", ".join(f"{alias}.{c} AS {c}" for c in ITEM_COLUMNS)


def _pairs_of_item(record: str) -> str:
    """Every ordered pair of tags on the testimonial of the answer `record` (OLD or NEW)."""
    columns = ", ".join(f"{record}.{c} AS {c}" for c in ITEM_COLUMNS)
    return (
        f"(SELECT {columns}, la.tag_id AS tag_a, lb.tag_id AS tag_b FROM testimonials t "
        "JOIN testimonial_tags la ON la.testimonial_id = t.id "
        "JOIN testimonial_tags lb ON lb.testimonial_id = t.id "
        f"WHERE t.item_id = {record}.id) AS r"
    )


def _pairs_of_testimonial(record: str) -> str:
    """Every ordered pair of tags on the testimonial `record`, with its answer."""
    return (
        f"(SELECT {_item_columns('i')}, la.tag_id AS tag_a, lb.tag_id AS tag_b "
        "FROM feedback_items i "
        f"JOIN testimonial_tags la ON la.testimonial_id = {record}.id "
        f"JOIN testimonial_tags lb ON lb.testimonial_id = {record}.id "
        f"WHERE i.id = {record}.item_id) AS r"
    )


def _pairs_of_link(record: str) -> str:
    """The pairs one link (`record`) adds: with itself, and both ways with each other tag."""
    item = (
        "FROM testimonials t JOIN feedback_items i ON i.id = t.item_id "
        f"WHERE t.id = {record}.testimonial_id"
    )
    others = (
        "FROM testimonials t JOIN feedback_items i ON i.id = t.item_id "
        "JOIN testimonial_tags l ON l.testimonial_id = t.id "
        f"WHERE t.id = {record}.testimonial_id AND l.tag_id <> {record}.tag_id"
    )
    columns = _item_columns("i")
    return (
        f"(SELECT {columns}, {record}.tag_id AS tag_a, {record}.tag_id AS tag_b {item} "
        f"UNION ALL SELECT {columns}, {record}.tag_id, l.tag_id {others} "
        f"UNION ALL SELECT {columns}, l.tag_id, {record}.tag_id {others}) AS r"
    )


def _pairs_of_links(changed: str) -> str:
    """The pairs a statement's inserted or deleted links (`changed`) add or take away.

    With E the links left on a testimonial and N the statement's: every (a, b) with a in
    N and b in E or N, and every (b, a) with b in E.
    """
    columns = _item_columns("i")
    joined = (
        f"FROM {changed} n JOIN testimonials t ON t.id = n.testimonial_id "
        "JOIN feedback_items i ON i.id = t.item_id"
    )
    # After an insert statement its own links are in testimonial_tags too: not in E.
    kept = (
        "testimonial_tags e ON e.testimonial_id = n.testimonial_id AND NOT EXISTS "
        f"(SELECT 1 FROM {changed} x WHERE x.testimonial_id = e.testimonial_id "
        "AND x.tag_id = e.tag_id)"
    )
    return (
        f"(SELECT {columns}, n.tag_id AS tag_a, o.tag_id AS tag_b {joined} "
        f"JOIN {changed} o ON o.testimonial_id = n.testimonial_id "
        f"UNION ALL SELECT {columns}, n.tag_id, e.tag_id {joined} JOIN {kept} "
        f"UNION ALL SELECT {columns}, e.tag_id, n.tag_id {joined} JOIN {kept}) AS r"
    )


ANSWER_CHANGED = " OR ".join(
    f"OLD.{c} IS {{distinct}} NEW.{c}" for c in (*ITEM_COLUMNS[:-1], "nps_score")
)
WATCHED = ", ".join(ITEM_COLUMNS)


def _sqlite_new_answer() -> str:
    """An inserted answer's cells as plain VALUES: a third cheaper than the grouped form."""
    answered = "coalesce(NEW.submitted_at, NEW.received_at)"
    periods = (("d", f"substr({answered}, 1, 10)"), ("m", f"substr({answered}, 1, 7) || '-01'"))
    values = ", ".join(
        f"(NEW.workspace_id, '{name}', '{span}', {a.format(r='NEW')}, {period}, "
        f"{b.format(r='NEW')}, NEW.nps_score, 1)"
        for name, a, b in ANSWER_SLICES
        for span, period in periods
    )
    return (
        f"INSERT INTO nps_counts ({KEY}, answers) VALUES {values} "
        f"ON CONFLICT ({KEY}) DO UPDATE SET answers = nps_counts.answers + excluded.answers"
    )


def _sqlite_triggers() -> list[str]:
    d = "sqlite"
    changed = ANSWER_CHANGED.format(distinct="NOT")
    return [
        "CREATE TRIGGER nps_counts_answer_insert AFTER INSERT ON feedback_items "
        f"WHEN NEW.nps_score IS NOT NULL BEGIN {_sqlite_new_answer()}; END",
        f"CREATE TRIGGER nps_counts_answer_update AFTER UPDATE OF {WATCHED} ON feedback_items "
        f"WHEN {changed} BEGIN "
        f"{_upsert(d, _answer_cells(_record('OLD')), '-')}; "
        f"{_upsert(d, _tag_cells(_pairs_of_item('OLD')), '-')}; "
        f"{_upsert(d, _answer_cells(_record('NEW')), '+')}; "
        f"{_upsert(d, _tag_cells(_pairs_of_item('NEW')), '+')}; END",
        "CREATE TRIGGER nps_counts_answer_delete BEFORE DELETE ON feedback_items "
        "WHEN OLD.nps_score IS NOT NULL BEGIN "
        f"{_upsert(d, _answer_cells(_record('OLD')), '-')}; "
        f"{_upsert(d, _tag_cells(_pairs_of_item('OLD')), '-')}; END",
        "CREATE TRIGGER nps_counts_testimonial_delete BEFORE DELETE ON testimonials BEGIN "
        f"{_upsert(d, _tag_cells(_pairs_of_testimonial('OLD')), '-')}; END",
        # Row by row, SQLite sees the links inserted or deleted before this one only.
        "CREATE TRIGGER nps_counts_tag_insert AFTER INSERT ON testimonial_tags BEGIN "
        f"{_upsert(d, _tag_cells(_pairs_of_link('NEW')), '+')}; END",
        "CREATE TRIGGER nps_counts_tag_delete AFTER DELETE ON testimonial_tags BEGIN "
        f"{_upsert(d, _tag_cells(_pairs_of_link('OLD')), '-')}; END",
    ]


SQLITE_TRIGGERS = (
    "nps_counts_answer_insert",
    "nps_counts_answer_update",
    "nps_counts_answer_delete",
    "nps_counts_testimonial_delete",
    "nps_counts_tag_insert",
    "nps_counts_tag_delete",
)


def _postgres_function(name: str, body: Sequence[str], returns: str = "NULL") -> str:
    statements = "".join(f"{s};\n" for s in body)
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"{statements}RETURN {returns};\nEND\n$$"
    )


# (function and trigger name, table, timing and events, transition tables, level, WHEN)
POSTGRES_TRIGGERS = (
    ("nps_counts_answer_insert", "feedback_items", "AFTER INSERT", "NEW TABLE AS changed",
     "STATEMENT", ""),
    ("nps_counts_answer_update", "feedback_items", f"AFTER UPDATE OF {WATCHED}", "", "ROW",
     ANSWER_CHANGED.format(distinct="DISTINCT FROM")),
    ("nps_counts_answer_delete", "feedback_items", "BEFORE DELETE", "", "ROW",
     "OLD.nps_score IS NOT NULL"),
    ("nps_counts_testimonial_delete", "testimonials", "BEFORE DELETE", "", "ROW", ""),
    ("nps_counts_tag_insert", "testimonial_tags", "AFTER INSERT", "NEW TABLE AS changed",
     "STATEMENT", ""),
    ("nps_counts_tag_delete", "testimonial_tags", "AFTER DELETE", "OLD TABLE AS changed",
     "STATEMENT", ""),
)  # fmt: skip


def _postgres_statements() -> list[str]:
    d = "postgresql"
    bodies = {
        "nps_counts_answer_insert": [_upsert(d, _answer_cells("changed r"), "+")],
        "nps_counts_answer_update": [
            _upsert(d, _answer_cells(_record("OLD")), "-"),
            _upsert(d, _tag_cells(_pairs_of_item("OLD")), "-"),
            _upsert(d, _answer_cells(_record("NEW")), "+"),
            _upsert(d, _tag_cells(_pairs_of_item("NEW")), "+"),
        ],
        "nps_counts_answer_delete": [
            _upsert(d, _answer_cells(_record("OLD")), "-"),
            _upsert(d, _tag_cells(_pairs_of_item("OLD")), "-"),
        ],
        "nps_counts_testimonial_delete": [
            _upsert(d, _tag_cells(_pairs_of_testimonial("OLD")), "-")
        ],
        "nps_counts_tag_insert": [_upsert(d, _tag_cells(_pairs_of_links("changed")), "+")],
        "nps_counts_tag_delete": [_upsert(d, _tag_cells(_pairs_of_links("changed")), "-")],
    }
    statements = []
    for name, table, timing, transition, level, when in POSTGRES_TRIGGERS:
        returns = "OLD" if timing.startswith("BEFORE") else "NULL"
        statements.append(_postgres_function(name, bodies[name], returns))
        referencing = f" REFERENCING {transition}" if transition else ""
        condition = f" WHEN ({when})" if when else ""
        statements.append(
            f"CREATE TRIGGER {name} {timing} ON {table}{referencing} "
            f"FOR EACH {level}{condition} EXECUTE FUNCTION {name}()"
        )
    return statements


def _backfill(dialect: str) -> list[str]:
    # Every scored pair, read once (not once per slice), then counted into each tag slice.
    every_pair = (
        f"WITH pairs AS MATERIALIZED (SELECT {_item_columns('i')}, la.tag_id AS tag_a, "
        "lb.tag_id AS tag_b FROM testimonial_tags la "
        "JOIN testimonial_tags lb ON lb.testimonial_id = la.testimonial_id "
        "JOIN testimonials t ON t.id = la.testimonial_id "
        "JOIN feedback_items i ON i.id = t.item_id WHERE i.nps_score IS NOT NULL) "
    )
    return [
        _upsert(dialect, _answer_cells("feedback_items r"), "+", into_empty=True),
        every_pair + _upsert(dialect, _tag_cells("pairs r"), "+", into_empty=True),
    ]


def upgrade() -> None:
    op.create_table(
        "nps_counts",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("slice", sa.String(length=2), nullable=False),
        sa.Column("span", sa.String(length=1), nullable=False),
        sa.Column("key_a", sa.String(length=40), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("key_b", sa.String(length=40), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_nps_counts_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "workspace_id",
            "slice",
            "span",
            "key_a",
            "period",
            "key_b",
            "score",
            name=op.f("pk_nps_counts"),
        ),
        # SQLite: one b-tree, the key itself, instead of a table and its key's index.
        sqlite_with_rowid=False,
    )
    dialect = op.get_bind().dialect.name
    for statement in _backfill(dialect):
        op.execute(statement)
    op.create_index(  # after the backfill: built once, not row by row
        "ix_nps_counts_second_key",
        "nps_counts",
        ["workspace_id", "slice", "span", "key_b", "period"],
        unique=False,
    )
    if dialect == "sqlite":
        for statement in _sqlite_triggers():
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in _postgres_statements():
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    elif dialect == "postgresql":
        for name, table, *_ in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON {table}")
            op.execute(f"DROP FUNCTION {name}()")
    op.drop_index("ix_nps_counts_second_key", table_name="nps_counts")
    op.drop_table("nps_counts")
