"""The inbox group of each item (`scoring.standing`), read from its stored columns.

The group leads the stored rank: learning (`rerank_inbox`), new entries (`entries`) and the
dashboard's card badges read it through these, so every path groups alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case

from testimonials.harvest.models import ConsentState, FeedbackItem

if TYPE_CHECKING:
    from testimonials.scoring.standing import Standing

# What an item's inbox group is read from (`item_standing`): its words only matter when it
# has neither a rating nor an NPS score, so only then are they read.
STANDING_COLUMNS = (
    FeedbackItem.consent_state,
    FeedbackItem.rating,
    FeedbackItem.nps_score,
    FeedbackItem.language,
    FeedbackItem.erased_at.is_not(None).label("erased"),
    FeedbackItem.suspicion,
    case(
        (and_(FeedbackItem.rating.is_(None), FeedbackItem.nps_score.is_(None)), FeedbackItem.text),
        else_="",
    ).label("unscored_text"),
)


def item_standing(
    consent_state: str | None,
    rating: int | None,
    nps_score: int | None,
    text: str | None,
    language: str | None,
    erased: bool = False,
    suspicion: float | None = None,
) -> Standing:
    """The inbox group of an item from its stored columns (see `scoring.standing`)."""
    from testimonials.scoring.standing import standing

    consented = consent_state == ConsentState.GRANTED.value
    return standing(consented, rating, nps_score, text or "", language, erased, suspicion)


def stored_item_standing(item: FeedbackItem) -> Standing:
    """`item_standing` of a loaded item."""
    return item_standing(
        item.consent_state,
        item.rating,
        item.nps_score,
        item.text,
        item.language,
        item.erased_at is not None,
        item.suspicion,
    )


def row_standings(rows: Sequence[Any]) -> list[Standing]:
    """`item_standing` of rows selected with STANDING_COLUMNS (a batch of a re-rank)."""
    from testimonials.scoring.standing import standing

    granted = ConsentState.GRANTED.value
    return [
        standing(
            row.consent_state == granted,
            row.rating,
            row.nps_score,
            row.unscored_text or "",
            row.language,
            bool(row.erased),
            row.suspicion,
        )
        for row in rows
    ]


def grouped_ranks(groups: Sequence[Standing], within: Sequence[float]) -> list[float]:
    """Stored inbox ranks: each item's group first, then its value within the group."""
    from testimonials.scoring.standing import grouped_rank

    return [grouped_rank(g, w) for g, w in zip(groups, within, strict=True)]
