"""The workspace's near-duplicate index, kept in the database and shared by every process.

Each stored item with words has BANDS locality-sensitive band keys (scoring.band_keys); a
row `(workspace_id, band_key, item_id)` per key makes "which earlier items share a band
with these texts?" one indexed `IN` query, whatever the workspace's size and however many
web or worker processes ask. Candidates are confirmed against their stored MinHash
signature, exactly as the in-memory `DuplicateIndex` does, so both find the same matches.
Exact duplicates are found through feedback_items' (workspace_id, content_hash) index.

The index follows the items' transaction: keys written with an item vanish with its
rollback, and nothing is cached in a process, so there is nothing to invalidate.

Keys are random by design, so a bulk import's chunks would land at random all over a big
index: a page rewritten per key once it outgrows the page cache. Imports write theirs to a
small table of recent keys instead and `fold_recent_keys` moves them into the main one in
key order now and then (one pass over it, not a page per key); lookups read both tables.
On SQLite only: see `_with_recent_keys`.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    BigInteger,
    Integer,
    Table,
    Text,
    bindparam,
    delete,
    insert,
    select,
    text,
    union_all,
)
from sqlalchemy import (
    cast as sql_cast,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from testimonials.bulk_insert import sqlite_insert_many
from testimonials.db import Base, one_of
from testimonials.harvest.models import FeedbackItem

if TYPE_CHECKING:
    from testimonials.scoring import DuplicateMatch

# The band keys and similarities come from scoring.duplicates (numpy), imported where an
# item is stored or scored: a web worker that only serves reads never loads numpy.
_NUM_PERM = 64  # scoring.duplicates.NUM_PERM (tests check they agree)


class _BandKeyColumns:
    workspace_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class NearDuplicateKey(_BandKeyColumns, Base):
    """One LSH band key of a stored item (no ORM objects are made of it; rows go in bulk)."""

    __tablename__ = "near_duplicate_keys"
    # The primary key is the lookup index (a WITHOUT ROWID table on SQLite: one b-tree, made
    # so by migration 0032; not declared here, as a SQLite option on a model loads SQLite's
    # dialect, ~1 MB, into every PostgreSQL worker). No foreign key to the item: a cascade
    # would need an index on item_id, one more write per key; lookups join the item, so a
    # key left by a deleted item matches nothing.

    # No foreign key to the workspace either (migration 0047): each key would check the
    # workspace's row, 16 checks an item that its item's own foreign key has made, in the
    # same transaction. A trigger on workspaces deletes a deleted workspace's keys.


class RecentNearDuplicateKey(_BandKeyColumns, Base):
    """A band key an import stored and `fold_recent_keys` has not moved yet (migration 0052:
    the same columns and primary key, WITHOUT ROWID on SQLite, a trigger on workspaces)."""

    __tablename__ = "near_duplicate_recent_keys"


_KEYS = cast(Table, NearDuplicateKey.__table__)
_RECENT_KEYS = cast(Table, RecentNearDuplicateKey.__table__)


# A query: the item's signature and content hash, and the item id that matches must be
# below (an item only duplicates earlier ones; None: any stored item).
DuplicateQuery = tuple[Sequence[int] | None, str | None, int | None]


def band_keys_for(signatures: Sequence[Sequence[int] | None]) -> list[list[int]]:
    """Each signature's band keys, [] for one without words: what `index_items` and
    `find_duplicates` compute when not given them (a bulk import has its scoring workers
    compute them once per item, not twice in the process that stores)."""
    from testimonials.scoring.duplicates import band_keys_of_many

    full = iter(band_keys_of_many([s for s in signatures if s is not None and _full(s)]))
    return [next(full) if _full(s) else [] for s in signatures]


def index_items(
    session: Session,
    workspace_id: int,
    items: Iterable[tuple[int, Sequence[int] | None]],
    keys: Sequence[Sequence[int]] | None = None,
    recent: bool = False,
) -> None:
    """Add stored items, (item id, signature or None), to the workspace's index; `keys`,
    if given, are their `band_keys_for` in the same order. With `recent` (bulk imports) the
    keys go to the recent keys on SQLite, which the caller folds in with `fold_recent_keys`."""
    items = list(items)
    if keys is None:
        keys = band_keys_for([signature or None for _id, signature in items])
    rows = [
        (workspace_id, key, item_id)
        for (item_id, _signature), item_keys in zip(items, keys, strict=True)
        for key in item_keys
    ]
    # In the index's order: a chunk's 16,000 random keys then reach each page of the b-tree
    # once, in turn, rather than a page at random per key (cache misses once it outgrows
    # the page cache: SQLite's 2 MB, PostgreSQL's shared buffers).
    rows.sort(key=_band_key_of)
    recent = recent and _with_recent_keys(session)
    _insert_keys(session, rows, _RECENT_KEYS if recent else _KEYS)


def _with_recent_keys(session: Session) -> bool:
    """Whether the recent keys are in use: on SQLite. PostgreSQL keeps every key in the main
    index: each fold's DELETE left the recent table's index full of dead entries until a
    vacuum, and lookups through them slowed to seconds (its table stays empty)."""
    return session.connection().dialect.name == "sqlite"


def _key_tables(session: Session) -> tuple[Table, ...]:
    """The tables a key may be in: the ones lookups read and erasures clear."""
    return (_KEYS, _RECENT_KEYS) if _with_recent_keys(session) else (_KEYS,)


def _insert_keys(session: Session, rows: list[tuple[int, int, int]], table: Table) -> None:
    """Insert (workspace id, band key, item id) rows: 16 an item, so per row there is no
    dict and no per-value conversion. PostgreSQL gets the COPY's text as one block (integers
    need no escaping); SQLite, the tuples in multi-row INSERTs. Like insert_rows, past the ORM.
    """
    if not rows:
        return
    session.flush()
    connection = session.connection()
    driver = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with (
            driver.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(_COPY_KEYS[table.name]) as copy,
        ):
            copy.write("".join([f"{w}\t{k}\t{i}\n" for w, k, i in rows]))
        return
    if connection.dialect.name != "sqlite":
        session.execute(insert(table), [dict(zip(_KEY_COLUMNS, row, strict=True)) for row in rows])
        return
    sqlite_insert_many(session, _INSERT_KEYS[table.name], len(_KEY_COLUMNS), rows)


_KEY_COLUMNS = ("workspace_id", "band_key", "item_id")
_band_key_of = itemgetter(1)
_COPY_KEYS = {
    "near_duplicate_keys": (
        "COPY near_duplicate_keys (workspace_id, band_key, item_id) FROM STDIN"
    ),
    "near_duplicate_recent_keys": (
        "COPY near_duplicate_recent_keys (workspace_id, band_key, item_id) FROM STDIN"
    ),
}
_INSERT_KEYS = {
    "near_duplicate_keys": (
        "INSERT INTO near_duplicate_keys (workspace_id, band_key, item_id) VALUES "
    ),
    "near_duplicate_recent_keys": (
        "INSERT INTO near_duplicate_recent_keys (workspace_id, band_key, item_id) VALUES "
    ),
}


def fold_recent_keys(session: Session, workspace_id: int) -> None:
    """Move the workspace's recent keys into the main index, in key order (one pass over
    it), in the caller's transaction (SQLite has one writer at a time, so no key arrives
    between the copy and the delete). Idempotent; lookups find a key before and after."""
    if not _with_recent_keys(session):
        return
    session.flush()
    recent, main = _RECENT_KEYS, _KEYS
    columns = [recent.c[name] for name in _KEY_COLUMNS]
    mine = recent.c.workspace_id == workspace_id
    in_order = select(*columns).where(mine).order_by(recent.c.band_key, recent.c.item_id)
    session.execute(insert(main).from_select(_KEY_COLUMNS, in_order).prefix_with("OR IGNORE"))
    session.execute(delete(recent).where(mine))


def unindex_items(session: Session, items: Iterable[tuple[int, int, Sequence[int] | None]]) -> None:
    """Remove items, (workspace id, item id, signature they were indexed with), by key."""
    from testimonials.scoring.duplicates import band_keys

    rows = [
        {"w": workspace_id, "k": key, "i": item_id}
        for workspace_id, item_id, signature in items
        for key in band_keys(signature or [])
    ]
    if not rows:
        return
    for table in _key_tables(session):
        session.connection().execute(
            delete(table).where(
                table.c.workspace_id == bindparam("w"),
                table.c.band_key == bindparam("k"),
                table.c.item_id == bindparam("i"),
            ),
            rows,
        )


def find_duplicates(
    session: Session,
    workspace_id: int,
    queries: Sequence[DuplicateQuery],
    within: bool = False,
    keys: Sequence[Sequence[int]] | None = None,
) -> list[list[DuplicateMatch]]:
    """Stored, unerased items each query duplicates (exactly or nearly), most similar first.

    With `within`, the queries are a batch about to be stored in this order: each is also
    matched against the earlier ones of the batch (after the stored items), whose ids are
    given as -1 - their position. `keys`, if given, are the queries' `band_keys_for`.
    """
    from testimonials.scoring.duplicates import (
        DuplicateMatch,
        add_if_near,
        is_empty_text_hash,
        sorted_matches,
    )

    if keys is None:
        keys = band_keys_for([signature for signature, _h, _b in queries])
    wanted: dict[int, list[int]] = {}  # band key -> positions of the queries that have it
    for position, query_keys in enumerate(keys):
        for key in query_keys:
            wanted.setdefault(key, []).append(position)
    digests = {h for _s, h, _b in queries if h and not is_empty_text_hash(h)}
    candidates = _items_sharing_keys(session, workspace_id, list(wanted))
    exact = _items_with_hashes(session, workspace_id, list(digests))
    signatures = _signatures(session, list({item_id for _key, item_id in candidates}))
    found: list[dict[Hashable, DuplicateMatch]] = [{} for _ in queries]
    by_hash: dict[str, list[int]] = {}
    for position, (_signature, query_hash, _below) in enumerate(queries):
        if query_hash and query_hash in digests:
            by_hash.setdefault(query_hash, []).append(position)
    for item_id, digest in exact:
        for position in by_hash.get(digest, ()):
            if _earlier(item_id, queries[position][2]):
                found[position][item_id] = DuplicateMatch(item_id, 1.0, exact=True)
    for key, item_id in candidates:
        stored = signatures.get(item_id)
        for position in wanted[key]:
            signature, _hash, below = queries[position]
            if stored is None or item_id in found[position] or not _earlier(item_id, below):
                continue
            add_if_near(found[position], signature or [], item_id, stored)
    matches = [sorted_matches(matches) for matches in found]
    if within:
        for position, batch_matches in enumerate(_within_batch(queries, wanted, by_hash)):
            matches[position] += batch_matches
    return matches


def _within_batch(
    queries: Sequence[DuplicateQuery], wanted: dict[int, list[int]], by_hash: dict[str, list[int]]
) -> list[list[DuplicateMatch]]:
    from testimonials.scoring.duplicates import DuplicateMatch, add_if_near, sorted_matches

    found: list[dict[Hashable, DuplicateMatch]] = [{} for _ in queries]
    for positions in by_hash.values():
        for later in positions[1:]:
            for earlier in positions:
                if earlier < later:
                    found[later][-1 - earlier] = DuplicateMatch(-1 - earlier, 1.0, exact=True)
    for positions in wanted.values():
        for i, later in enumerate(positions):
            for earlier in positions[:i]:
                if -1 - earlier in found[later]:
                    continue
                signature, other = queries[later][0], queries[earlier][0]
                add_if_near(found[later], signature or [], -1 - earlier, other or [])
    return [sorted_matches(matches) for matches in found]


def _full(signature: Sequence[int] | None) -> bool:
    return signature is not None and len(signature) == _NUM_PERM


def _earlier(item_id: int, below: int | None) -> bool:
    return below is None or item_id < below


def _items_sharing_keys(
    session: Session, workspace_id: int, keys: list[int]
) -> list[tuple[int, int]]:
    query = union_all(
        *(
            select(table.c.band_key, table.c.item_id).where(
                table.c.workspace_id == workspace_id, one_of(session, table.c.band_key, keys)
            )
            for table in _key_tables(session)
        )
    )
    if session.connection().dialect.name != "postgresql":
        return cast(list[tuple[int, int]], [tuple(row) for row in session.execute(query)])
    # PostgreSQL prices a chunk's 16,000 index descents above reading the whole table until
    # the table holds ~16 million keys, so it reads every key of every workspace per chunk:
    # 210 against 40-60 ms of server CPU at 1.8 million keys, and growing with the table
    # (an import's cost would grow with the square of its length). The index is always
    # the better path for this query: sequential scans are off for it alone.
    previous: str = session.execute(
        text("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
    ).scalar_one()
    rows = [tuple(row) for row in session.execute(query)]
    # (SET LOCAL: should the query fail, the rollback restores the setting too.)
    session.execute(text("SELECT set_config('enable_seqscan', :v, true)"), {"v": previous})
    return cast(list[tuple[int, int]], rows)


def _items_with_hashes(
    session: Session, workspace_id: int, digests: list[str]
) -> list[tuple[int, str]]:
    rows = session.execute(
        select(FeedbackItem.id, FeedbackItem.content_hash).where(
            FeedbackItem.workspace_id == workspace_id,
            one_of(session, FeedbackItem.content_hash, digests),
            FeedbackItem.minhash.is_not(None),
            FeedbackItem.erased_at.is_(None),
        )
    )
    return [(item_id, digest) for item_id, digest in rows]


def _signatures(session: Session, item_ids: list[int]) -> dict[int, list[int]]:
    """The stored, unerased items' signatures, read as the column's text and decoded in one
    msgspec call rather than by SQLAlchemy's JSON type (json.loads a row)."""
    rows = session.execute(
        select(FeedbackItem.id, sql_cast(FeedbackItem.minhash, Text)).where(
            one_of(session, FeedbackItem.id, item_ids),
            FeedbackItem.minhash.is_not(None),
            FeedbackItem.erased_at.is_(None),
        )
    ).all()
    signatures = _decode_signatures([text for _id, text in rows])
    return {item_id: s for (item_id, _text), s in zip(rows, signatures, strict=True) if s}


def _decode_signatures(texts: list[str]) -> list[Any]:
    """Stored JSON signatures, decoded as one array by msgspec (a fraction of json.loads's
    time a row, to the same values); json.loads decides a batch msgspec refuses."""
    import msgspec

    try:
        decoded = msgspec.json.decode("[" + ",".join(texts) + "]")
    except msgspec.DecodeError:
        decoded = [json.loads(text) for text in texts]
    return [s if isinstance(s, list) else None for s in decoded]
