"""SQLite's recent near-duplicate keys: an import's keys gather in a small table and are folded
into the main index in key order, found the same before and after, and erased with their item
or workspace (PostgreSQL keeps every key in the main index)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from testimonials.harvest.near_duplicates import (
    NearDuplicateKey,
    RecentNearDuplicateKey,
    find_duplicates,
    fold_recent_keys,
)
from testimonials.privacy.services import erase_items
from testimonials.scoring import DuplicateIndex, content_hash, minhash_signature
from testimonials.scoring.duplicates import BANDS
from tests import factories
from tests.api.near_duplicate_texts import review, variant
from tests.conftest import Tenant


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
    live = [review(rng) for _ in range(15)]
    imported = [review(rng) for _ in range(25)]
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
        for q in [variant(rng, t, 1) for t in live[:5] + imported[:10]] + imported[10:15]
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
    originals = [review(rng) for _ in range(30)]
    texts = originals + [variant(rng, t, 1) for t in originals[::3]]
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
    first, second = [review(rng) for _ in range(9)], [review(rng) for _ in range(5)]
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
