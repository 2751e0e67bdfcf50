"""The near-duplicate index lives in the database: same answers as the in-memory index,
per workspace, forgetting erased words, and built for items stored before it existed."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from testimonials import migrate
from testimonials.db import make_engine
from testimonials.harvest.near_duplicates import (
    NearDuplicateKey,
    band_keys_for,
    find_duplicates,
)
from testimonials.privacy.services import erase_items
from testimonials.scoring import DuplicateIndex, content_hash, minhash_signature
from testimonials.scoring.duplicates import BANDS, band_keys
from tests import factories
from tests.api.near_duplicate_texts import review, variant
from tests.conftest import Tenant


def test_the_database_finds_the_same_duplicates_as_the_in_memory_index(
    db: Session, tenant: Tenant
) -> None:
    rng = random.Random(5)
    originals = [review(rng) for _ in range(60)]
    stored_texts = originals + [variant(rng, t, 2) for t in originals[:20]] + originals[:5]
    items = factories.answers(db, tenant.workspace.id, stored_texts)
    memory = DuplicateIndex.from_signatures((i.id, i.minhash or [], i.content_hash) for i in items)
    queries = (
        [variant(rng, t, n) for t in originals[20:40] for n in (1, 3, 6)]
        + originals[40:50]  # exact copies
        + [review(rng) for _ in range(20)]  # new words
        + ["!!!", ""]  # no words at all
    )
    found = find_duplicates(
        db,
        tenant.workspace.id,
        [(minhash_signature(q) or None, content_hash(q), None) for q in queries],
    )
    expected = [memory.query(q) for q in queries]
    assert found == expected
    assert sum(1 for matches in found if any(m.exact for m in matches)) >= 10
    assert sum(1 for matches in found if any(not m.exact for m in matches)) >= 20
    # Stored items are matched against earlier ones only when the query says so.
    latest = items[-1]
    below = find_duplicates(
        db, tenant.workspace.id, [(latest.minhash, latest.content_hash, latest.id)]
    )[0]
    earlier = memory.query_signature(latest.minhash or [], latest.content_hash)
    assert below == [m for m in earlier if m.item_id < latest.id]
    assert {m.item_id for m in below} == {items[4].id, items[64].id}  # its original, a variant


def test_one_workspace_never_sees_another_workspaces_words(
    db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    words = "Dana at the front desk sorted our refund in five minutes, a lovely clinic visit."
    factories.answers(db, b.workspace.id, [words])
    query = [(minhash_signature(words), content_hash(words), None)]
    assert find_duplicates(db, a.workspace.id, query) == [[]]
    assert len(find_duplicates(db, b.workspace.id, query)[0]) == 1


def test_erased_words_are_no_longer_recognised(db: Session, tenant: Tenant) -> None:
    words = "Kenji walked our team through the export in ten minutes; the dashboard is clear."
    item = factories.answers(db, tenant.workspace.id, [words])[0]
    keys = select(func.count()).where(NearDuplicateKey.item_id == item.id)
    assert db.scalar(keys) == BANDS
    erase_items(db, [item])
    assert db.scalar(keys) == 0
    query = [(minhash_signature(words), content_hash(words), None)]
    assert find_duplicates(db, tenant.workspace.id, query) == [[]]


def test_a_deleted_workspaces_keys_go_with_it(
    db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    """The keys have no foreign key (migration 0047): a trigger on workspaces removes them,
    and only the deleted workspace's."""
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    words = "Priya set up our booking page in an afternoon; the reminders cut no-shows by half."
    factories.answers(db, a.workspace.id, [words])
    factories.answers(db, b.workspace.id, [words])
    keys_of = select(func.count()).select_from(NearDuplicateKey)
    assert db.scalar(keys_of.where(NearDuplicateKey.workspace_id == a.workspace.id)) == BANDS
    db.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": a.workspace.id})
    assert db.scalar(keys_of.where(NearDuplicateKey.workspace_id == a.workspace.id)) == 0
    assert db.scalar(keys_of.where(NearDuplicateKey.workspace_id == b.workspace.id)) == BANDS


def test_the_key_lookup_reads_the_index_and_leaves_the_planner_as_it_was(
    db: Session, tenant: Tenant
) -> None:
    """On PostgreSQL the lookup turns sequential scans off for itself alone (the planner
    would read every stored key per chunk): whatever the session had is restored."""
    words = "Lucia rebuilt our invoice export in a week; month-end now takes an hour, not two days."
    factories.answers(db, tenant.workspace.id, [words])
    query = [(minhash_signature(words), content_hash(words), None)]
    postgres = db.connection().dialect.name == "postgresql"
    for setting in ("off", "on") if postgres else ("",):
        if postgres:
            db.execute(text(f"SET LOCAL enable_seqscan = {setting}"))
        assert len(find_duplicates(db, tenant.workspace.id, query)[0]) == 1
        if postgres:
            assert db.scalar(text("SHOW enable_seqscan")) == setting


def test_0032_indexes_the_items_stored_before_it(
    empty_database_url: Callable[[str], str],
) -> None:
    url = empty_database_url("migration_0032")
    migrate.upgrade(url, "0015")
    words = "Booking took 2 minutes instead of 20; Dana at the front desk was great."
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO workspaces (id, name, slug, created_at) "
                    "VALUES (1, 'Acme', 'acme', CURRENT_TIMESTAMP)"
                )
            )
            for row_id, signature in ((1, minhash_signature(words)), (2, None)):
                connection.execute(
                    text(
                        "INSERT INTO feedback_items (id, workspace_id, channel, source_name, "
                        "content_hash, text, received_at, verified, consent_state, minhash) "
                        "VALUES (:id, 1, 'api', 'test', :hash, :text, CURRENT_TIMESTAMP, "
                        "FALSE, 'granted', :minhash)"
                    ),
                    {
                        "id": row_id,
                        "hash": content_hash(words),
                        "text": words if signature else "",
                        "minhash": json.dumps(signature) if signature else None,
                    },
                )
        migrate.upgrade(url, "0032")
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT workspace_id, band_key, item_id FROM near_duplicate_keys")
            ).all()
        assert sorted(stored) == sorted((1, key, 1) for key in band_keys(minhash_signature(words)))
        migrate.downgrade(url, "0015")
    finally:
        engine.dispose()


def test_a_batch_is_matched_against_its_own_earlier_items_too(db: Session, tenant: Tenant) -> None:
    rng = random.Random(9)
    stored = [review(rng) for _ in range(20)]
    items = factories.answers(db, tenant.workspace.id, stored)
    batch = [variant(rng, t, 1) for t in stored[:5]] + [review(rng) for _ in range(10)]
    batch += [batch[0], variant(rng, batch[6], 1), batch[7], "!!!"]
    memory = DuplicateIndex.from_signatures((i.id, i.minhash or [], i.content_hash) for i in items)
    expected = []
    in_batch = DuplicateIndex()
    for position, words in enumerate(batch):
        expected.append(memory.query(words) + in_batch.query(words))
        in_batch.add(-1 - position, words)
    queries = [(minhash_signature(w) or None, content_hash(w), None) for w in batch]
    found = find_duplicates(db, tenant.workspace.id, queries, within=True)
    assert found == expected
    assert [m.item_id for m in found[15]] == [items[0].id, -1]  # its original, then batch[0]
    assert [m.item_id for m in found[17]] == [-8]


def test_statistics_refresh_mid_import_leaves_the_transaction_usable(
    db: Session, tenant: Tenant
) -> None:
    from testimonials.harvest.models import FeedbackItem
    from testimonials.planner_statistics import refresh_statistics

    words = "Dana set up reminders that cut our no-shows by a third within one month."
    factories.answers(db, tenant.workspace.id, [words])
    refresh_statistics(db, FeedbackItem, NearDuplicateKey)  # ANALYZE on PostgreSQL
    query = [(minhash_signature(words), content_hash(words), None)]
    assert len(find_duplicates(db, tenant.workspace.id, query)[0]) == 1


def test_the_index_expects_the_scorers_signature_length() -> None:
    from testimonials.harvest import near_duplicates
    from testimonials.scoring.duplicates import NUM_PERM

    assert near_duplicates._NUM_PERM == NUM_PERM


def test_band_keys_given_by_the_caller_find_and_index_as_computed_ones(
    db: Session, tenant: Tenant
) -> None:
    # A bulk import's scoring workers compute each item's band keys once (band_keys_for)
    # for both the lookup and the index: the answers must not change.
    rng = random.Random(9)
    originals = [review(rng) for _ in range(30)]
    factories.answers(db, tenant.workspace.id, originals)
    texts = [variant(rng, t, n) for t in originals[:10] for n in (1, 4)] + ["!!!", "", "new"]
    signatures = [minhash_signature(t) or None for t in texts]
    queries = [(s, content_hash(t), None) for s, t in zip(signatures, texts, strict=True)]
    keys = band_keys_for(signatures)
    assert keys == [band_keys(s) if s else [] for s in signatures]
    computed = find_duplicates(db, tenant.workspace.id, queries, within=True)
    assert find_duplicates(db, tenant.workspace.id, queries, within=True, keys=keys) == computed
    assert sum(1 for matches in computed if matches) >= 10


# --- An import's keys: the recent keys, folded into the main index (migration 0052) --------


def test_stored_signatures_are_read_however_their_json_is_spelled(
    db: Session, tenant: Tenant
) -> None:
    """Signatures are read as the column's text and decoded in one batch: spaces and line
    breaks (as another writer may store them) change no similarity; a signature of the
    wrong length, or one msgspec refuses, matches nothing, as estimate_similarity says."""
    from testimonials.harvest import near_duplicates
    from testimonials.harvest.models import FeedbackItem

    rng = random.Random(31)
    originals = [review(rng) + " " + review(rng) + " " + review(rng) for _ in range(4)]
    items = factories.answers(db, tenant.workspace.id, originals)
    memory = DuplicateIndex.from_signatures((i.id, i.minhash or [], None) for i in items)
    queries = [variant(rng, t, 1) for t in originals]
    asked = [(minhash_signature(q), None, None) for q in queries]
    expected = [memory.query_signature(s) for s, _h, _b in asked]
    assert all(expected), "each variant is near its original"
    spelled = {
        items[0].id: json.dumps(items[0].minhash, indent=2),  # spaces and line breaks
        items[1].id: json.dumps(items[1].minhash, separators=(",", ":")),
        items[2].id: json.dumps((items[2].minhash or [])[:-1]),  # 63 values
        items[3].id: json.dumps(items[3].minhash),
    }
    for item_id, spelling in spelled.items():
        db.execute(
            text("UPDATE feedback_items SET minhash = :m WHERE id = :i"),
            {"m": spelling, "i": item_id},
        )
    db.expire_all()
    found = find_duplicates(db, tenant.workspace.id, asked)
    assert found == [expected[0], expected[1], [], expected[3]]
    decoded = near_duplicates._decode_signatures(["[1, 2]", "null", "[3]"])
    assert decoded == [[1, 2], None, [3]]
    refused = near_duplicates._decode_signatures(["[1, 2]", "[NaN]"])  # json.loads decides
    assert refused[0] == [1, 2] and len(refused[1]) == 1
    assert db.scalar(select(func.count()).select_from(FeedbackItem)) == 4
