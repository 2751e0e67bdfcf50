"""Per-workspace learning: the inbox learns each team's taste from its approve/reject decisions.

The maths lives in `testimonials.scoring.workspace` (pure); this module feeds it the
workspace's decisions, stores the fitted model (or the reason there is none) in
`WorkspaceModel`, and re-ranks the undecided part of the inbox with it.  Nothing is scored
again: the ranking features come from what intake stored for each item (specificity,
suspicion, reason codes) and the item's text, so a refit is cheap enough to run after triage.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Float,
    Integer,
    Select,
    Table,
    Text,
    bindparam,
    cast,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from testimonials.curation.groups import STANDING_COLUMNS, grouped_ranks, row_standings
from testimonials.curation.models import Status, Testimonial, WorkspaceModel
from testimonials.db import utcnow
from testimonials.harvest.models import FeedbackItem
from testimonials.privacy.models import Erasure

if TYPE_CHECKING:
    from testimonials.scoring import Score, Scorer, WorkspaceRanker
    from testimonials.scoring.standing import Standing

# The maths (testimonials.scoring.workspace, with numpy) is imported inside the functions
# that use it: every web worker imports this module, and most never rank anything.

REFIT_EVERY = 25
# Rows re-ranked per round trip: big enough that a 50,000-item inbox takes few round trips,
# small enough that it never sits in memory at once.
RERANK_BATCH = 5000
_DECIDED = (Status.APPROVED.value, Status.REJECTED.value)
_UNDECIDED = (Status.PENDING.value, Status.SNOOZED.value)
# What intake stored about an item that the ranking features are made of. The reasons come
# as their JSON text: looking for a few codes in it is several times cheaper than decoding
# the JSON of 50,000 items.
_STORED_SCORE = (
    FeedbackItem.text,
    FeedbackItem.specificity,
    FeedbackItem.suspicion,
    cast(FeedbackItem.score_reasons, Text).label("reasons_json"),
)


@cache
def _quoted_codes() -> tuple[tuple[str, str], ...]:
    """Each ranking reason code with its JSON spelling, to look for in stored reasons."""
    from testimonials.scoring.workspace import RANKING_REASON_CODES

    # A code is a whole JSON string; messages are words, so `"very_short"` is only the code.
    return tuple((code, json.dumps(code)) for code in RANKING_REASON_CODES)


@dataclass(frozen=True)
class Decision:
    """The team's latest verdict on one testimonial, with the ranking features of its item."""

    testimonial_id: int
    approved: int
    features: list[float]


def base_rank(specificity: float | None, suspicion: float | None) -> float:
    """Inbox order within a group without a workspace model: specific and unsuspicious first."""
    return (specificity or 0.0) * (1.0 - (suspicion or 0.0))


def _stored_features(row: Any) -> list[float]:
    """Ranking features of an item from its stored score columns and text (see _STORED_SCORE).

    An item never scored counts as neither specific nor suspicious, as in `base_rank`.
    """
    from testimonials.scoring.workspace import stored_ranking_features

    reasons = row.reasons_json or ""
    codes = [code for code, quoted in _quoted_codes() if quoted in reasons]
    return stored_ranking_features(row.specificity or 0.0, row.suspicion or 0.0, codes, row.text)


def _decided_clause(workspace_id: int) -> Any:
    return (
        Testimonial.workspace_id == workspace_id,
        Testimonial.status.in_(_DECIDED),
        # An erased respondent's words are gone; they must not shape the model either.
        FeedbackItem.erased_at.is_(None),
    )


def workspace_decisions(session: Session, workspace_id: int) -> list[Decision]:
    """The latest approve (1) / reject (0) per testimonial of the workspace, oldest first."""
    rows = session.execute(
        select(Testimonial.id, Testimonial.status, *_STORED_SCORE)
        .join(FeedbackItem, FeedbackItem.id == Testimonial.item_id)
        .where(*_decided_clause(workspace_id))
        .order_by(Testimonial.id)
    ).all()
    return [
        Decision(row.id, 1 if row.status == Status.APPROVED.value else 0, _stored_features(row))
        for row in rows
    ]


def stored_ranker(ranker: dict[str, Any] | None) -> WorkspaceRanker | None:
    """The ranker kept in `WorkspaceModel.ranker`, or None (none fitted, or on old features)."""
    if ranker is None:
        return None
    from testimonials.scoring import WorkspaceRanker

    try:
        return WorkspaceRanker.from_json(json.dumps(ranker))
    except (ValueError, KeyError, TypeError):
        # A model from an older feature set ranks nothing until the next refit.
        return None


def _workspace_model(session: Session, workspace_id: int) -> WorkspaceModel | None:
    return session.scalar(select(WorkspaceModel).where(WorkspaceModel.workspace_id == workspace_id))


def refit_workspace_model(
    session: Session, workspace_id: int, scorer: Scorer | None = None
) -> WorkspaceModel:
    """Fit the workspace's model from its decisions, store it, and re-rank its inbox.

    `scorer` is no longer used (features come from stored scores); callers may omit it.
    """
    from testimonials.scoring.workspace import fit_workspace_ranker_from_features

    decisions = workspace_decisions(session, workspace_id)
    fit = fit_workspace_ranker_from_features(
        [d.features for d in decisions], [d.approved for d in decisions]
    )
    model = _workspace_model(session, workspace_id)
    if model is None:
        model = WorkspaceModel(workspace_id=workspace_id)
        session.add(model)
    model.ranker = json.loads(fit.ranker.to_json()) if fit.ranker is not None else None
    model.decisions = fit.decisions
    model.held_out_accuracy = fit.held_out_accuracy
    model.majority_baseline = fit.majority_baseline
    model.message = fit.message[:300]
    model.trained_at = utcnow()
    session.flush()
    rerank_inbox(session, workspace_id, fit.ranker)
    return model


def _undecided_batches(
    session: Session, workspace_id: int, with_text: bool
) -> Iterator[Sequence[Any]]:
    """The workspace's pending and snoozed testimonials, a batch at a time (keyset paging).

    Plain rows of the needed columns only: no ORM objects for a 50,000-item inbox.
    """
    columns: tuple[Any, ...] = (FeedbackItem.specificity, FeedbackItem.suspicion)
    if with_text:
        columns = _STORED_SCORE
    columns = (*columns, *STANDING_COLUMNS)
    last_id = 0
    while True:
        batch = session.execute(
            select(Testimonial.id, *columns)
            .join(FeedbackItem, FeedbackItem.id == Testimonial.item_id)
            .where(
                Testimonial.workspace_id == workspace_id,
                Testimonial.status.in_(_UNDECIDED),
                Testimonial.id > last_id,
            )
            .order_by(Testimonial.id)
            .limit(RERANK_BATCH)
        ).all()
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def rerank_inbox(session: Session, workspace_id: int, ranker: WorkspaceRanker | None) -> int:
    """Recompute the rank of every pending and snoozed testimonial; returns how many."""
    from testimonials.scoring.workspace import rank_scores_from_features

    done = 0
    for batch in _undecided_batches(session, workspace_id, with_text=ranker is not None):
        ranks = [base_rank(row.specificity, row.suspicion) for row in batch]
        if ranker is not None:
            # Erased words say nothing about the team's taste: those keep the base rank.
            scorable = [i for i, row in enumerate(batch) if not row.erased and row.text.strip()]
            learned = rank_scores_from_features(
                [_stored_features(batch[i]) for i in scorable],
                [ranks[i] for i in scorable],
                ranker,
            )
            for i, rank in zip(scorable, learned, strict=True):
                ranks[i] = rank
        ranks = grouped_ranks(row_standings(batch), ranks)
        _write_ranks(session, [row.id for row in batch], ranks)
        done += len(batch)
    # Testimonials already loaded in this session show the new rank on their next access
    # (reading what is in memory, so that this loop itself never queries).
    for obj in list(session.identity_map.values()):
        loaded = inspect(obj).dict
        if isinstance(obj, Testimonial) and loaded.get("workspace_id") == workspace_id:
            session.expire(obj, ["rank_score"])
    return done


def _write_ranks(session: Session, ids: list[int], ranks: list[float]) -> None:
    """Store new ranks by primary key, many rows per statement, without ORM bookkeeping.

    `updated_at` keeps meaning "a person or API client changed this testimonial": a
    re-rank after every 25 decisions would otherwise mark the whole inbox as changed.
    """
    table: Table = Testimonial.__table__  # type: ignore[assignment]  # a Table, typed loosely
    untouched = {"updated_at": table.c.updated_at}  # no `onupdate` timestamp
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # One set-based UPDATE from two arrays: an executemany costs PostgreSQL a
        # statement per testimonial.
        new = (
            func.unnest(
                bindparam("ids", ids, type_=ARRAY(Integer)),
                bindparam("ranks", ranks, type_=ARRAY(Float)),
            )
            .table_valued("id", "rank")
            .render_derived(name="new_ranks")
        )
        connection.execute(
            update(table).values(rank_score=new.c.rank, **untouched).where(table.c.id == new.c.id)
        )
        return
    connection.execute(
        update(table)
        .where(table.c.id == bindparam("testimonial_id"))
        .values(rank_score=bindparam("rank"), **untouched),
        [{"testimonial_id": i, "rank": rank} for i, rank in zip(ids, ranks, strict=True)],
    )


def _refit_state(workspace_id: int) -> Select[Any]:
    """Decided testimonials, erased items at most, decisions at the last fit, model or not.

    One query that reads indexes and two tiny tables only.  The decided count includes
    testimonials of erased respondents (erasure rejects them) because leaving them out
    needs a join to every decided item; the erasure log bounds how many there can be.
    """
    decided = (
        select(func.count())
        .select_from(Testimonial)
        .where(Testimonial.workspace_id == workspace_id, Testimonial.status.in_(_DECIDED))
        .scalar_subquery()
    )
    # Every erasure records how many items it erased; that many testimonials at most.
    erased = (
        select(func.coalesce(func.sum(Erasure.items_erased), 0))
        .where(Erasure.workspace_id == workspace_id)
        .scalar_subquery()
    )
    last = select(WorkspaceModel.decisions).where(WorkspaceModel.workspace_id == workspace_id)
    has_ranker = select(func.count(WorkspaceModel.id)).where(
        WorkspaceModel.workspace_id == workspace_id, WorkspaceModel.ranker.is_not(None)
    )
    return select(decided, erased, last.scalar_subquery(), has_ranker.scalar_subquery())


def _decisions_now(session: Session, workspace_id: int) -> int:
    """The exact number of decisions the model would learn from (erased ones left out)."""
    count = session.scalar(
        select(func.count())
        .select_from(Testimonial)
        .join(FeedbackItem, FeedbackItem.id == Testimonial.item_id)
        .where(*_decided_clause(workspace_id))
    )
    return count or 0


def refit_due(decisions: int, last_fit: int | None, has_ranker: bool, every: int) -> bool:
    """Whether the decisions moved enough since the last fit to learn again."""
    from testimonials.scoring import MIN_DECISIONS

    if last_fit is None:
        return decisions >= MIN_DECISIONS
    if not has_ranker and last_fit < MIN_DECISIONS <= decisions:
        return True  # just crossed the threshold: the first model is worth having at once
    # Undoing a bulk approval takes decisions away; the model is as stale as after adding.
    return abs(decisions - last_fit) >= every


def maybe_refit(
    session: Session, workspace_id: int, scorer: Scorer | None = None, every: int = REFIT_EVERY
) -> WorkspaceModel | None:
    """Refit when enough new decisions arrived since the last fit; else None, cheaply.

    Costs one cheap query when nothing is due (about a millisecond on a 50,000-item
    inbox), so it can run after every triage action; `scorer` is no longer used.
    """
    state = session.execute(_refit_state(workspace_id)).one()
    decided: int = state[0] or 0
    erased: int = state[1] or 0
    last_fit: int | None = state[2]
    has_ranker = bool(state[3])
    # The exact count lies in [decided - erased, decided]. The counts for which no refit is
    # due form one interval, so when neither end is due, nothing in between is either.
    low = max(0, decided - erased)
    if not (
        refit_due(low, last_fit, has_ranker, every)
        or refit_due(decided, last_fit, has_ranker, every)
    ):
        return None
    if low < decided and not refit_due(
        _decisions_now(session, workspace_id), last_fit, has_ranker, every
    ):
        return None
    return refit_workspace_model(session, workspace_id)


StoredItem = tuple[float | None, float | None, Sequence[dict[str, Any]] | None, str, "Standing"]


def rank_stored_items(
    session: Session, workspace_id: int, items: Sequence[StoredItem]
) -> list[float]:
    """Rank values for items from stored (specificity, suspicion, reasons, text, group)."""
    if not items:
        return []
    within = [base_rank(spec, susp) for spec, susp, _reasons, _text, _group in items]
    groups = [group for *_score, group in items]
    ranker = stored_ranker(
        session.scalar(
            select(WorkspaceModel.ranker).where(WorkspaceModel.workspace_id == workspace_id)
        )
    )
    if ranker is not None:
        from testimonials.scoring.workspace import (
            rank_scores_from_features,
            stored_ranking_features,
        )

        features = [
            stored_ranking_features(
                spec or 0.0, susp or 0.0, [r.get("code", "") for r in reasons or []], text
            )
            for spec, susp, reasons, text, _group in items
        ]
        within = rank_scores_from_features(features, within, ranker)
    return grouped_ranks(groups, within)


def rank_for_new_items(
    session: Session, workspace_id: int, scores: Sequence[Score], groups: Sequence[Standing]
) -> list[float]:
    """Rank values for freshly scored items of these groups, with the workspace's model."""
    if not scores:
        return []
    from testimonials.scoring import rank_score

    stored = session.scalar(
        select(WorkspaceModel.ranker).where(WorkspaceModel.workspace_id == workspace_id)
    )
    return grouped_ranks(groups, rank_score(scores, stored_ranker(stored)))
