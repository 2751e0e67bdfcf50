"""Words in feedback: one search, backed by each database's own text index.

A search matches items whose text, author name or author company contains every word (each
word in any of the three), as a substring, case folded — so it works the same in every
language and script, those written without spaces (Chinese, Japanese, Thai, Khmer, Lao)
included: no word segmentation is needed to find "客服" or "ចូលចិត្ត". Both indexes are
trigram indexes, built by migration 0014:
- SQLite: an FTS5 table with the trigram tokenizer (`feedback_search`), kept in step with
  `feedback_items` by triggers (the company since migration 0054);
- PostgreSQL: pg_trgm GIN indexes on the text, the author name and (0054) the company,
  which serve ILIKE.
Words shorter than three characters have no trigram: they are matched by a plain scan of
the rows the other conditions leave; except words with letters of scripts whose words are
short (Han, kana, Hangul, Thai, Lao, Khmer: `GRAM_RANGES`), whose characters and adjacent
pairs are indexed, kept by triggers: on PostgreSQL in `feedback_grams` (migration 0048), on
SQLite in the FTS5 table `feedback_grams_fts` (migration 0050; its triggers call
`feedback_character_grams`, a function on each connection). A word's grams give its
candidates (`gram_candidates`, `fts5_gram_query`: a superset of its matches), and the same
test as ever (ILIKE, or lower() row by row) keeps the matches. On PostgreSQL the table also
keeps each item's runs of those letters (migration 0059): a word all of them is looked up
there too, and its candidates are exactly its matches (`grams_answer`).

Finding the matches through the index is cheap; ranking and counting all of them is not
when a word is common (a million items, a hundred thousand matches). So a word can also be
checked row by row (`per_row`): the caller walks the testimonials in rank order through
their own index and stops after a page, checking each row's text. PostgreSQL folds case
with lower(); SQLite with `folded_contains`, a function on each connection that folds
exactly as the FTS5 trigram tokenizer does (its table is read from FTS5 itself), so the
row-by-row answer is the index's. (Reading every FTS5 match of a common word costs 0.5-1.4 s
at a million items; probing FTS5 for one row, 2-6 ms; reading FTS5's first matches in rowid
order stops early and costs well under a millisecond: `fts5_query` for a caller that drives
a capped count or a small gather from the index.) `curation.inbox` picks per page.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    Engine,
    Select,
    Text,
    bindparam,
    cast,
    column,
    event,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from testimonials.harvest.grams import (
    GRAM_RANGES,
    character_grams,
    character_runs,
    grams_answer,
    looked_up_grams,
    looked_up_runs,
    sqlite_character_grams,
)
from testimonials.harvest.models import FeedbackItem

__all__ = [
    "GRAM_RANGES",
    "character_grams",
    "character_runs",
    "grams_answer",
    "sqlite_character_grams",
]

MAX_WORDS = 8
# The longest search a box takes: past it a search is refused, with a message saying so.
MAX_SEARCH_LENGTH = 200
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
        "ix_feedback_items_author_company_trgm",
        # The inbox joins a search's matches to their testimonials reading this covering
        # index alone (SQLite: migration 0041; PostgreSQL spells it with INCLUDE).
        "ix_testimonials_item_inbox",
        # SQLite: the inbox's star-rating filter (migration 0055; PostgreSQL needs none).
        "ix_feedback_items_workspace_rating",
        # PostgreSQL: the character grams of scripts with short words (migration 0048).
        "feedback_grams",
        "ix_feedback_grams_grams",
        # SQLite: the same grams in an FTS5 table of their own (migration 0050).
        *(f"feedback_grams_fts{part}" for part in ("", "_data", "_idx", "_config", "_content")),
    }
)
# SQLite: the character grams of an item (`sqlite_character_grams`, space-separated) as an
# FTS5 table, rowid = item id, with the ascii tokenizer: every non-ASCII character is a
# token character, so each gram is one token, taken as it is.
GRAM_SEARCH_TABLE = "feedback_grams_fts"

GRAM_TABLE = table(
    "feedback_grams",
    column("item_id"),
    column("workspace_id"),
    column("grams", TSVECTOR),
    # The item's runs of those letters, distinct, space-separated (migration 0059).
    column("runs", Text),
)


# What a search looks in: the customer's words, who they are and where they work.
SEARCHED_COLUMNS = (FeedbackItem.text, FeedbackItem.author_name, FeedbackItem.author_company)


def search_words(search: str) -> list[str]:
    """The words of a search box, at most MAX_WORDS of them."""
    return search.split()[:MAX_WORDS]


def search_problem(search: str) -> str | None:
    """Why a search box's words cannot be searched as they are (a readable sentence), or None."""
    if len(search) > MAX_SEARCH_LENGTH:
        return (
            f"A search is at most {MAX_SEARCH_LENGTH} characters; this one has "
            f"{len(search):,}. Search for a few words of it."
        )
    return None


def words_left_out(search: str) -> list[str]:
    """The words past the first MAX_WORDS, which a search does not look for."""
    return search.split()[MAX_WORDS:]


def gram_candidates(workspace_id: int, search: str) -> Select[Any] | None:
    """PostgreSQL: the ids of the items that may contain every word of `search`, read from
    `feedback_grams` alone, or None if no word has letters in GRAM_RANGES. For a word all of
    those letters (`grams_answer`) they are exactly the items holding it; for any other
    word, a superset (its letters in the item, not necessarily beside its other letters).

    An item holding a word holds the word's grams in its text, author name or company
    (lower() leaves these scripts' letters as they are), and each of the word's longer runs
    inside one of its own runs, so no match is left out; a word without such letters adds
    no gram and is left to the check on each row.
    """
    words = search_words(search)
    grams = sorted({gram for word in words for gram in looked_up_grams(word)})
    if not grams:
        return None
    runs = sorted({run for word in words for run in looked_up_runs(word)})
    # After the index's candidates, on their row of the narrow table: no item is read.
    together = (func.strpos(GRAM_TABLE.c.runs, bindparam(None, run)) > 0 for run in runs)
    return select(GRAM_TABLE.c.item_id).where(
        GRAM_TABLE.c.workspace_id == workspace_id, _holds_every(grams), *together
    )


def _holds_every(grams: list[str]) -> ColumnElement[bool]:
    """The grams row holds every one of `grams`: a tsquery of quoted lexemes, which
    PostgreSQL takes as they are (no parser, no dictionary)."""
    quoted = (gram.replace("\\", "\\\\").replace("'", "''") for gram in grams)
    query = " & ".join(f"'{gram}'" for gram in quoted)
    return GRAM_TABLE.c.grams.op("@@")(cast(bindparam(None, query, type_=Text), TSQUERY))


def feedback_matches(search: str, per_row: bool = False) -> list[ColumnElement[bool]]:
    """Conditions on FeedbackItem: its text, author name or company contains each word.

    per_row: check each row the query reaches rather than gather every match from the
    index first (for a query that walks another index and stops early).
    """
    return [ContainsWord(word, per_row) for word in search_words(search)]


class ContainsWord(ColumnElement[bool]):
    """FeedbackItem's text, author name or company contains `word`; compiled per database."""

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
    either = or_(*(column.ilike(pattern, escape="\\") for column in SEARCHED_COLUMNS))
    # Parenthesised: the element stands inside ANDs that would otherwise bind tighter.
    return f"({compiler.process(either, **kw)})"


@compiles(ContainsWord, "postgresql")
def _trigram(element: ContainsWord, compiler: Any, **kw: Any) -> str:
    grams = sorted(looked_up_grams(element.word))
    if not element.per_row and grams:
        # pg_trgm has nothing for a word of one or two such letters: its grams find the
        # candidates (a superset of the matches), ILIKE keeps the matches.
        candidates = select(GRAM_TABLE.c.item_id).where(_holds_every(grams))
        found = compiler.process(FeedbackItem.id.in_(candidates), **kw)
        return f"({found} AND {_scan(element, compiler, **kw)})"
    if not element.per_row:
        return _scan(element, compiler, **kw)
    # The same test as ILIKE (which folds case with lower() too), in a form the trigram
    # indexes cannot serve: the planner walks the order's index and reads each row.
    word = func.lower(bindparam(None, element.word))
    either = or_(*(func.strpos(func.lower(column), word) > 0 for column in SEARCHED_COLUMNS))
    return f"({compiler.process(either, **kw)})"


def fts5_query(words: list[str]) -> str:
    """The FTS5 query for rows holding every one of these words (of TRIGRAM letters or more)."""
    # A quoted FTS5 string is a phrase of trigrams: with this tokenizer, a substring.
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def fts5_matches(query: str, index: str = SEARCH_TABLE) -> ColumnElement[bool]:
    """The condition on the FTS5 table `index` (in the statement's FROM) that it matches
    `query`."""
    return literal_column(index).op("MATCH")(bindparam(None, query))


def fts5_gram_query(words: list[str]) -> str | None:
    """SQLite: the query of `GRAM_SEARCH_TABLE` for the candidates of these words (items
    holding each word's grams: a superset of the matches), or None if no word has letters
    in GRAM_RANGES. Each gram is one token: a quoted string of it is that token."""
    grams = sorted({gram for word in words for gram in looked_up_grams(word)})
    return fts5_query(grams) if grams else None


def fts5_gram_candidates(search: str) -> Select[Any] | None:
    """SQLite: the ids of the items that may contain every word of `search` (holding each
    word's grams: a superset of the matches), or None if no word has letters in GRAM_RANGES
    (longer words too: their pairs narrow the walk of a deep page)."""
    query = fts5_gram_query(search_words(search))
    return None if query is None else _fts5_gram_rowids(query)


def _fts5_gram_rowids(query: str) -> Select[Any]:
    gram_index: Select[Any] = select(literal_column("rowid")).select_from(table(GRAM_SEARCH_TABLE))
    return gram_index.where(fts5_matches(query, GRAM_SEARCH_TABLE))


@compiles(ContainsWord, "sqlite")
def _fts5(element: ContainsWord, compiler: Any, **kw: Any) -> str:
    if len(element.word) < TRIGRAM:
        grams = None if element.per_row else fts5_gram_query([element.word])
        if grams is None:
            return _scan(element, compiler, **kw)
        # No trigram in a word of one or two characters: its grams find the candidates (a
        # superset of the matches), the scan keeps the matches.
        found = compiler.process(FeedbackItem.id.in_(_fts5_gram_rowids(grams)), **kw)
        return f"({found} AND {_scan(element, compiler, **kw)})"
    if element.per_row:
        # The row's own text, folded as FTS5 folds it: no read of the word's every match
        # (a common word has a hundred thousand) and no FTS5 probe per row (milliseconds).
        word: BindParameter[str] = bindparam(None, fold_as_fts5(element.word))
        either = or_(*(func.folded_contains(column, word) == 1 for column in SEARCHED_COLUMNS))
        return f"({compiler.process(either, **kw)})"
    found = fts5_matches(fts5_query([element.word]))
    matching: Select[Any] = select(literal_column("rowid")).select_from(table(SEARCH_TABLE))
    return compiler.process(FeedbackItem.id.in_(matching.where(found)), **kw)


@cache
def _fts5_case_folding() -> dict[int, int]:
    """How FTS5's trigram tokenizer folds case, code point by code point, as this process's
    SQLite does it (it differs from Python's lower() on ~180 letters: ς, ſ, µ, Cherokee...).

    Read from FTS5 itself: every letter Python knows a case of is indexed as a trigram of
    itself, and the term FTS5 stored is its folded form.
    """
    letters = [
        code
        for code in (*range(0xD800), *range(0xE000, 0x10000), *range(0x10400, 0x10450))
        if chr(code).lower() != chr(code)
        or chr(code).upper() != chr(code)
        or chr(code).casefold() != chr(code)
    ]
    import sqlite3  # here: a worker on PostgreSQL never loads SQLite's driver (~1 MiB)

    with sqlite3.connect(":memory:") as scratch:
        scratch.execute("CREATE VIRTUAL TABLE letters USING fts5(letter, tokenize='trigram')")
        scratch.executemany(
            "INSERT INTO letters(rowid, letter) VALUES (?, ?)", [(c, chr(c) * 3) for c in letters]
        )
        scratch.execute("CREATE VIRTUAL TABLE stored USING fts5vocab(letters, 'instance')")
        terms = scratch.execute("SELECT doc, term FROM stored").fetchall()
    scratch.close()
    return {code: ord(term[0]) for code, term in terms if ord(term[0]) != code}


def fold_as_fts5(words: str) -> str:
    """`words` with case folded as the FTS5 trigram index folds it."""
    return words.translate(_fts5_case_folding())


def _folded_contains(text: str | None, folded_word: str) -> int:
    return int(text is not None and folded_word in fold_as_fts5(text))


@event.listens_for(Engine, "connect")
def _add_search_functions(dbapi_connection: Any, _record: Any) -> None:
    # Every SQLite connection: the row-by-row check of a word (`ContainsWord(per_row=True)`).
    sqlite3 = sys.modules.get("sqlite3")  # not loaded: the connection is not SQLite's
    if sqlite3 is not None and isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("folded_contains", 2, _folded_contains, deterministic=True)


def include_in_schema_comparison(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic `include_object`: the search index is the migrations' own, not the models'."""
    return name not in SEARCH_SCHEMA_OBJECTS
