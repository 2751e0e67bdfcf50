"""The inbox's "best first" as a marketer reads it: publishable praise before everything else.

Groups (testimonials.scoring.standing): consented praise, consented lukewarm words, happy
words without consent, unhappy customers; the scores order items within a group.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from testimonials.curation.inbox import InboxFilters, inbox_query
from testimonials.curation.learning import base_rank
from testimonials.curation.models import Testimonial as Entry
from testimonials.harvest.models import ConsentState, FeedbackItem
from testimonials.scoring.standing import FLAGGED_AT, Standing, rank_group
from tests import factories


def _first_cards(db: Session, workspace_id: int, n: int = 25) -> list[Entry]:
    return list(db.scalars(inbox_query(workspace_id, InboxFilters()).limit(n)))


def _unhappy(item: FeedbackItem) -> bool:
    if item.rating is not None:
        return item.rating <= 2
    return item.nps_score is not None and item.nps_score <= 6


def test_the_demo_inbox_leads_with_praise_its_authors_agreed_to_have_quoted(
    app: Flask, db: Session
) -> None:
    workspace = factories.demo_workspace(app, db)

    inbox = _first_cards(db, workspace.id, n=100)
    cards = inbox[:25]

    # The demo's pending items with consent from customers who are not unhappy, and that the
    # scorer does not flag (a promo code, "BUY NOW", script code: approval needs a reason),
    # lead the inbox.
    quotable = [
        c
        for c in inbox
        if c.item.consent_state == ConsentState.GRANTED.value
        and not _unhappy(c.item)
        and (c.item.suspicion or 0.0) < FLAGGED_AT
    ]
    assert len(quotable) >= 15
    assert cards[: len(quotable)] == quotable
    assert not any(_unhappy(c.item) for c in cards), [c.item.text for c in cards]
    flagged = [c for c in inbox if rank_group(c.rank_score) is Standing.FLAGGED]
    assert flagged and all((c.item.suspicion or 0.0) >= FLAGGED_AT for c in flagged)
    assert all(inbox.index(c) > inbox.index(q) for c in flagged for q in quotable)
    # Groups never go up again down the inbox, whatever the scores.
    groups = [rank_group(c.rank_score) for c in inbox]
    assert groups == sorted(groups, reverse=True)
    # What came first before: a detailed complaint without consent, far down now.
    complaint = db.scalar(
        select(Entry)
        .join(Entry.item)
        .where(FeedbackItem.workspace_id == workspace.id, FeedbackItem.nps_score == 2)
    )
    assert complaint is not None and rank_group(complaint.rank_score) is Standing.UNHAPPY
    # Within the praise group the scores still decide: specific before generic.
    praise = [c for c in cards if rank_group(c.rank_score) is Standing.PRAISE]
    within = [base_rank(c.item.specificity, c.item.suspicion) for c in praise]
    assert within == sorted(within, reverse=True)


def test_sqlite_finds_a_star_rating_through_its_own_index(db: Session) -> None:
    # The group leads the rank, and a rating decides the group: walking the rank index, a
    # "5 stars" count read through every unhappy item first (354 ms at 200,000 items).
    # With statistics (a bulk import ends with ANALYZE) SQLite takes the rating's index.
    if db.connection().dialect.name != "sqlite":
        return  # PostgreSQL plans it through bitmap scans (no such index there)
    from sqlalchemy import func
    from sqlalchemy import text as sql

    from testimonials.planner_statistics import refresh_sqlite_statistics

    workspace = factories.workspace(db)
    for rating in range(1, 6):
        items = factories.answers(
            db, workspace.id, [f"Review {n} of {rating} stars" for n in range(60)], rating=rating
        )
        for item in items:
            factories.testimonial_for(db, item)
    db.flush()
    refresh_sqlite_statistics(db)
    for filters in (InboxFilters(rating=5, sort="oldest"), InboxFilters(rating=3)):
        counted = (
            inbox_query(workspace.id, filters)
            .with_only_columns(Entry.id)
            .order_by(None)
            .limit(1001)
        ).subquery()
        statement = select(func.count()).select_from(counted)
        compiled = statement.compile(db.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in db.execute(sql(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "ix_feedback_items_workspace_rating" in plan, plan


def test_the_flagged_group_starts_where_approval_needs_a_reason() -> None:
    from testimonials.curation.services import SUSPICION_OVERRIDE_THRESHOLD

    assert FLAGGED_AT == SUSPICION_OVERRIDE_THRESHOLD
