"""The near-duplicate index lives in the database: same answers as the in-memory index,
per workspace, forgetting erased words, and built for items stored before it existed."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from testimonials import migrate
from testimonials.db import make_engine
from testimonials.harvest.near_duplicates import (
    NearDuplicateKey,
    RecentNearDuplicateKey,
    band_keys_for,
    find_duplicates,
    fold_recent_keys,
)
from testimonials.privacy.services import erase_items
from testimonials.scoring import DuplicateIndex, content_hash, minhash_signature
from testimonials.scoring.duplicates import BANDS, band_keys
from tests import factories
from tests.conftest import Tenant

WORDS = """booking clinic nurse Dana front desk refund invoice export dashboard report
    onboarding call week month hour minutes saved lost team support answered quickly slowly
    reminder schedule patient doctor price plan upgrade mobile app crash fixed Lyon Porto
    lamp box shipping dented arrived helpful friendly honest clear simple""".split()  # noqa: SIM905


def _review(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))) + "."


def _variant(rng: random.Random, original: str, changes: int) -> str:
    words = original.split()
    for _ in range(changes):
        words[rng.randrange(len(words))] = rng.choice(["Zanzibar", "Oslo", "Kenji", "42"])
    return " ".join(words)


def test_the_database_finds_the_same_duplicates_as_the_in_memory_index(
    db: Session, tenant: Tenant
) -> None:
    rng = random.Random(5)
    originals = [_review(rng) for _ in range(60)]
    stored_texts = originals + [_variant(rng, t, 2) for t in originals[:20]] + originals[:5]
    items = factories.answers(db, tenant.workspace.id, stored_texts)
    memory = DuplicateIndex.from_signatures((i.id, i.minhash or [], i.content_hash) for i in items)
    queries = (
        [_variant(rng, t, n) for t in originals[20:40] for n in (1, 3, 6)]
        + originals[40:50]  # exact copies
        + [_review(rng) for _ in range(20)]  # new words
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
    stored = [_review(rng) for _ in range(20)]
    items = factories.answers(db, tenant.workspace.id, stored)
    batch = [_variant(rng, t, 1) for t in stored[:5]] + [_review(rng) for _ in range(10)]
    batch += [batch[0], _variant(rng, batch[6], 1), batch[7], "!!!"]
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
    originals = [_review(rng) for _ in range(30)]
    factories.answers(db, tenant.workspace.id, originals)
    texts = [_variant(rng, t, n) for t in originals[:10] for n in (1, 4)] + ["!!!", "", "new"]
    signatures = [minhash_signature(t) or None for t in texts]
    queries = [(s, content_hash(t), None) for s, t in zip(signatures, texts, strict=True)]
    keys = band_keys_for(signatures)
    assert keys == [band_keys(s) if s else [] for s in signatures]
    computed = find_duplicates(db, tenant.workspace.id, queries, within=True)
    assert find_duplicates(db, tenant.workspace.id, queries, within=True, keys=keys) == computed
    assert sum(1 for matches in computed if matches) >= 10


# --- An import's keys: the recent keys, folded into the main index (migration 0052) --------


def _keys_in(db: Session, model: type[NearDuplicateKey | RecentNearDuplicateKey], ws: int) -> int:
    return db.scalar(select(func.count()).select_from(model).where(model.workspace_id == ws)) or 0


def _sqlite_only(db: Session) -> None:
    if db.connection().dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps every key in the main index (its recent table stays empty)")


def _index_of(db: Session, ws: int) -> tuple[DuplicateIndex, list[tuple[int, str]]]:
    """The in-memory index of the workspace's stored items, and the items (id, text)."""
    from testimonials.harvest.models import FeedbackItem

    items = [
        (item_id, words)
        for item_id, words in db.execute(
            select(FeedbackItem.id, FeedbackItem.text)
            .where(FeedbackItem.workspace_id == ws)
            .order_by(FeedbackItem.id)
        )
    ]
    memory = DuplicateIndex()
    for item_id, words in items:
        memory.add(item_id, words)
    return memory, items


def _import(db: Session, workspace_id: int, texts: list[str], fold_keys_after: int) -> None:
    from testimonials.harvest.bulk_intake import BulkIntake
    from testimonials.harvest.intake import NewFeedback
    from testimonials.harvest.models import Channel

    with BulkIntake(db, workspace_id, None, workers=1, fold_keys_after=fold_keys_after) as intake:
        for start in range(0, len(texts), 7):
            intake.record(
                [
                    NewFeedback(text=t, channel=Channel.IMPORT, source_name="s")
                    for t in texts[start : start + 7]
                ]
            )
        intake.finish()


def test_recent_keys_are_found_before_and_after_they_are_folded(
    db: Session, tenant: Tenant
) -> None:
    """Keys an import wrote to the recent table answer lookups at once, and exactly the
    same after `fold_recent_keys` moved them (in key order) into the main index."""
    _sqlite_only(db)
    rng = random.Random(21)
    ws = tenant.workspace.id
    live = [_review(rng) for _ in range(15)]
    imported = [_review(rng) for _ in range(25)]
    factories.answers(db, ws, live)  # live intake: straight into the main index
    _import(db, ws, imported, fold_keys_after=10**9)
    db.execute(  # the end-of-import fold undone, as if the import had stopped before it
        text(
            "INSERT INTO near_duplicate_recent_keys (workspace_id, band_key, item_id) "
            "SELECT k.workspace_id, k.band_key, k.item_id FROM near_duplicate_keys k "
            "JOIN feedback_items i ON i.id = k.item_id WHERE i.channel = 'import'"
        )
    )
    db.execute(
        text(
            "DELETE FROM near_duplicate_keys WHERE item_id IN "
            "(SELECT id FROM feedback_items WHERE channel = 'import')"
        )
    )
    assert _keys_in(db, RecentNearDuplicateKey, ws) == 25 * BANDS
    assert _keys_in(db, NearDuplicateKey, ws) == 15 * BANDS
    queries = [
        (minhash_signature(q) or None, content_hash(q), None)
        for q in [_variant(rng, t, 1) for t in live[:5] + imported[:10]] + imported[10:15]
    ]
    before = find_duplicates(db, ws, queries)
    memory, _stored = _index_of(db, ws)
    assert before == [memory.query_signature(s or [], h) for s, h, _below in queries]
    assert sum(1 for matches in before if matches) >= 15  # live and imported originals
    fold_recent_keys(db, ws)
    assert _keys_in(db, RecentNearDuplicateKey, ws) == 0
    assert _keys_in(db, NearDuplicateKey, ws) == 40 * BANDS
    assert find_duplicates(db, ws, queries) == before
    fold_recent_keys(db, ws)  # nothing left to move: no change, no error
    assert _keys_in(db, NearDuplicateKey, ws) == 40 * BANDS


def test_an_import_folds_its_keys_as_it_goes_and_at_the_end(
    db: Session, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 7, a fold once 10 items gather: later chunks still find repeats of items
    whose keys are recent, folded, or in the chunk itself; nothing stays recent."""
    from testimonials.harvest import near_duplicates

    rng = random.Random(22)
    ws = tenant.workspace.id
    originals = [_review(rng) for _ in range(30)]
    texts = originals + [_variant(rng, t, 1) for t in originals[::3]]
    folds: list[int] = []
    fold = near_duplicates.fold_recent_keys

    def counting_fold(session: Session, workspace_id: int) -> None:
        folds.append(_keys_in(session, RecentNearDuplicateKey, workspace_id))
        fold(session, workspace_id)

    monkeypatch.setattr("testimonials.harvest.bulk_intake.fold_recent_keys", counting_fold)
    _import(db, ws, texts, fold_keys_after=10)
    # After chunks 2 and 4 (14 items each), then 6 (the last: 12); finish had none left.
    # PostgreSQL writes an import's keys to the main index directly (nothing to fold).
    per_item = BANDS if db.connection().dialect.name == "sqlite" else 0
    assert folds == [14 * per_item, 14 * per_item, 12 * per_item]
    assert _keys_in(db, RecentNearDuplicateKey, ws) == 0
    assert _keys_in(db, NearDuplicateKey, ws) == len(texts) * BANDS
    memory, stored = _index_of(db, ws)
    last_id, last_text = stored[-1]
    query = [(minhash_signature(last_text), content_hash(last_text), last_id)]
    assert find_duplicates(db, ws, query) == [
        [m for m in memory.query(last_text) if m.item_id < last_id]
    ]
    assert find_duplicates(db, ws, query)[0], "the variant finds its original"


def test_keys_an_earlier_import_left_recent_are_folded_by_the_next_one(
    db: Session, tenant: Tenant
) -> None:
    """docs/imports.md: an import that stops before its fold leaves its keys recent (still
    found), and the workspace's next import folds them with its own."""
    _sqlite_only(db)
    rng = random.Random(23)
    ws = tenant.workspace.id
    first, second = [_review(rng) for _ in range(9)], [_review(rng) for _ in range(5)]
    _import(db, ws, first, fold_keys_after=10**9)
    db.execute(  # as a stopped import leaves them: recent, not folded
        text(
            "INSERT INTO near_duplicate_recent_keys SELECT * FROM near_duplicate_keys "
            "WHERE workspace_id = :w"
        ),
        {"w": ws},
    )
    db.execute(text("DELETE FROM near_duplicate_keys WHERE workspace_id = :w"), {"w": ws})
    _import(db, ws, second, fold_keys_after=10**9)
    assert _keys_in(db, RecentNearDuplicateKey, ws) == 0
    assert _keys_in(db, NearDuplicateKey, ws) == 14 * BANDS


def test_recent_keys_go_with_an_erased_item_and_a_deleted_workspace(
    db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    """(PostgreSQL never writes recent keys, but its table has the workspace trigger too.)"""
    from testimonials.harvest.models import FeedbackItem

    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    words = ["Olga moved our 40 clinics to online booking in a week.", "Refunds in a day."]
    for tenant in (a, b):
        _import(db, tenant.workspace.id, words, fold_keys_after=10**9)
        db.execute(  # keep them recent, as an import stopped before its fold leaves them
            text(
                "INSERT INTO near_duplicate_recent_keys SELECT * FROM near_duplicate_keys "
                "WHERE workspace_id = :w"
            ),
            {"w": tenant.workspace.id},
        )
        db.execute(
            text("DELETE FROM near_duplicate_keys WHERE workspace_id = :w"),
            {"w": tenant.workspace.id},
        )
    first = db.scalars(
        select(FeedbackItem).where(FeedbackItem.workspace_id == a.workspace.id).order_by("id")
    ).first()
    assert first is not None
    if db.connection().dialect.name == "sqlite":
        erase_items(db, [first])
        assert _keys_in(db, RecentNearDuplicateKey, a.workspace.id) == BANDS
    db.execute(text("DELETE FROM workspaces WHERE id = :id"), {"id": a.workspace.id})
    assert _keys_in(db, RecentNearDuplicateKey, a.workspace.id) == 0
    assert _keys_in(db, RecentNearDuplicateKey, b.workspace.id) == 2 * BANDS


def test_stored_signatures_are_read_however_their_json_is_spelled(
    db: Session, tenant: Tenant
) -> None:
    """Signatures are read as the column's text and decoded in one batch: spaces and line
    breaks (as another writer may store them) change no similarity; a signature of the
    wrong length, or one msgspec refuses, matches nothing, as estimate_similarity says."""
    from testimonials.harvest import near_duplicates
    from testimonials.harvest.models import FeedbackItem

    rng = random.Random(31)
    originals = [_review(rng) + " " + _review(rng) + " " + _review(rng) for _ in range(4)]
    items = factories.answers(db, tenant.workspace.id, originals)
    memory = DuplicateIndex.from_signatures((i.id, i.minhash or [], None) for i in items)
    queries = [_variant(rng, t, 1) for t in originals]
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
