"""The inbox's gathers: a search's matches read from a text index first, then sorted.

A search with few matches, or matches that the page's order reaches last, is answered by
gathering them through the database's text index rather than walking the inbox's order:
- SQLite: the FTS5 matches, whose first ones estimate how many there are
  (`count_from_text_index`);
- PostgreSQL, for words in scripts of short words (Chinese, Japanese, Korean, Thai, Khmer,
  Lao): the candidates of `harvest.search.gram_candidates`, read once from the narrow
  `feedback_grams` table (`gram_candidates_listed`). Up to the cap, the matches among them
  are gathered and sorted; past it, the page walks its order, passing over the rows whose
  item is no candidate from the testimonial's own index entry
  (`skipping_non_candidates`): a Japanese word with 12,000 matches that rank low reads
  the text of a few dozen items for its page, not of thousands.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Integer, Select, Text, bindparam, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from testimonials.curation.models import Testimonial
from testimonials.harvest.models import FeedbackItem


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


def gram_candidates_listed(
    session: Session, candidates: Select[Any], gather_at_most: int
) -> Select[Any] | None:
    """PostgreSQL: the search's candidates read once (item ids, from the grams table and
    its GIN index), as a statement listing them for the page's queries to hash; None if
    there are more than gather_at_most (a common word: the rows reached first will do).

    Read once and handed back as an array, not as a sub-query each query runs again: the
    index and the table cost ~20-40 ms for 15,000 candidates, the array ~1 ms to unnest.
    """
    first = candidates.limit(gather_at_most + 1).subquery()
    # As an array's text, both ways: no Python object per id (15,000 of them cost ~100 ms
    # to fetch one by one and to adapt back on the loaded 2-core machine).
    spelled = sql_cast(func.array_agg(first.c.item_id), Text)
    row = session.execute(select(func.count(), spelled).select_from(first)).one()
    count, ids = cast(tuple[int, str | None], tuple(row))
    if count > gather_at_most:
        return None
    listed = sql_cast(bindparam(None, ids or "{}", type_=Text), ARRAY(Integer))
    return select(func.unnest(listed))


def skipping_non_candidates(walked: Select[Any], listed: Select[Any] | None) -> Select[Any]:
    """PostgreSQL: `walked` (the inbox's order, each row's words checked) passing over the
    testimonials whose item is not `listed`, from the testimonial's own index entry: the
    list is hashed once (a sub-plan, as `IS TRUE` keeps the planner from turning it into a
    join that would lose the walk's order), and only a candidate's item is read. None:
    `walked` as it is."""
    if listed is None:
        return walked
    return walked.where(Testimonial.item_id.in_(listed).is_(True))


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
