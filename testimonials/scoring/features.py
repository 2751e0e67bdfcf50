"""Countable properties of a piece of text, shared by specificity and suspicion.

Counts are additive, so a testimonial's counts are the sum of its sentences' counts and the
text is read once, in the item's language (`languages`, `cues`).  No numpy here: this runs
for every sentence and must be fast.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress, repeat

from . import lexicons as lx
from .counts import TAIL, TextCounts, by_position, tail_values
from .cues import CueList, cues_for
from .languages import ENGLISH, Language, fold_digits
from .segmentation import segment_words
from .text import ASCII_WORD_RE, WORD_WITH_MARKS_RE, fold_quotes
from .titled_names import finds_no_names, titled_names_finder
from .token_table import (
    LEXICON_BASE,
    NAME_FLAG,
    RARE_CAPITAL,
    UNKNOWN_ZIPF10,
    TokenTable,
    token_table_for,
    unpack_fields,
)
from .unspaced import count_unspaced

# Mean concreteness (1-5) given to a text with no rated word (other languages, too).
NEUTRAL_CONCRETENESS = 3.0

_PERCENT_RE = re.compile(r"\d\s?%|\bper ?cent\b", re.I)
_INITIAL_PUNCT = frozenset('.!?"“”([\n')
_OPENING_MARK = re.compile('[.!?"“”(\\[\n]')  # a character of _INITIAL_PUNCT


_NO_CUES = CueList("und", {}, re.compile(r"(?!)"), re.compile(r"(?!)"))
_GERMAN_TITLES = frozenset({"herr", "frau", "dr", "prof"})
# Marks counted in a sentence (a clause mark may be a spaced hyphen, " - ").
_EXCLAMATION_MARKS = ("!", "\uff01")
_QUESTION_MARKS = ("?", "\uff1f", "\u061f")
_CLAUSE_MARKS = (*",;(:\u2013\u060c\u061b\u3001\uff0c\uff1b\uff1a", " - ")
_SENTIMENT = lx.SENTIMENT


def pack_lexicon(
    zipf10: Mapping[str, int],
    concreteness10: Mapping[str, int] | None = None,
    names: Iterable[str] = (),
) -> dict[str, int]:
    """One English lookup table: word -> Zipf x 10 + LEXICON_BASE x concreteness x 10, plus
    NAME_FLAG for a listed name (a word outside the frequency table keeps its unknown Zipf)."""
    lexicon = dict(zipf10)  # Zipf x 10 stays below LEXICON_BASE (the top English word is 77)
    for word, concreteness in (concreteness10 or {}).items():
        if word in lexicon:
            lexicon[word] += LEXICON_BASE * concreteness
    for word in names:
        lexicon[word] = lexicon.get(word, UNKNOWN_ZIPF10) + NAME_FLAG
    return lexicon


def count_text(text: str, lexicon: Mapping[str, int], language: Language = ENGLISH) -> TextCounts:
    """Count the properties of one sentence (or any span treated as one sentence).

    `lexicon` is the English table of `pack_lexicon` (a plain word -> Zipf x 10 table works
    too: it reads as "no concreteness ratings")."""
    return count_spans(text, ((0, len(text)),), lexicon, language)[0]


def count_spans(
    text: str,
    spans: Iterable[tuple[int, int]],
    lexicon: Mapping[str, int],
    language: Language = ENGLISH,
) -> list[TextCounts]:
    """`count_text` of each span of `text`, with the per-text work done once for all."""
    return _count_pieces(text, spans, lexicon, language)[0]


def _count_pieces(
    text: str, spans: Iterable[tuple[int, int]], lexicon: Mapping[str, int], language: Language
) -> tuple[list[TextCounts], int | None]:
    """`count_spans`, and the spans' word sums added up (None for unspaced languages)."""
    cues = cues_for(language) or _NO_CUES
    # Both folds replace one character by one, so a span of the folded text is the folded span.
    folded = fold_digits(fold_quotes(text))
    pieces = [folded[a:b] for a, b in spans]
    if language.spaced:
        table = token_table_for(lexicon if language.code == "en" else None, cues, language)
        # Plain ASCII has no combining marks: both word patterns find the same words there.
        find_words = (ASCII_WORD_RE if folded.isascii() else WORD_WITH_MARKS_RE).findall
        german = language.code == "de"
        words = [find_words(piece) for piece in pieces]
        # One C-level pass per span adds up every count that depends on the word alone
        # (filling the table with words not seen before).
        sums = [sum(map(table.__getitem__, w)) for w in words]
        counts = list(map(_count_spaced, pieces, words, sums, repeat(table), repeat(german)))
        packed: int | None = sum(sums)
        segmented: list[list[str] | None] = [None] * len(pieces)
    else:
        tokens = [segment_words(piece) for piece in pieces]  # once, for both uses below
        counts = list(map(count_unspaced, pieces, tokens, repeat(cues)))
        segmented = list(tokens)
        packed = None
    find_names = titled_names_finder(language, folded)
    if find_names is not finds_no_names:  # (most texts: no title anywhere in them)
        for piece, c, piece_words in zip(pieces, counts, segmented, strict=True):
            # Names announced by a title (小王, 田中さん, คุณสมชาย, dr patel), where capitals
            # cannot tell.
            for name in find_names(piece, piece_words):
                low = name.lower()
                if language.code == "en" and lexicon.get(low, 0) >= NAME_FLAG:
                    continue  # a listed name, counted already with the words ("dr patel")
                c.proper_nouns += 1
                c.proper_noun_counts[low] = c.proper_noun_counts.get(low, 0) + 1
    _count_marks_and_quantities(folded, pieces, counts, cues, language)
    return counts, packed


def _count_marks_and_quantities(
    text: str, pieces: list[str], counts: list[TextCounts], cues: CueList, language: Language
) -> None:
    """Each sentence's marks, time spans, sums of money and percentages (`pieces` of `text`)."""
    # The exclamation, question and clause marks that occur in the text at all: a mark the
    # text lacks is in none of its sentences, so a sentence counts only these (most texts
    # hold two or three of the thirteen). The counts start at 0.
    exclamations = tuple(filter(text.__contains__, _EXCLAMATION_MARKS))
    questions = tuple(filter(text.__contains__, _QUESTION_MARKS))
    clauses = tuple(filter(text.__contains__, _CLAUSE_MARKS))
    english = language.code == "en"
    for folded, c in zip(pieces, counts, strict=True):
        if not english:
            # No concreteness ratings outside English: the language's concrete-word list
            # stands in for "concrete but uncommon words", so one fitted shape serves all.
            c.concrete_rare = c.concrete
        if exclamations:
            c.exclamations = sum(map(folded.count, exclamations))
        if questions:
            c.questions = sum(map(folded.count, questions))
        if clauses:
            c.clause_marks = sum(map(folded.count, clauses))
        # Every time-span pattern needs a number (digits or a number word): text without
        # one is not searched (most sentences).
        if c.numbers or c.number_words:
            # English time spans need digits ("3 days"); other languages' also take number
            # words.
            if c.numbers or not english:
                c.time_spans = len(cues.time_re.findall(folded))
            c.money = len(cues.money_re.findall(folded))
            # A percentage needs "%" or "cent": most sentences have neither (speed).
            if "%" in folded or "cent" in folded.lower():
                c.percents = len(_PERCENT_RE.findall(folded))


def _count_spaced(
    folded: str, tokens: list[str], packed: int, table: TokenTable, german: bool
) -> TextCounts:
    # The loop below visits only the words whose place matters, found by a C-level pass
    # (`compress` keeps the indices whose place is known).
    places = list(map(table.places.get, tokens))
    negate_until = -1
    sentiment_sum = 0.0
    sentiment_hits = proper_nouns = 0
    proper_noun_counts: dict[str, int] = {}
    scanned = scan_end = 0
    # Whether a mark that can open a sentence stands before the last word: in most sentences
    # none does, and then no later word follows a sentence start (no need to find where
    # each word starts). The last word's last occurrence is at or after its start. Looked
    # for when a capital past the first word first needs it (half the sentences have none).
    breaks: bool | None = None
    for index in compress(range(len(tokens)), places):
        negator, polarity, capital, low = places[index]  # type: ignore[misc]
        if negator:
            negate_until = index + 3
        if polarity is not None:
            sentiment_sum += -polarity if index <= negate_until else polarity
            sentiment_hits += 1
        if capital:
            token = tokens[index]
            if index and breaks is None:
                breaks = _OPENING_MARK.search(folded, 0, folded.rfind(tokens[-1])) is not None
            if index == 0:
                name = capital == RARE_CAPITAL
            elif not breaks:
                name = not german or _german_name(token, tokens[index - 1].lower())
            else:
                # Where the word starts: every letter or digit belongs to some token, so
                # each token is the first match of its text after the previous token's end.
                while scanned < index:
                    scan_end = folded.find(tokens[scanned], scan_end) + len(tokens[scanned])
                    scanned += 1
                if _follows_sentence_start(folded, folded.find(token, scan_end)):
                    # A sentence opens with a rare capitalised word: almost always a name.
                    name = capital == RARE_CAPITAL
                else:
                    name = not german or _german_name(token, tokens[index - 1].lower())
            if name:
                proper_nouns += 1
                proper_noun_counts[low] = proper_noun_counts.get(low, 0) + 1
    # Every field by position (no keyword matching over 37 parameters): the packed word
    # counts, chars, words, proper_nouns, sentiment_sum, sentiment_hits, the six counts
    # of marks and quantities (set by the caller), sentences, proper_noun_counts.
    return by_position(
        *unpack_fields(packed),
        len(folded),
        len(tokens),
        proper_nouns,
        sentiment_sum,
        sentiment_hits,
        *_NO_MARKS,
        1,
        proper_noun_counts,
    )


_NO_MARKS = (0, 0, 0, 0, 0, 0)  # time_spans, money, percents, exclamations, questions, clauses
if TAIL != (
    "chars",
    "words",
    "proper_nouns",
    "sentiment_sum",
    "sentiment_hits",
    "time_spans",
    "money",
    "percents",
    "exclamations",
    "questions",
    "clause_marks",
    "sentences",
):
    raise ImportError("_count_spaced builds TextCounts by position: update it with the fields")


def _german_name(token: str, previous: str) -> bool:
    # German capitalises every noun: only titles' objects, acronyms, CamelCase and product
    # names with digits are taken as names.
    return (
        previous in _GERMAN_TITLES
        or token.isupper()
        or any(ch.isupper() for ch in token[1:])
        or any(ch.isdigit() for ch in token)
    )


def _follows_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _INITIAL_PUNCT


# The specificity model's inputs, in order.  Counts are capped so a runaway value (a
# 100 kB paste) cannot dominate; the model's shape functions are flat past their last knot.
# Chosen by leave-one-domain-out (docs/scoring-evaluation.md): features that carry from
# social posts to reviews.  The share of all-caps words, person, hedges, punctuation counts
# and rare/long word counts added nothing held out, and all-caps words hurt movie reviews.
SPECIFICITY_FEATURES: tuple[str, ...] = (
    "log_words",
    "proper_nouns",
    "numbers",
    "quantities",
    "mean_zipf",
    "content_ratio",
    "mean_word_length",
    "generic_praise_share",
    "vague_share",
    "clause_marks",
    "mean_concreteness",
    "concrete_rare",
)


def specificity_vector(c: TextCounts) -> list[float]:
    """Turn counts into the specificity model's feature vector (see SPECIFICITY_FEATURES)."""
    # Caps and floors as conditionals, not min()/max() calls (this runs for every sentence);
    # the same values and the same arithmetic, so the same floats.
    words = c.words if c.words > 1 else 1
    content_words = c.content_words
    proper_nouns, numbers, clause_marks, concrete_rare = (
        c.proper_nouns,
        c.numbers,
        c.clause_marks,
        c.concrete_rare,
    )
    quantities = c.number_words + c.time_spans + c.money + c.percents
    return [
        math.log1p(c.words),
        proper_nouns if proper_nouns < 10 else 10,
        numbers if numbers < 8 else 8,
        quantities if quantities < 8 else 8,
        c.zipf_sum / (content_words if content_words > 1 else 1) / 10 if content_words else 5.0,
        content_words / words,
        c.letters / words,
        c.generic_praise / words,
        c.vague_references / words,
        clause_marks if clause_marks < 10 else 10,
        (
            c.concreteness_sum / c.concreteness_hits / 10
            if c.concreteness_hits
            else NEUTRAL_CONCRETENESS
        ),
        concrete_rare if concrete_rare < 10 else 10,
    ]


def sentence_counts(
    text: str,
    spans: Sequence[tuple[int, int]],
    lexicon: Mapping[str, int],
    language: Language = ENGLISH,
) -> tuple[list[TextCounts], TextCounts]:
    """Count each sentence span and the whole text (the sum of its sentences)."""
    per_sentence, packed = _count_pieces(text, spans, lexicon, language)
    if packed is None:
        total = TextCounts.summed(per_sentence)
    else:
        # The word counts of the whole text are its sentences' word sums added up, unpacked
        # once; the rest is summed field by field (`summed`, for a third of the fields).
        # (TAIL is every field after the packed ones but the names: all by position.)
        columns = zip(*map(tail_values, per_sentence), strict=True)
        total = by_position(*unpack_fields(packed), *map(sum, columns))
        if language.code != "en":  # each sentence's concrete_rare was set from its list
            total.concrete_rare = sum(c.concrete_rare for c in per_sentence)
        total.add_names(per_sentence)
    total.chars = len(text)
    if language.spaced:
        total.chars = len(text.strip())
    return per_sentence, total
