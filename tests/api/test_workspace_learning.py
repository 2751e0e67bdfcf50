"""The inbox learns each workspace's taste from its approve/reject decisions, and only its own."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from testimonials.curation import models as curation
from testimonials.curation.cli import learn_command
from testimonials.curation.inbox import InboxFilters, inbox_query
from testimonials.curation.learning import (
    maybe_refit,
    rank_for_new_items,
    refit_workspace_model,
    stored_ranker,
    workspace_decisions,
)
from testimonials.curation.models import Status, WorkspaceModel
from testimonials.curation.services import Actor, approve, base_rank, create_testimonials, reject
from testimonials.harvest.intake import NewFeedback, intake_scorer_for, record_feedback_batch
from testimonials.harvest.models import Channel, ConsentState
from testimonials.privacy.services import erase_respondent
from testimonials.scoring import ItemInput, Scorer, rank_score
from testimonials.scoring.standing import FLAGGED_AT, Standing, rank_within
from tests.conftest import Tenant

OPENERS = ["Love it", "Amazing", "So good", "Brilliant", "Fantastic", "Awesome", "Wonderful"]
CLOSERS = ["Highly recommend!", "Thank you!!", "Five stars!", "Best ever!", "Great team!"]
PRODUCTS = ["Ledgerly", "Shiftboard", "Parcelpoint", "Quillbase", "Rotaplan", "Tallyhouse"]
MONTHS = ["January", "March", "April", "June", "September", "November"]
NAMES = ["Priya", "Tomasz", "Aoife", "Kwame", "Lucia", "Henrik", "Mei", "Dmitri"]
TASKS = ["month-end close", "payroll run", "stock count", "rota planning", "invoice chasing"]


def enthusiastic(rng: random.Random) -> str:
    """Short generic praise: what the base ranking puts last."""
    return f"{rng.choice(OPENERS)}! {rng.choice(CLOSERS)}"


def specific(rng: random.Random) -> str:
    """Long, specific praise with numbers and names: what the base ranking puts first."""
    before = rng.randint(6, 15)
    return (
        f"We moved our {rng.randint(2, 40)} clinics to {rng.choice(PRODUCTS)} in "
        f"{rng.choice(MONTHS)} and cut the {rng.choice(TASKS)} from {before} days to "
        f"{rng.randint(1, before - 2)}. {rng.choice(NAMES)} on their support team set up the "
        f"import in {rng.randint(10, 50)} minutes, and our office manager now saves about "
        f"{rng.randint(3, 12)} hours every week."
    )


def store(
    db: Session, app: Flask, tenant: Tenant, texts: Sequence[str]
) -> list[curation.Testimonial]:
    """Harvest texts (quotable) and return their inbox entries."""
    items = record_feedback_batch(
        db,
        tenant.workspace.id,
        [
            NewFeedback(
                text=text,
                channel=Channel.IMPORT,
                source_name="reviews",
                rating=5,
                consent_state=ConsentState.GRANTED,
            )
            for text in texts
        ],
        intake_scorer_for(app),
    )
    # Intake may already open the inbox entries; open the missing ones only.
    entry = curation.Testimonial
    ids = [i.id for i in items]
    existing = set(db.scalars(select(entry.item_id).where(entry.item_id.in_(ids))))
    create_testimonials(db, [i for i in items if i.id not in existing])
    by_item = {t.item_id: t for t in db.scalars(select(entry).where(entry.item_id.in_(ids)))}
    return [by_item[i] for i in ids]


def decide(
    db: Session, tenant: Tenant, approved: Sequence[curation.Testimonial], rejected=()
) -> None:
    actor = Actor(user_id=tenant.editor.id)
    for testimonial in approved:
        approve(db, testimonial, actor, override_reason="Checked with the customer.")
    for testimonial in rejected:
        reject(db, testimonial, actor, "Not our voice.")
    db.commit()


def taught_workspace(db: Session, app: Flask, tenant: Tenant, pairs: int) -> Scorer:
    """A workspace that approves short enthusiastic praise and rejects long specific stories."""
    rng = random.Random(tenant.workspace.id)
    short = store(db, app, tenant, [enthusiastic(rng) for _ in range(pairs)])
    long = store(db, app, tenant, [specific(rng) for _ in range(pairs)])
    decide(db, tenant, short, long)
    return intake_scorer_for(app).scorer


def pending_inbox(db: Session, tenant: Tenant) -> list[curation.Testimonial]:
    return list(db.scalars(inbox_query(tenant.workspace.id, InboxFilters())))


@contextmanager
def recorded_queries(connection: Connection) -> Iterator[list[str]]:
    """The SQL statements run on the test connection inside the block (not savepoints)."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        if "SAVEPOINT" not in statement:  # savepoints are the fixture's
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)


def erase(db: Session, tenant: Tenant, testimonial: curation.Testimonial, email: str) -> None:
    """Erase the respondent behind a testimonial (which rejects the testimonial too)."""
    testimonial.item.author_email = email
    db.flush()
    erase_respondent(db, tenant.workspace.id, email, b"k" * 32, None)
    db.commit()


def test_below_fifty_decisions_the_base_ranking_stays_and_says_why(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    taught_workspace(db, app, tenant, pairs=12)
    rng = random.Random(7)
    pending = store(db, app, tenant, [enthusiastic(rng), specific(rng), specific(rng)])
    ranks_before = {t.id: t.rank_score for t in pending}

    model = refit_workspace_model(db, tenant.workspace.id)
    db.commit()

    assert model.ranker is None and model.decisions == 24
    assert "24 decisions" in model.message and "needs 50" in model.message
    assert model.held_out_accuracy is None
    for testimonial in pending_inbox(db, tenant):
        assert testimonial.rank_score == pytest.approx(ranks_before[testimonial.id])
        item = testimonial.item
        # The value within the item's inbox group (tests/api/test_inbox_order.py).
        within = base_rank(item.specificity, item.suspicion)
        assert rank_within(testimonial.rank_score) == pytest.approx(within, rel=1e-3)


def test_a_clear_preference_is_learned_and_reorders_the_pending_inbox(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    taught_workspace(db, app, tenant, pairs=30)
    rng = random.Random(99)
    pending = store(db, app, tenant, [specific(rng) for _ in range(4)])
    # New words, not repeats of the taught ones: a repeat is flagged as a duplicate, and a
    # flagged item sits in a lower inbox group whatever the team's taste (scoring.standing).
    fresh = ["Superb! Would buy again!", "Terrific! So happy!", "Outstanding! Thanks a lot!"]
    pending += store(db, app, tenant, [*fresh, "Marvellous! Really pleased!"])
    assert all((t.item.suspicion or 0.0) < FLAGGED_AT for t in pending)
    short_ids = {t.id for t in pending[4:]}
    # The base ranking prefers the specific stories...
    assert {t.id for t in pending_inbox(db, tenant)[:4]}.isdisjoint(short_ids)

    model = refit_workspace_model(db, tenant.workspace.id)
    db.commit()

    assert model.ranker is not None and model.decisions == 60
    assert model.held_out_accuracy is not None and model.majority_baseline is not None
    assert model.held_out_accuracy > model.majority_baseline
    assert model.held_out_accuracy >= 0.9
    assert "held-out accuracy" in model.message
    # ...this team approves short enthusiasm, so that now comes first.
    assert {t.id for t in pending_inbox(db, tenant)[:4]} == short_ids
    stored = db.scalar(
        select(WorkspaceModel).where(WorkspaceModel.workspace_id == tenant.workspace.id)
    )
    assert stored is not None and stored.id == model.id


def test_learning_from_only_approvals_keeps_the_base_ranking(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    rng = random.Random(3)
    approved = store(db, app, tenant, [enthusiastic(rng) for _ in range(30)])
    approved += store(db, app, tenant, [specific(rng) for _ in range(25)])
    decide(db, tenant, approved)

    model = refit_workspace_model(db, tenant.workspace.id)

    assert model.ranker is None and model.decisions == 55
    assert "only one kind of decision" in model.message


def test_decisions_are_the_latest_state_and_skip_erased_respondents(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    rng = random.Random(5)
    first, second, third, _pending = store(db, app, tenant, [specific(rng) for _ in range(4)])
    decide(db, tenant, [first, second], [third])
    reject(db, first, Actor(user_id=tenant.editor.id), "Changed our mind.")
    item = second.item
    item.author_email = "erase.me@example.com"
    db.flush()
    erase_respondent(db, tenant.workspace.id, "erase.me@example.com", b"k" * 32, None)

    decisions = workspace_decisions(db, tenant.workspace.id)

    assert [(d.testimonial_id, d.approved) for d in decisions] == [(first.id, 0), (third.id, 0)]


def test_maybe_refit_waits_for_enough_new_decisions_and_costs_one_query(
    app: Flask, db: Session, tenant: Tenant, connection: Connection
) -> None:
    workspace_id = tenant.workspace.id
    rng = random.Random(11)
    short = store(db, app, tenant, [enthusiastic(rng) for _ in range(40)])
    long = store(db, app, tenant, [specific(rng) for _ in range(40)])
    decide(db, tenant, short[:24], long[:25])  # 49: not enough for a first model

    with recorded_queries(connection) as queries:
        assert maybe_refit(db, workspace_id) is None
    assert len(queries) == 1 and queries[0].lstrip().upper().startswith("SELECT")
    assert (
        db.scalar(select(WorkspaceModel).where(WorkspaceModel.workspace_id == workspace_id)) is None
    )

    decide(db, tenant, short[24:25])  # the 50th decision: the first model is due
    first = maybe_refit(db, workspace_id)
    assert first is not None and first.ranker is not None and first.decisions == 50
    db.commit()
    trained_at = first.trained_at

    decide(db, tenant, short[25:40], long[25:34])  # 24 more: not yet
    assert maybe_refit(db, workspace_id) is None
    decide(db, tenant, [], long[34:35])  # the 25th since the last fit
    again = maybe_refit(db, workspace_id)
    assert again is not None and again.id == first.id
    assert again.decisions == 75 and again.trained_at >= trained_at


def test_one_workspace_learning_never_moves_another_workspace_ranking(
    app: Flask, db: Session, make_tenant: Callable[[str], Tenant]
) -> None:
    a, b = make_tenant("Alpha Co"), make_tenant("Beta Co")
    rng = random.Random(21)
    b_pending = store(db, app, b, [enthusiastic(rng), specific(rng), enthusiastic(rng)])
    b_ranks = {t.id: t.rank_score for t in b_pending}
    scorer = taught_workspace(db, app, a, pairs=30)
    # Praise in new words (a repeat of a taught text is flagged, a group lower: standing).
    a_pending = store(db, app, a, ["Superb! Would buy again!", specific(rng)])

    refit_workspace_model(db, a.workspace.id)
    db.commit()
    db.expire_all()

    assert {t.id: t.rank_score for t in pending_inbox(db, b)} == pytest.approx(b_ranks)
    assert (
        db.scalar(select(WorkspaceModel).where(WorkspaceModel.workspace_id == b.workspace.id))
        is None
    )
    assert maybe_refit(db, b.workspace.id) is None
    assert [t.id for t in pending_inbox(db, a)] == [a_pending[0].id, a_pending[1].id]
    # New items: A's model puts enthusiasm first; B still uses the base ranking.
    fresh = scorer.score_batch([ItemInput(enthusiastic(rng)), ItemInput(specific(rng))])
    groups = [Standing.PRAISE, Standing.PRAISE]
    a_short, a_long = map(rank_within, rank_for_new_items(db, a.workspace.id, fresh, groups))
    b_short, b_long = map(rank_within, rank_for_new_items(db, b.workspace.id, fresh, groups))
    assert a_short > a_long
    assert b_short < b_long
    assert [b_short, b_long] == pytest.approx(
        [s.specificity * (1 - s.suspicion) for s in fresh], rel=1e-9
    )


def test_learn_command_refits_and_reports_accuracy_against_the_baseline(
    app: Flask, db: Session, tenant: Tenant
) -> None:
    taught_workspace(db, app, tenant, pairs=30)
    runner = app.test_cli_runner()

    result = runner.invoke(learn_command, ["--workspace", tenant.workspace.slug])

    assert result.exit_code == 0, result.output
    assert "60 decisions" in result.output
    assert "Held-out accuracy" in result.output and "commoner decision" in result.output
    model = db.scalar(
        select(WorkspaceModel).where(WorkspaceModel.workspace_id == tenant.workspace.id)
    )
    assert model is not None and model.ranker is not None
    assert f"{model.held_out_accuracy:.0%}" in result.output

    unknown = runner.invoke(learn_command, ["--workspace", "nobody"])
    assert unknown.exit_code != 0 and "No workspace" in unknown.output


def test_snoozed_items_are_reranked_too(app: Flask, db: Session, tenant: Tenant) -> None:
    from datetime import timedelta

    from testimonials.curation.services import snooze
    from testimonials.db import utcnow

    taught_workspace(db, app, tenant, pairs=30)
    rng = random.Random(4)
    (later,) = store(db, app, tenant, [enthusiastic(rng)])
    snooze(db, later, Actor(user_id=tenant.editor.id), utcnow() + timedelta(days=3))
    db.commit()
    before = later.rank_score

    refit_workspace_model(db, tenant.workspace.id)
    db.commit()
    db.expire_all()

    assert db.get(curation.Testimonial, later.id).status == Status.SNOOZED.value
    assert db.get(curation.Testimonial, later.id).rank_score > before


def test_refit_ranks_from_stored_scores_exactly_as_a_fresh_scoring_would(
    app: Flask, db: Session, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    taught_workspace(db, app, tenant, pairs=30)
    rng = random.Random(13)
    texts = [specific(rng), enthusiastic(rng), "Dr. Lee fixed it.\nThanks!", "とても良いです。"]
    pending = store(db, app, tenant, texts)
    items = [t.item for t in pending]
    edited_at = [t.updated_at for t in pending]
    scored = intake_scorer_for(app).scorer.score_batch(
        [ItemInput(i.text, i.rating, i.nps_score, i.verified) for i in items]
    )
    # What the inbox showed so far: the stored specificity and suspicion (with duplicates).
    fresh = [
        dataclasses.replace(s, specificity=i.specificity, suspicion=i.suspicion)
        for i, s in zip(items, scored, strict=True)
    ]

    def no_scoring(*_args: object) -> None:
        raise AssertionError("a refit must not score the inbox again")

    monkeypatch.setattr(Scorer, "score_batch", no_scoring)
    model = refit_workspace_model(db, tenant.workspace.id)

    assert model.ranker is not None
    expected = rank_score(fresh, stored_ranker(model.ranker))
    # The testimonials already loaded show their new rank, before any commit.
    assert [rank_within(t.rank_score) for t in pending] == pytest.approx(expected, rel=1e-9)
    assert [rank_within(t.rank_score) for t in pending] != pytest.approx(
        [i.specificity * (1 - i.suspicion) for i in items]
    )
    # A new rank is not an edit: "updated" still says when someone last changed each one.
    db.commit()
    db.expire_all()
    assert [t.updated_at for t in pending] == edited_at


def test_erased_respondents_do_not_count_towards_a_refit(
    app: Flask, db: Session, tenant: Tenant, connection: Connection
) -> None:
    workspace_id = tenant.workspace.id
    rng = random.Random(17)
    short = store(db, app, tenant, [enthusiastic(rng) for _ in range(31)])
    long = store(db, app, tenant, [specific(rng) for _ in range(25)])
    decide(db, tenant, short[:24], long)  # 49 decisions
    erase(db, tenant, short[24], "erase.me@example.com")  # rejected, but no decision

    assert maybe_refit(db, workspace_id) is None
    assert (
        db.scalar(select(WorkspaceModel).where(WorkspaceModel.workspace_id == workspace_id)) is None
    )

    decide(db, tenant, short[25:26])  # the 50th real decision
    model = maybe_refit(db, workspace_id)
    assert model is not None and model.ranker is not None and model.decisions == 50
    db.commit()

    decide(db, tenant, short[26:31])
    erase(db, tenant, long[0], "erase.too@example.com")  # a decision taken back
    # Far from the next refit, erasures or not: still one cheap query.
    with recorded_queries(connection) as queries:
        assert maybe_refit(db, workspace_id) is None
    assert len(queries) == 1
