"""NPS report with combined filters: tag links of scored answers, with the answer beside them

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-05 05:40:00

A report narrowed by two or more of survey, channel, country and tag counts its tag
segments (or, with a tag among its filters, its answers) per tag link. Read from
testimonial_tags, every matching answer had to be joined to its testimonial and its links
(PostgreSQL hashed the workspace's 600,000 testimonials: 0.3-1.4 s at a million answers).
nps_tagged_answers holds one row per link of a scored answer, with the answer's survey,
channel, country, UTC day and score, and the testimonial's whole tag set ("3,8,12"), so
each of those counts is one range of one covering index: the tags beside a filtered tag
are counted per distinct set, not looked up link by link.

Kept in the same transaction as every write:
- a link inserted: its row, if its testimonial's answer is scored, and the new set on the
  testimonial's other rows (PostgreSQL once per statement, from the transition table;
  SQLite per row);
- a link deleted, with its testimonial, tag, answer or workspace: its row by the foreign
  key's cascade, the set of the testimonial's other rows by a trigger;
- an answer's dimensions, dates or score edited: its rows rewritten (per row).
A later migration that rebuilds feedback_items or testimonial_tags in SQLite batch mode
drops these triggers with the old table and must create them again.
"""

# The trigger and backfill SQL is assembled from this file's constants; no input reaches it.
# ruff: noqa: S608

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = ("workspace_id", "survey_id", "channel", "country", "submitted_at", "received_at")
COLUMNS = (
    "testimonial_id, tag_id, workspace_id, survey_id, channel, country, answered_on, nps_score, "
    "tag_set"
)
COVERED = ["answered_on", "nps_score", "tag_id"]
INDEXES = (
    (
        "ix_nps_tagged_answers_tag",
        ["tag_id", "channel", "country", "survey_id", "answered_on", "nps_score", "tag_set"],
    ),
    ("ix_nps_tagged_answers_channel", ["channel", "country", "survey_id", *COVERED]),
    ("ix_nps_tagged_answers_survey", ["survey_id", "channel", "country", *COVERED]),
    ("ix_nps_tagged_answers_country", ["country", "survey_id", "channel", *COVERED]),
)


def _answered_on(dialect: str, item: str) -> str:
    """The UTC day of the answer `item` (an alias or NEW)."""
    answered = f"coalesce({item}.submitted_at, {item}.received_at)"
    if dialect == "sqlite":
        return f"substr({answered}, 1, 10)"  # stored as naive UTC text
    return f"CAST(({answered} AT TIME ZONE 'UTC') AS DATE)"


def _tag_set(dialect: str, testimonial: str) -> str:
    """The tag ids of the testimonial `testimonial` (an expression), as text: "3,8,12"."""
    if dialect == "sqlite":
        return (
            "(SELECT group_concat(s.tag_id) FROM (SELECT tag_id FROM testimonial_tags "
            f"WHERE testimonial_id = {testimonial} ORDER BY tag_id) AS s)"
        )
    return (
        "(SELECT string_agg(CAST(s.tag_id AS TEXT), ',' ORDER BY s.tag_id) "
        f"FROM testimonial_tags s WHERE s.testimonial_id = {testimonial})"
    )


def _rows(dialect: str, item: str) -> str:
    """The values of a row after (link l, answer `item`)."""
    return (
        f"l.testimonial_id, l.tag_id, {item}.workspace_id, {item}.survey_id, {item}.channel, "
        f"{item}.country, {_answered_on(dialect, item)}, {item}.nps_score, "
        f"{_tag_set(dialect, 'l.testimonial_id')}"
    )


def _of_links(dialect: str, links: str) -> str:
    """Insert the rows of the links in `links` (aliased l) whose answer is scored."""
    return (
        f"INSERT INTO nps_tagged_answers ({COLUMNS}) SELECT {_rows(dialect, 'i')} "
        f"FROM {links} JOIN testimonials t ON t.id = l.testimonial_id "
        "JOIN feedback_items i ON i.id = t.item_id WHERE i.nps_score IS NOT NULL"
    )


def _new_sets(dialect: str, testimonials: str) -> str:
    """Rewrite the tag set of the rows of the testimonials `testimonials` (a subquery):
    a link added or removed changes the set on every other link of its testimonial."""
    return (
        f"UPDATE nps_tagged_answers SET tag_set = {_tag_set(dialect, 'nps_tagged_answers.testimonial_id')} "
        f"WHERE testimonial_id IN ({testimonials})"
    )


def _rewrite_answer(dialect: str) -> list[str]:
    """Rewrite the rows of the edited answer NEW."""
    return [
        "DELETE FROM nps_tagged_answers WHERE testimonial_id IN "
        "(SELECT t.id FROM testimonials t WHERE t.item_id = NEW.id)",
        f"INSERT INTO nps_tagged_answers ({COLUMNS}) SELECT {_rows(dialect, 'NEW')} "
        "FROM testimonials t JOIN testimonial_tags l ON l.testimonial_id = t.id "
        "WHERE t.item_id = NEW.id AND NEW.nps_score IS NOT NULL",
    ]


def _changed(distinct: str) -> str:
    return " OR ".join(f"OLD.{c} IS {distinct} NEW.{c}" for c in (*WATCHED, "nps_score"))


SQLITE_TRIGGERS = ("nps_tagged_link_insert", "nps_tagged_link_delete", "nps_tagged_answer_update")
# (name, table, timing, transition table, level, WHEN)
POSTGRES_TRIGGERS = (
    ("nps_tagged_link_insert", "testimonial_tags", "AFTER INSERT", "NEW TABLE AS changed",
     "STATEMENT", ""),
    ("nps_tagged_link_delete", "testimonial_tags", "AFTER DELETE", "OLD TABLE AS changed",
     "STATEMENT", ""),
    ("nps_tagged_answer_update", "feedback_items",
     f"AFTER UPDATE OF {', '.join((*WATCHED, 'nps_score'))}", "", "ROW",
     _changed("DISTINCT FROM")),
)  # fmt: skip


def _sqlite_triggers() -> list[str]:
    d = "sqlite"
    new_link = "(SELECT NEW.testimonial_id AS testimonial_id, NEW.tag_id AS tag_id) AS l"
    watched = ", ".join((*WATCHED, "nps_score"))
    # The link's own row is written with its set; the others of its testimonial get it.
    others = _new_sets(d, "NEW.testimonial_id") + " AND tag_id <> NEW.tag_id"
    return [
        "CREATE TRIGGER nps_tagged_link_insert AFTER INSERT ON testimonial_tags BEGIN "
        f"{_of_links(d, new_link)}; {others}; END",
        # The link's own row goes by the foreign key's cascade.
        "CREATE TRIGGER nps_tagged_link_delete AFTER DELETE ON testimonial_tags BEGIN "
        f"{_new_sets(d, 'OLD.testimonial_id')}; END",
        f"CREATE TRIGGER nps_tagged_answer_update AFTER UPDATE OF {watched} ON feedback_items "
        f"WHEN {_changed('NOT')} BEGIN " + "".join(f"{s}; " for s in _rewrite_answer(d)) + "END",
    ]


def _postgres_statements() -> list[str]:
    d = "postgresql"
    touched = "SELECT c.testimonial_id FROM changed c"
    bodies = {
        "nps_tagged_link_insert": [
            _of_links(d, "changed l"),
            # Rows written above already have their set: only the testimonials' older links.
            _new_sets(d, touched)
            + " AND (testimonial_id, tag_id) NOT IN (SELECT c.testimonial_id, c.tag_id "
            "FROM changed c)",
        ],
        "nps_tagged_link_delete": [_new_sets(d, touched)],
        "nps_tagged_answer_update": _rewrite_answer(d),
    }
    statements = []
    for name, table, timing, transition, level, when in POSTGRES_TRIGGERS:
        body = "".join(f"{s};\n" for s in bodies[name])
        statements.append(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"{body}RETURN NULL;\nEND\n$$"
        )
        referencing = f" REFERENCING {transition}" if transition else ""
        condition = f" WHEN ({when})" if when else ""
        statements.append(
            f"CREATE TRIGGER {name} {timing} ON {table}{referencing} "
            f"FOR EACH {level}{condition} EXECUTE FUNCTION {name}()"
        )
    return statements


def upgrade() -> None:
    op.create_table(
        "nps_tagged_answers",
        sa.Column("testimonial_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("nps_score", sa.SmallInteger(), nullable=False),
        sa.Column("tag_set", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["testimonial_id", "tag_id"],
            ["testimonial_tags.testimonial_id", "testimonial_tags.tag_id"],
            name=op.f("fk_nps_tagged_answers_testimonial_id_testimonial_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("testimonial_id", "tag_id", name=op.f("pk_nps_tagged_answers")),
        # SQLite: one b-tree, the key itself, instead of a table and its key's index.
        sqlite_with_rowid=False,
    )
    dialect = op.get_bind().dialect.name
    op.execute(_of_links(dialect, "testimonial_tags l"))
    for name, columns in INDEXES:  # after the backfill: built once, not row by row
        op.create_index(name, "nps_tagged_answers", ["workspace_id", *columns])
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
    for name, _ in INDEXES:
        op.drop_index(name, table_name="nps_tagged_answers")
    op.drop_table("nps_tagged_answers")
