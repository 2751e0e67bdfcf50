"""The inbox: ranked candidates with the filters marketers use every day, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import BindParameter, Select, and_, column, exists, func, or_, select, table
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from testimonials.curation.inbox_gather import (
    count_from_text_index,
    gathered_then_sorted,
    gram_candidates_listed,
    skipping_non_candidates,
)
from testimonials.curation.models import Status, Testimonial, publishable, testimonial_tags
from testimonials.curation.services import SUSPICION_OVERRIDE_THRESHOLD
from testimonials.db import Page, utcnow, valid_page
from testimonials.harvest.models import Channel, FeedbackItem, NpsGroup
from testimonials.harvest.search import (
    GRAM_SEARCH_TABLE,
    SEARCH_TABLE,
    TRIGRAM,
    feedback_matches,
    fts5_gram_candidates,
    fts5_gram_query,
    fts5_matches,
    fts5_query,
    gram_candidates,
    grams_answer,
    search_words,
)

SORTS = ("rank", "newest", "oldest")


@dataclass(frozen=True)
class InboxFilters:
    """What the marketer narrowed the inbox to (None = no filter)."""

    status: Status | None = Status.PENDING
    channel: Channel | None = None
    source: str | None = None
    group: NpsGroup | None = None
    rating: int | None = None
    tag_id: int | None = None
    language: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    flagged: bool | None = None
    # True: only testimonials whose curated words broke the honesty rule (to fix them).
    needs_fix: bool | None = None
    search: str | None = None
    sort: str = "rank"


def _status_clause(status: Status, now: datetime | BindParameter[datetime]) -> Any:
    # A snooze ends by itself: past its date the item is pending again.
    woke_up = and_(Testimonial.status == Status.SNOOZED.value, Testimonial.snoozed_until <= now)
    if status is Status.PENDING:
        return or_(Testimonial.status == Status.PENDING.value, woke_up)
    if status is Status.SNOOZED:
        return and_(Testimonial.status == Status.SNOOZED.value, Testimonial.snoozed_until > now)
    if status is Status.APPROVED:
        # "Approved" is what may be shown: words flagged by the honesty rule stay out of it.
        return publishable()
    return Testimonial.status == status.value


def _reads_item(filters: InboxFilters) -> bool:
    """Whether any filter or the sort needs the item's columns (else no join at all)."""
    return bool(
        filters.channel
        or filters.source
        or filters.group
        or filters.rating is not None
        or filters.language
        or filters.received_from
        or filters.received_to
        or filters.flagged is not None
        or filters.search
        or filters.sort in ("newest", "oldest")
    )


def inbox_query(
    workspace_id: int | BindParameter[int],
    filters: InboxFilters,
    now: datetime | BindParameter[datetime] | None = None,
    per_row_search: bool = False,
    tag_as_list: bool = False,
) -> Select[Testimonial]:
    """Testimonials of the workspace matching the filters, best candidates first.

    The workspace and the time that ends snoozes may be bound parameters, for a statement
    built once and run many times (`listing`). per_row_search: the search words are checked
    on each row reached (see `harvest.search`), for a page of a search with many matches.
    tag_as_list: see `_conditions`.
    """
    statement = select(Testimonial).where(Testimonial.workspace_id == workspace_id)
    if _reads_item(filters):
        # Scoping the item side too lets both databases use its workspace-first indexes.
        statement = statement.join(Testimonial.item).where(
            FeedbackItem.workspace_id == workspace_id
        )
    statement = statement.where(*_conditions(filters, now, per_row_search, tag_as_list))
    return statement.order_by(*inbox_order(filters))


def _conditions(
    filters: InboxFilters,
    now: datetime | BindParameter[datetime] | None,
    per_row_search: bool = False,
    tag_as_list: bool = False,
) -> list[Any]:
    """The filters' conditions on the testimonial and (when `_reads_item`) its item.

    tag_as_list: the tag as `id IN (the tag's testimonials)`, which SQLite reads from the
    tag's index and stops early when counting (a walk in rank order probing each row's
    tags reads 40 rows per match of a tag on 2% of them); EXISTS otherwise, which a walk
    in rank order checks row by row and stops after a page.
    """
    conditions: list[Any] = []
    if filters.status is not None:
        now = utcnow() if now is None else now
        conditions.append(_status_clause(filters.status, now))
    if filters.needs_fix is not None:
        problem = Testimonial.honesty_problem
        conditions.append(problem.is_not(None) if filters.needs_fix else problem.is_(None))
    if filters.channel is not None:
        conditions.append(FeedbackItem.channel == filters.channel.value)
    if filters.source:
        conditions.append(FeedbackItem.source_name == filters.source)
    if filters.group is not None:
        conditions.append(FeedbackItem.in_nps_group(filters.group))
    if filters.rating is not None:
        conditions.append(FeedbackItem.rating == filters.rating)
    if filters.tag_id is not None and tag_as_list:
        tagged = select(testimonial_tags.c.testimonial_id).where(
            testimonial_tags.c.tag_id == filters.tag_id
        )
        conditions.append(Testimonial.id.in_(tagged))
    elif filters.tag_id is not None:
        conditions.append(
            exists().where(
                testimonial_tags.c.testimonial_id == Testimonial.id,
                testimonial_tags.c.tag_id == filters.tag_id,
            )
        )
    if filters.language:
        conditions.append(FeedbackItem.language == filters.language)
    if filters.received_from is not None:
        start = datetime.combine(filters.received_from, time.min, tzinfo=UTC)
        conditions.append(FeedbackItem.received_at >= start)
    if filters.received_to is not None:
        end = datetime.combine(filters.received_to + timedelta(days=1), time.min, tzinfo=UTC)
        conditions.append(FeedbackItem.received_at < end)
    if filters.flagged is True:
        conditions.append(FeedbackItem.suspicion >= SUSPICION_OVERRIDE_THRESHOLD)
    elif filters.flagged is False:
        conditions.append(
            or_(
                FeedbackItem.suspicion.is_(None),
                FeedbackItem.suspicion < SUSPICION_OVERRIDE_THRESHOLD,
            )
        )
    if filters.search:
        conditions.extend(feedback_matches(filters.search, per_row_search))
    return conditions


def inbox_order(filters: InboxFilters) -> tuple[Any, ...]:
    """The inbox's sort, a total order (ties broken by id); it reads the item when by date."""
    if filters.sort == "newest":
        return (FeedbackItem.received_at.desc(), Testimonial.id.desc())
    if filters.sort == "oldest":
        return (FeedbackItem.received_at, Testimonial.id)
    return (Testimonial.rank_score.desc(), Testimonial.id.desc())


# Past this many matches the inbox says "1,000+": counting every match of a broad filter
# over a million items costs more than finding the page.
TOTAL_CAP = 1000


def inbox_page(
    session: Session, workspace_id: int, filters: InboxFilters, page_number: int, per_page: int
) -> Page[Testimonial]:
    """One page of the inbox, for the dashboard.

    The ranked ids of the page come first, so the database never sorts whole rows of text,
    then the page's rows, with their item and tags, but never photos, MinHash signatures or
    raw answers, which no list shows. The total is counted up to TOTAL_CAP (or to the end of
    this page, if deeper): past it the page says so (`Page.more`) and shows "1,000+".

    A search whose matches pass the cap walks the testimonials in the page's order and
    checks each row's words (it stops after the page); a narrower one gathers its matches
    from the text index and sorts them (`inbox_gather`: on PostgreSQL, a search with words
    in scripts of short words gathers its candidates from the character grams, up to
    GATHER_AT_MOST of them, and reads the text only of those the page reaches).
    """
    page_number = valid_page(page_number)
    offset = (page_number - 1) * per_page
    now = utcnow()
    if offset + per_page > TOTAL_CAP:
        deep = _deep_page_ids(session, workspace_id, filters, now, offset, per_page)
        return _page_of(session, *deep, page_number=page_number, per_page=per_page)
    matching = inbox_query(workspace_id, filters, now).with_only_columns(Testimonial.id)
    cap = max(TOTAL_CAP, offset + per_page)
    # SQLite: a search's matches are read from the FTS5 index first (_from_text_index).
    indexed = _from_text_index(session, workspace_id, filters, now)
    # PostgreSQL: a search in a script of short words reads its candidates from the grams
    # once (None: no such word, or too many candidates to be worth it).
    has_grams, listed = _grams_listed(session, workspace_id, filters)
    if has_grams:
        # Rows checked one by one, never the text index's every match (a common word).
        checked = inbox_query(workspace_id, filters, now, per_row_search=True)
        matching = checked.with_only_columns(Testimonial.id)
    if listed is not None:
        matching = _among_candidates(workspace_id, filters, now, listed)
        total, few = _capped_count(session, matching, cap), True
    elif indexed is None:
        counted = matching
        if filters.tag_id is not None and session.get_bind().dialect.name == "sqlite":
            tagged = inbox_query(workspace_id, filters, now, tag_as_list=True)
            counted = tagged.with_only_columns(Testimonial.id)
        total, few = _capped_count(session, counted, cap), False
    else:
        total, few = count_from_text_index(session, indexed, cap, GATHER_AT_MOST)
    more = total > cap
    if more and filters.search and not few:
        walked = inbox_query(workspace_id, filters, now, per_row_search=True)
        matching = walked.with_only_columns(Testimonial.id)
    elif more and listed is not None:
        # Few candidates, more matches than the cap: walked in the page's order, passing
        # over the rows that are no candidate without reading their item.
        matching = _among_candidates(workspace_id, filters, now, listed, walk=True)
    # The rank carries a suspicion penalty, so flagged items sit at the end of each inbox
    # group (scoring.standing): walking the rank index from the top would read most of it.
    flagged_by_rank = bool(filters.flagged) and filters.sort == "rank"
    if not more or flagged_by_rank or (few and listed is None):
        gathered = indexed if indexed is not None and (few or not more) else matching
        matching = gathered_then_sorted(gathered, filters.sort)
    # Nothing at or past this offset (no match at all, a page past the end): no query.
    past_the_end = not more and offset >= total
    ids = [] if past_the_end else list(session.scalars(matching.limit(per_page).offset(offset)))
    return _page_of(session, ids, min(total, cap), more, page_number, per_page)


def _grams_listed(
    session: Session, workspace_id: int, filters: InboxFilters
) -> tuple[bool, Select[Any] | None]:
    """PostgreSQL: whether the search has words in scripts of short words, and the list of
    its candidates (None if it has none, or too many: `gram_candidates_listed`)."""
    if not filters.search or session.get_bind().dialect.name != "postgresql":
        return False, None
    candidates = gram_candidates(workspace_id, filters.search)
    if candidates is None:
        return False, None
    return True, gram_candidates_listed(session, candidates, GATHER_AT_MOST)


def _capped_count(session: Session, matching: Select[Any], cap: int) -> int:
    """The rows of `matching` counted up to cap + 1."""
    capped = matching.order_by(None).limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(capped)) or 0


def _deep_page_ids(
    session: Session,
    workspace_id: int,
    filters: InboxFilters,
    now: datetime,
    offset: int,
    per_page: int,
) -> tuple[list[int], int, bool]:
    """The ids of a page past the counting cap, the matches counted to its end, and whether
    more follow. Counting first would walk the matches as far as the page does, and the
    page would walk them again: the page is read once, with one row past it, and only a
    page past the end counts (fewer matches than its offset).
    """
    listed = _grams_listed(session, workspace_id, filters)[1]
    if listed is not None:
        # PostgreSQL, few candidates from the character grams: gathered and sorted, as
        # SQLite's few matches are (`_walked_or_gathered`), rather than walked to the page's
        # depth (a word that ranks low is met last: its last page read the whole order).
        among = _among_candidates(workspace_id, filters, now, listed)
        matching = gathered_then_sorted(among, filters.sort)
    else:
        matching = _walked_or_gathered(session, workspace_id, filters, now)
    found = list(session.scalars(matching.limit(per_page + 1).offset(offset)))
    if found:
        return found[:per_page], offset + min(len(found), per_page), len(found) > per_page
    counted = inbox_query(workspace_id, filters, now).with_only_columns(Testimonial.id)
    return [], _capped_count(session, counted, offset), False


def _walked_or_gathered(
    session: Session, workspace_id: int, filters: InboxFilters, now: datetime
) -> Select[Any]:
    """A deep page's matches in order: walked in the page's order, or, on SQLite with
    matches estimated few (e.g. a Japanese word that ranks low), gathered from the text
    index and sorted, as for a first page, rather than walked to the page's depth."""
    walked = inbox_query(workspace_id, filters, now, per_row_search=bool(filters.search))
    if filters.search and session.get_bind().dialect.name == "sqlite":
        listed = fts5_gram_candidates(filters.search)  # hashed once from FTS5 (no count)
        walked = skipping_non_candidates(walked, listed)
    matching = walked.with_only_columns(Testimonial.id)
    indexed = _from_text_index(session, workspace_id, filters, now)
    if (
        indexed is not None
        and count_from_text_index(session, indexed, TOTAL_CAP, GATHER_AT_MOST)[1]
    ):
        return gathered_then_sorted(indexed, filters.sort)
    if filters.flagged and filters.sort == "rank":
        return gathered_then_sorted(matching, filters.sort)
    return matching


def _among_candidates(
    workspace_id: int, filters: InboxFilters, now: datetime, listed: Select[Any], walk: bool = False
) -> Select[Any]:
    """PostgreSQL: the ids of the matches among a search's listed candidates (walk: in the
    page's order, `skipping_non_candidates`). A word the grams table answers (`grams_answer`)
    is not checked on the rows: with only such words, no item is read."""
    rest = [word for word in search_words(filters.search or "") if not grams_answer(word)]
    narrowed = replace(filters, search=" ".join(rest) or None)
    matching = inbox_query(workspace_id, narrowed, now, per_row_search=True)
    if walk:
        return skipping_non_candidates(matching, listed).with_only_columns(Testimonial.id)
    return matching.where(Testimonial.item_id.in_(listed)).with_only_columns(Testimonial.id)


def _page_of(
    session: Session, ids: list[int], total: int, more: bool, page_number: int, per_page: int
) -> Page[Testimonial]:
    """The page of these testimonial ids, in this order, with what the inbox shows of them."""
    loaded = session.scalars(
        select(Testimonial)
        .where(Testimonial.id.in_(ids))
        .options(
            defer(Testimonial.photo),
            joinedload(Testimonial.item).defer(FeedbackItem.minhash).defer(FeedbackItem.answers),
            selectinload(Testimonial.tags),
        )
    ).all()
    by_id = {t.id: t for t in loaded}
    items = [by_id[i] for i in ids if i in by_id]
    return Page(items=items, total=total, page=page_number, per_page=per_page, more=more)


def _from_text_index(
    session: Session, workspace_id: int, filters: InboxFilters, now: datetime
) -> Select[Any] | None:
    """On SQLite, the ids of a search's matches read from the FTS5 index first, then joined
    to their items and testimonials (None elsewhere, or with no word long enough to index
    nor any character gram: words of one or two letters go through `feedback_grams_fts`).

    FTS5 hands its matches over lazily in rowid order: a count capped at TOTAL_CAP reads
    only as many as it needs (well under a millisecond at a million items), where
    `ContainsWord`'s `rowid IN (...)` reads every match first (0.5-1.4 s for a common word)
    and SQLite then scans the workspace's items against them. One FTS5 query for all the
    words; shorter words stay conditions on the rows.
    """
    if session.get_bind().dialect.name != "sqlite" or not filters.search:
        return None
    words = search_words(filters.search)
    indexed = [word for word in words if len(word) >= TRIGRAM]
    # No word long enough for a trigram: the character grams of words in scripts of short
    # words give candidates (a superset), and the words stay conditions on the rows.
    name = SEARCH_TABLE if indexed else GRAM_SEARCH_TABLE
    query = fts5_query(indexed) if indexed else fts5_gram_query(words)
    if query is None:
        return None
    rest = replace(filters, search=" ".join(w for w in words if len(w) < TRIGRAM) or None)
    index = table(name, column("rowid"))
    statement = (
        select(Testimonial.id, index.c.rowid.label("item_id"))
        .select_from(index)
        .join(Testimonial, Testimonial.item_id == index.c.rowid)
        .where(fts5_matches(query, name), Testimonial.workspace_id == workspace_id)
    )
    if _reads_item(rest):
        # Else the covering ix_testimonials_item_inbox answers alone (migration 0041).
        statement = statement.join(FeedbackItem, FeedbackItem.id == index.c.rowid).where(
            FeedbackItem.workspace_id == workspace_id
        )
    # The short words checked on each row the index gave (not from the grams again).
    return statement.where(*_conditions(rest, now, per_row_search=True))


# A search with about this many matches or fewer (SQLite: estimated, all workspaces), or
# this many candidates or fewer (PostgreSQL's character grams: counted, in the workspace),
# gathers them all from the text index and sorts them; with more, the page walks the
# inbox's order.
GATHER_AT_MOST = 20_000
