"""band keys without a foreign key: a trigger on workspaces removes them instead

Revision ID: 0047
Revises: 0041
Create Date: 2026-12-05 06:05:00

An item has 16 band keys, and every key inserted checked the workspace's row through the
foreign key (PostgreSQL: one referential-integrity query per key, ~80 ms of server CPU per
1,000 imported items, a fifth of an import's server CPU). The keys are only ever written
in the transaction that stores their item, whose own foreign key already checks the
workspace, so the per-key check proves nothing new. What the foreign key also did, removing
a deleted workspace's keys, a row trigger on workspaces now does (keys are found by the
primary key's first column). SQLite cannot drop a constraint: its table is rebuilt, still
WITHOUT ROWID; no other table refers to it, and it has no triggers of its own.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0047"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_near_duplicate_keys_workspace_id_workspaces"
SQLITE_TABLE = """CREATE TABLE {name} (
    workspace_id INTEGER NOT NULL,
    band_key BIGINT NOT NULL,
    item_id INTEGER NOT NULL,
    CONSTRAINT pk_near_duplicate_keys PRIMARY KEY (workspace_id, band_key, item_id){foreign_key}
) WITHOUT ROWID"""
SQLITE_FOREIGN_KEY = f""",
    CONSTRAINT {FOREIGN_KEY} FOREIGN KEY(workspace_id)
        REFERENCES workspaces (id) ON DELETE CASCADE"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_table(foreign_key="")
        op.execute(
            "CREATE TRIGGER near_duplicate_keys_workspace_delete AFTER DELETE ON workspaces "
            "BEGIN DELETE FROM near_duplicate_keys WHERE workspace_id = OLD.id; END"
        )
        return
    op.drop_constraint(FOREIGN_KEY, "near_duplicate_keys", type_="foreignkey")
    op.execute(
        "CREATE FUNCTION near_duplicate_keys_workspace_delete() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "DELETE FROM near_duplicate_keys WHERE workspace_id = OLD.id; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER near_duplicate_keys_workspace_delete AFTER DELETE ON workspaces "
        "FOR EACH ROW EXECUTE FUNCTION near_duplicate_keys_workspace_delete()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER near_duplicate_keys_workspace_delete")
        _rebuild_sqlite_table(foreign_key=SQLITE_FOREIGN_KEY)
        return
    op.execute("DROP TRIGGER near_duplicate_keys_workspace_delete ON workspaces")
    op.execute("DROP FUNCTION near_duplicate_keys_workspace_delete()")
    op.execute(  # keys a deleted workspace left would block the constraint
        "DELETE FROM near_duplicate_keys k "
        "WHERE NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = k.workspace_id)"
    )
    op.create_foreign_key(
        FOREIGN_KEY,
        "near_duplicate_keys",
        "workspaces",
        ["workspace_id"],
        ["id"],
        ondelete="CASCADE",
    )


def _rebuild_sqlite_table(foreign_key: str) -> None:
    op.execute(SQLITE_TABLE.format(name="near_duplicate_keys_new", foreign_key=foreign_key))
    op.execute(
        "INSERT INTO near_duplicate_keys_new (workspace_id, band_key, item_id) "
        "SELECT k.workspace_id, k.band_key, k.item_id FROM near_duplicate_keys k "
        "WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = k.workspace_id)"
    )
    op.execute("DROP TABLE near_duplicate_keys")
    op.execute("ALTER TABLE near_duplicate_keys_new RENAME TO near_duplicate_keys")
