"""Words in feedback: one search, backed by each database's own text index.

A search matches items whose text or author name contains every word, as a substring, case
folded — so it works the same in every language and script, those written without spaces
(Chinese, Japanese, Thai, Khmer, Lao) included: no word segmentation is needed to find
"客服" or "ចូលចិត្ត". Both indexes are trigram indexes, built by migration 0014:
- SQLite: an FTS5 table with the trigram tokenizer (`feedback_search`), kept in step with
  `feedback_items` by triggers;
- PostgreSQL: pg_trgm GIN indexes on the text and the author name, which serve ILIKE.
Words shorter than three characters have no trigram: they are matched by a plain scan of
the rows the other conditions leave.

Finding the matches through the index is cheap; ranking and counting all of them is not
when a word is common (a million items, a hundred thousand matches). So a word can also be
checked row by row (`per_row`): the caller walks the testimonials in rank order through
their own index and stops after a page, checking each row (PostgreSQL reads the row's
text; SQLite looks the row up in the word's matches, gathered once from FTS5).
`curation.inbox` picks per page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Select,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from testimonials.harvest.models import FeedbackItem

MAX_WORDS = 8
TRIGRAM = 3
SEARCH_TABLE = "feedback_search"
# Made by migrations beside the models (FTS5 shadow tables, trigram indexes): schema
# comparisons leave them out.
SEARCH_SCHEMA_OBJECTS = frozenset(
    {
        SEARCH_TABLE,
        *(f"{SEARCH_TABLE}_{part}" for part in ("data", "idx", "docsize", "config", "content")),
        "ix_feedback_items_text_trgm",
        "ix_feedback_items_author_name_trgm",
        # PostgreSQL only (migration 0040): the inbox joins an item to its testimonial
        # reading this covering index alone.
        "ix_testimonials_item_inbox",
    }
)


def search_words(search: str) -> list[str]:
    """The words of a search box, at most MAX_WORDS of them."""
    return search.split()[:MAX_WORDS]


def feedback_matches(search: str, per_row: bool = False) -> list[ColumnElement[bool]]:
    """Conditions on FeedbackItem: its text or author name contains each word of `search`.

    per_row: check each row the query reaches rather than gather every match from the
    index first (for a query that walks another index and stops early).
    """
    return [ContainsWord(word, per_row) for word in search_words(search)]


class ContainsWord(ColumnElement[bool]):
    """FeedbackItem's text or author name contains `word`; compiled per database."""

    type = Boolean()
    inherit_cache = True
    _traverse_internals = [
        ("word", InternalTraversal.dp_string),
        ("per_row", InternalTraversal.dp_boolean),
    ]

    def __init__(self, word: str, per_row: bool = False) -> None:
        self.word = word
        self.per_row = per_row


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@compiles(ContainsWord)
def _scan(element: ContainsWord, compiler: Any, **kw: Any) -> str:
    pattern = _like_pattern(element.word)
    either = or_(
        FeedbackItem.text.ilike(pattern, escape="\\"),
        FeedbackItem.author_name.ilike(pattern, escape="\\"),
    )
    # Parenthesised: the element stands inside ANDs that would otherwise bind tighter.
    return f"({compiler.process(either, **kw)})"


@compiles(ContainsWord, "postgresql")
def _trigram(element: ContainsWord, compiler: Any, **kw: Any) -> str:
    if not element.per_row:
        return _scan(element, compiler, **kw)
    # The same test as ILIKE (which folds case with lower() too), in a form the trigram
    # indexes cannot serve: the planner walks the order's index and reads each row.
    word = func.lower(bindparam(None, element.word))
    either = or_(
        func.strpos(func.lower(FeedbackItem.text), word) > 0,
        func.strpos(func.lower(FeedbackItem.author_name), word) > 0,
    )
    return f"({compiler.process(either, **kw)})"


@compiles(ContainsWord, "sqlite")
def _fts5(element: ContainsWord, compiler: Any, **kw: Any) -> str:
    if len(element.word) < TRIGRAM:
        return _scan(element, compiler, **kw)
    # A quoted FTS5 string is a phrase of trigrams: with this tokenizer, a substring.
    phrase = '"' + element.word.replace('"', '""') + '"'
    found = literal_column(SEARCH_TABLE).op("MATCH")(bindparam(None, phrase))
    # Per row too: SQLite gathers the word's rowids once per statement (fast: FTS5 reads
    # posting lists) and checks each walked row against them; a correlated FTS5 probe per
    # row measured ~1 ms a row, far slower.
    matching: Select[Any] = select(literal_column("rowid")).select_from(table(SEARCH_TABLE))
    return compiler.process(FeedbackItem.id.in_(matching.where(found)), **kw)


def include_in_schema_comparison(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic `include_object`: the search index is the migrations' own, not the models'."""
    return name not in SEARCH_SCHEMA_OBJECTS
