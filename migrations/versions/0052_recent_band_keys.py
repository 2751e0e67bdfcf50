"""recent band keys: an import's near-duplicate keys land in a small table, folded in later

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-05 14:45:00

An item has 16 band keys, random by design, so every imported chunk of 1,000 items put
16,000 keys at random places in near_duplicate_keys' b-tree: once that index outgrows the
page cache, nearly every key rewrites a page of its own (on SQLite, at 300,000 items, the
band keys were ~30% of the storing process's time for a 20,000-row import). Imports on
SQLite now write their keys to near_duplicate_recent_keys, which stays small, and fold them
into near_duplicate_keys in key order, every few tens of thousands of items and at the end:
one pass over the big index per fold instead of a page per key. Lookups read both tables,
so a key is found from the moment its item is stored. On PostgreSQL the table exists (one
schema for both databases) but stays empty: each fold's DELETE left its index full of dead
entries until a vacuum, and lookups slowed to seconds. Same columns, same primary key
(WITHOUT ROWID on SQLite), no foreign keys; a trigger on workspaces deletes a deleted
workspace's recent keys, as migration 0047's does for the others.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0052"
down_revision: str | None = "0051"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = """(
    workspace_id INTEGER NOT NULL,
    band_key BIGINT NOT NULL,
    item_id INTEGER NOT NULL,
    CONSTRAINT pk_near_duplicate_recent_keys PRIMARY KEY (workspace_id, band_key, item_id)
)"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TABLE near_duplicate_recent_keys " + COLUMNS + " WITHOUT ROWID")
        op.execute(
            "CREATE TRIGGER near_duplicate_recent_keys_workspace_delete AFTER DELETE ON "
            "workspaces BEGIN DELETE FROM near_duplicate_recent_keys "
            "WHERE workspace_id = OLD.id; END"
        )
        return
    op.execute("CREATE TABLE near_duplicate_recent_keys " + COLUMNS)
    op.execute(
        "CREATE FUNCTION near_duplicate_recent_keys_workspace_delete() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN DELETE FROM near_duplicate_recent_keys "
        "WHERE workspace_id = OLD.id; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER near_duplicate_recent_keys_workspace_delete AFTER DELETE ON "
        "workspaces FOR EACH ROW EXECUTE FUNCTION near_duplicate_recent_keys_workspace_delete()"
    )


def downgrade() -> None:
    # Keys not folded yet are still an item's keys: they move, not vanish.
    op.execute(
        "INSERT INTO near_duplicate_keys (workspace_id, band_key, item_id) "
        "SELECT r.workspace_id, r.band_key, r.item_id FROM near_duplicate_recent_keys r "
        "WHERE NOT EXISTS (SELECT 1 FROM near_duplicate_keys k "
        "WHERE k.workspace_id = r.workspace_id AND k.band_key = r.band_key "
        "AND k.item_id = r.item_id)"
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER near_duplicate_recent_keys_workspace_delete")
    else:
        op.execute("DROP TRIGGER near_duplicate_recent_keys_workspace_delete ON workspaces")
        op.execute("DROP FUNCTION near_duplicate_recent_keys_workspace_delete()")
    op.execute("DROP TABLE near_duplicate_recent_keys")
