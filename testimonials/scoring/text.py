"""Text normalisation, sentence splitting and word tokens for scoring.

Everything here works on the customer's own text: no tokeniser-specific quirks, no
dependence on tweet syntax.  Offsets always refer to the original string so an excerpt can
be cut from it verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Work on a bounded prefix: a 100 kB paste is almost always an accident and scoring the
# first pages gives the same answer in bounded time.
MAX_SCORED_CHARS = 20_000


def ascii_spaces_except(kept: str) -> dict[int, str]:
    """A `str.translate` table turning every ASCII character not in `kept` into a space: with
    `.split()` after it, the runs of `kept` in ASCII text, without a regex (hot paths)."""
    return str.maketrans({c: " " for c in range(128) if chr(c) not in kept})


def any_of_re(hints: Iterable[str]) -> re.Pattern[str]:
    """A pattern found in a text exactly where one of `hints` is (each holds a dot or a
    colon): one pass in which the engine skips from one dot or colon to the next, instead of
    a substring scan per hint. Each hint is told by a look back to its first dot or colon."""
    alternatives = []
    for hint in hints:
        at = min(i for i in (hint.find("."), hint.find(":")) if i >= 0)
        alternatives.append(f"(?<={re.escape(hint[: at + 1])}){re.escape(hint[at + 1 :])}")
    return re.compile("[.:](?:" + "|".join(alternatives) + ")")


WORD_RE = re.compile(r"[^\W_]++(?:['\u2019][^\W_]++)*+", re.UNICODE)  # (possessive: see below)
# WORD_RE's words of plain ASCII text, found about a quarter sooner (ASCII ranges instead of
# Unicode categories). The quantifiers are possessive (never give back): nothing after them
# can fail, so the matches are those of the greedy ones, without the engine keeping
# backtracking points for every word (a sixth sooner again; tests hold them equal).
ASCII_WORD_RE = re.compile(r"[A-Za-z0-9]++(?:'[A-Za-z0-9]++)*+")
# Combining marks are part of a word (Devanagari vowel signs, Arabic harakat, accents typed
# as two code points); \w leaves them out.  Used for text that is not plain ASCII.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0dff\u1ab0-\u1aff\u1dc0-\u1dff\u200c\u200d"
)
WORD_WITH_MARKS_RE = re.compile(
    rf"[^\W_](?:[^\W_]|[{_MARKS}])*+(?:['\u2019](?:[^\W_]|[{_MARKS}])++)*+", re.UNICODE
)
# Sentence ends: Latin, Arabic (U+061F, U+06D4) and Devanagari (U+0964) stops before a space,
# CJK and Khmer full stops end a sentence even with no space after them (none is written),
# and line breaks.  Written as one character of any of the three kinds, then what follows
# that kind (told by a look back at it): a pattern that opens with a character class lets
# the regex engine skip to the next candidate in one tight loop instead of trying three
# alternatives at every place (4x fewer µs; the same matches as the three alternatives).
_SPACED_STOPS = ".!?\u2026\u061f\u06d4\u0964"
_UNSPACED_STOPS = "\u3002\uff01\uff1f\u17d4\u17d5"
SENTENCE_END_RE = re.compile(
    f"[{_SPACED_STOPS}{_UNSPACED_STOPS}\\n]"
    f"(?:(?<=[{_SPACED_STOPS}])[{_SPACED_STOPS}]*[\"'\u201d\u2019)\\]]*(?=\\s+|$)"
    f"|(?<=[{_UNSPACED_STOPS}])[{_UNSPACED_STOPS}]*[\"'\u201d\u2019)\\]\u300d\u300f]*"
    "|(?<=\\n))"
)
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sr jr vs etc inc ltd co no approx dept e.g i.e u.s a.m p.m".split()  # noqa: SIM905
)

# Undo the research corpora's tokenisation ("ca n't", "it 's", " .") so training text looks
# like the text customers actually type; the runtime scorer never needs this.
_CORPUS_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<(?:USER|URL|user|url)>"), " "),
    (
        re.compile(
            r"\b(ca|wo|do|does|did|is|are|was|were|have|has|had|could|would|should)"
            r" n't\b",
            re.I,
        ),
        r"\1n't",
    ),
    (re.compile(r"\b(\w+) n't\b"), r"\1n't"),
    (re.compile(r" (['\u2019](?:s|re|ve|ll|d|m))\b", re.I), r"\1"),
    (re.compile(r"\s+([.,!?;:%)\]])"), r"\1"),
    (re.compile(r"([(\[$])\s+"), r"\1"),
    (re.compile(r"\.(?:\s*\.){2,}"), "..."),
    (re.compile(r"(?<!\w)[@#](?=\w)"), ""),
    (re.compile(r"\s{2,}"), " "),
)


def normalise_corpus_text(text: str) -> str:
    """Undo research-corpus tokenisation and placeholders (used at training time only)."""
    for pattern, replacement in _CORPUS_FIXES:
        text = pattern.sub(replacement, text)
    return text.strip()


_HTML_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]{0,200}>|&(?:[a-z]{2,8}|#\d{1,6});")


def scored_prefix(text: str) -> str:
    """The part of the text that is scored (a bounded prefix of the original)."""
    return text[:MAX_SCORED_CHARS]


def mask_markup(text: str) -> str:
    """Blank out HTML tags and entities with spaces, keeping every offset unchanged."""
    if "<" not in text and "&" not in text:
        return text
    return _HTML_TAG_RE.sub(lambda m: " " * len(m.group()), text)


@dataclass(frozen=True, slots=True)
class Span:
    """A sentence as offsets into the original text."""

    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Split text into sentence spans (offsets into `text`), trimmed of whitespace."""
    return [Span(start, end) for start, end in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """`split_sentences` as (start, end) pairs, without building a Span for each."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_END_RE.finditer(text):
        end = match.end()
        # "Dr. Smith" or "e.g. the" is not a sentence end ("3.5" or "U.S." never match: the
        # pattern wants whitespace after the stop).
        if text[match.start()] == "." and ends_abbreviation(text, start, match.start()):
            continue
        _append_trimmed(text, start, end, spans)
        start = end
    _append_trimmed(text, start, len(text), spans)
    return spans


# `str.isalnum()` as a regex: a piece of text with one is a sentence.
_ALNUM_RE = re.compile(r"[^\W_]")
# The last two letters of every abbreviation a word can be: a full stop after a word ending in
# any other pair (most full stops) ends a sentence without a look at the word.
_ABBREVIATION_TAILS = frozenset(a[-2:] for a in ABBREVIATIONS if WORD_RE.fullmatch(a))


def ends_abbreviation(text: str, start: int, stop: int) -> bool:
    """Whether the full stop at `stop` follows an abbreviation (the sentence began at `start`)."""
    # A letter or digit before the stop ends the last word: only a word ending like an
    # abbreviation needs the word itself (one-letter words are never abbreviations).
    if (
        stop > start
        and text[stop - 1].isalnum()
        and text[stop - 2 : stop].lower() not in _ABBREVIATION_TAILS
    ):
        return False
    words = WORD_RE.findall(text, max(start, stop - 6), stop)
    return bool(words) and words[-1].lower() in ABBREVIATIONS


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and _ALNUM_RE.search(text, start, end):
        spans.append((start, end))
    elif end > start and spans:
        # Stray punctuation or emoji after a sentence belongs to it.
        spans[-1] = (spans[-1][0], end)


def words(text: str) -> list[str]:
    """Return the word tokens of `text` (letters/digits with inner apostrophes)."""
    return (WORD_RE if text.isascii() else WORD_WITH_MARKS_RE).findall(text)


def fold_quotes(text: str) -> str:
    """Replace typographic apostrophes so lexicon lookups match."""
    return text.replace("\u2019", "'").replace("\u2018", "'")
