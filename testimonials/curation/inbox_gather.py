"""The inbox's gathers: a search's matches read from a text index first, then sorted.

A search with few matches, or matches that the page's order reaches last, is answered by
gathering them through the database's text index rather than walking the inbox's order:
- SQLite: the FTS5 matches, whose first ones estimate how many there are
  (`count_from_text_index`);
- PostgreSQL, for words in scripts of short words (Chinese, Japanese, Korean, Thai, Khmer,
  Lao): the candidates of `harvest.search.gram_candidates`, counted exactly from the
  narrow `feedback_grams` table (`count_gram_matches`), joined to their testimonials
  without the items, sorted, and only then checked against their text, in the page's
  order, until the page is full (`checked_in_order`): a word with 12,000 candidates reads
  the text of a few dozen.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.search import feedback_matches


def count_from_text_index(
    session: Session, indexed: Select[Any], cap: int, gather_at_most: int
) -> tuple[int, bool]:
    """SQLite: the matches counted up to cap + 1, and whether there are few enough (an
    estimate past the cap) to gather them all rather than walk the inbox's order for them.

    FTS5 hands matches over in rowid order, and rowids (item ids) do not follow rank or
    date, so the first cap + 1 matches sample the rest: the item id they reach tells what
    share of the items they covered. A walk in rank order is cheap for a common word, but
    reads most of the inbox for a rarer one that ranks low (Japanese text, with fewer
    spaces, scores lower), which a gather does not.
    """
    first = indexed.order_by(None).limit(cap + 1).subquery()
    last_item = select(func.max(FeedbackItem.id)).scalar_subquery()
    row = session.execute(select(func.count(), func.max(first.c.item_id), last_item)).one()
    total, reached, last = cast(tuple[int, int | None, int | None], tuple(row))
    if total <= cap or reached is None or last is None:
        return total, True
    return total, total * last / reached <= gather_at_most


def count_gram_matches(
    session: Session, checked: Select[Any], candidates: Select[Any], cap: int, gather_at_most: int
) -> tuple[int, bool]:
    """PostgreSQL: the matches (`checked`: the inbox's query with each row's words checked)
    counted up to cap + 1, and whether the search's candidates are few enough
    (gather_at_most or fewer, counted exactly in the narrow grams table) to gather and
    sort them all rather than walk the inbox's order. Few candidates are counted from the
    candidates; many (a common word) are not gathered at all, the rows reached first count.
    """
    some = candidates.limit(gather_at_most + 1).subquery()
    few = (session.scalar(select(func.count()).select_from(some)) or 0) <= gather_at_most
    if few:
        checked = checked.where(Testimonial.item_id.in_(candidates))
    matches = checked.with_only_columns(Testimonial.id).order_by(None).limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(matches)) or 0, few


def checked_in_order(unchecked: Select[Any], sort: str, search: str) -> Select[Any]:
    """The ids of `unchecked` (the inbox's query for every filter but the search, limited
    to a search's candidates) whose items hold every word of `search`, in the inbox's
    order: the candidates are gathered and sorted first (for the rank, from the
    testimonials alone), and each one's text is read only as the page reaches it."""
    gathered = _gathered(unchecked.add_columns(Testimonial.item_id), sort)
    checked = select(gathered.c.id).join(FeedbackItem, FeedbackItem.id == gathered.c.item_id)
    return _in_order(checked.where(*feedback_matches(search, per_row=True)), gathered, sort)


def gathered_then_sorted(matching: Select[Any], sort: str) -> Select[Any]:
    """`matching` in the inbox's order, its rows gathered first (through whichever index
    finds them) and then sorted: for a match set known to be small, or one the order's own
    index would reach last. MATERIALIZED keeps the planner from folding the walk back in.
    """
    gathered = _gathered(matching, sort)
    return _in_order(select(gathered.c.id), gathered, sort)


def _gathered(matching: Select[Any], sort: str) -> Any:
    by_date = sort in ("newest", "oldest")
    key = (FeedbackItem.received_at if by_date else Testimonial.rank_score).label("sort_key")
    return matching.order_by(None).add_columns(key).cte("gathered").prefix_with("MATERIALIZED")


def _in_order(statement: Select[Any], gathered: Any, sort: str) -> Select[Any]:
    if sort == "oldest":
        return statement.order_by(gathered.c.sort_key, gathered.c.id)
    return statement.order_by(gathered.c.sort_key.desc(), gathered.c.id.desc())
