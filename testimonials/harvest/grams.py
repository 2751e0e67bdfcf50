"""The character grams of scripts of short words, and SQLite's function that lists them.

Chinese, Japanese, Korean, Thai, Khmer and Lao words are often one or two characters long,
with no trigram for a text index to find: each character of those scripts and each pair of
adjacent ones is indexed instead (PostgreSQL: `feedback_grams`, migration 0048; SQLite:
`feedback_grams_fts`, migration 0050), and `harvest.search` looks a word's grams up.
PostgreSQL's table also keeps the item's runs of those letters (migration 0059), so a longer
word of them is checked there, in the narrow table, not in each candidate's item.

SQLite's triggers on feedback_items call `feedback_character_grams(text, author_name)` (since
migration 0054 with the name and the company together as `author_name`), a Python function
registered here on every SQLite connection. It lives beside the models
(which import this module), not in `harvest.search`: whatever writes feedback items
imports the models, so no connection that inserts one can lack the function.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import add
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

# Scripts whose words are often one or two characters long, or written without spaces:
# Han (extensions and compatibility ideographs too), kana, Hangul syllables, Thai, Lao,
# Khmer. Each of their characters and adjacent pairs is indexed (PostgreSQL: migration 0048,
# whose SQL function must find the same ranges; SQLite: migration 0050 backfills with its
# own copy of them).
GRAM_RANGES = (
    (0x0E00, 0x0EFF),
    (0x1780, 0x17FF),
    (0x19E0, 0x19FF),
    (0x3040, 0x30FF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),
    (0x20000, 0x3134F),
)
_GRAM_RUN = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in GRAM_RANGES) + "]+")


def character_runs(words: str) -> list[str]:
    """The distinct runs of letters in GRAM_RANGES of `words` (each as long as it goes),
    sorted: as `feedback_character_runs` (migration 0059) stores them, space-separated."""
    if words.isascii():
        # Most texts, and SQLite's triggers ask for every item: O(1), where the pattern
        # reads each character (~20 µs for a 400-character review).
        return []
    return sorted(set(_GRAM_RUN.findall(words)))  # a word written twice is one run


def character_grams(words: str) -> list[str]:
    """Each character, and each pair of adjacent characters, of `words`' runs of letters in
    GRAM_RANGES, sorted: as `feedback_character_grams` (migration 0048) indexes them."""
    return _grams_of(character_runs(words))


def _grams_of(runs: list[str]) -> list[str]:
    grams: set[str] = set()
    for run in runs:
        grams.update(run)
        grams.update(map(add, run, run[1:]))  # adjacent pairs, without a slice each
    return sorted(grams)


def sqlite_character_grams(text: str | None, author_name: str | None) -> str | None:
    """SQLite's `feedback_character_grams(text, author_name)` (migration 0050's triggers call
    it): the item's `character_grams`, space-separated, or NULL if it has none."""
    return " ".join(character_grams(f"{text or ''} {author_name or ''}")) or None


@contextmanager
def grams_given_by_caller(session: Session) -> Iterator[bool]:
    """Inside, PostgreSQL's insert trigger leaves new items' grams to the caller: True if so.

    A bulk import computes them here (about 50 µs an item in a script of short words,
    against ~2 ms in SQL: migration 0051) and stores them with `store_character_grams`. The
    setting is local to the transaction and put back after the block, so any other insert
    of the transaction goes through the trigger again. SQLite: False (its triggers call
    `sqlite_character_grams`, this process's own code, already).
    """
    if session.connection().dialect.name != "postgresql":
        yield False
        return
    session.execute(text("SELECT set_config('testimonials.grams_given', 'on', true)"))
    yield True
    # Not in a `finally`: after an error the transaction is rolled back, setting included.
    session.execute(text("SELECT set_config('testimonials.grams_given', 'off', true)"))


def store_character_grams(
    session: Session,
    workspace_id: int,
    items: Iterable[tuple[int, str | None, str | None, str | None]],
) -> None:
    """PostgreSQL: the grams and runs of new items (id, text, author name, company),
    inserted in `grams_given_by_caller`, in one statement: what the trigger would have
    stored."""
    given = [
        (item_id, " ".join(_grams_of(runs)), " ".join(runs))
        for item_id, words, author_name, company in items
        if (runs := character_runs(f"{words or ''} {author_name or ''} {company or ''}"))
    ]
    if not given:
        return
    # A gram or a run is letters of GRAM_RANGES only: never a space, so a space separates
    # them.
    session.execute(
        text(
            "INSERT INTO feedback_grams (item_id, workspace_id, grams, runs) "
            "SELECT item_id, :workspace_id, array_to_tsvector(string_to_array(grams, ' ')), runs "
            "FROM unnest(CAST(:ids AS integer[]), CAST(:grams AS text[]), CAST(:runs AS text[])) "
            "AS given (item_id, grams, runs)"
        ),
        {
            "workspace_id": workspace_id,
            "ids": [item_id for item_id, _grams, _runs in given],
            "grams": [grams for _id, grams, _runs in given],
            "runs": [runs for _id, _grams, runs in given],
        },
    )


def looked_up_grams(word: str) -> set[str]:
    """The grams a search for `word` looks up: the pairs of each run (its characters are
    in them), a run of one character itself."""
    grams: set[str] = set()
    for run in _GRAM_RUN.findall(word):
        grams.update([run] if len(run) == 1 else (run[i : i + 2] for i in range(len(run) - 1)))
    return grams


def looked_up_runs(word: str) -> set[str]:
    """The runs of `word` longer than a gram: an item holding the word holds each of them
    inside one of its own runs (`character_runs`), so the grams table's runs narrow the
    candidates to the items where the letters stand together, not only the pairs."""
    return {run for run in _GRAM_RUN.findall(word) if len(run) > 2}


def grams_answer(word: str) -> bool:
    """Whether the grams table alone tells which items hold `word`: a word all of letters
    in GRAM_RANGES. One or two letters are a gram itself, and an item holds that gram
    exactly when its text, author name or company holds the word; a longer one is in one
    of the item's runs exactly when they hold it (`looked_up_runs`). A gram or a run never
    spans a space, and the columns are joined by spaces; these scripts have no case for
    ILIKE to fold."""
    return _GRAM_RUN.fullmatch(word) is not None


@event.listens_for(Engine, "connect")
def _add_gram_function(dbapi_connection: Any, _record: Any) -> None:
    sqlite3 = sys.modules.get("sqlite3")  # not loaded: the connection is not SQLite's
    if sqlite3 is not None and isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(
            "feedback_character_grams", 2, sqlite_character_grams, deterministic=True
        )
