"""Countable properties of a piece of text, shared by specificity and suspicion.

Counts are additive, so a testimonial's counts are the sum of its sentences' counts and the
text is read once, in the item's language (`languages`, `cues`).  No numpy here: this runs
for every sentence and must be fast.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from . import lexicons as lx
from .cues import (
    CIRCUM,
    CONCRETE,
    EXCLUSIVE,
    FPP,
    FPS,
    FUNCTION,
    HEDGE,
    NEG,
    NEGEMO,
    NUMWORD,
    PRAISE,
    PREP,
    SECOND,
    SPATIAL,
    SUPER,
    VAGUE,
    CueList,
    cues_for,
)
from .languages import ENGLISH, Language, fold_digits, segment_words
from .text import WORD_RE, WORD_WITH_MARKS_RE, fold_quotes

# Zipf value (x10) given to words missing from the frequency table: rarer than anything in it.
UNKNOWN_ZIPF10 = 15
RARE_ZIPF10 = 35
# A capitalised first word of a sentence is taken as a name when it is this rare or unknown
# ("Ringu is a disaster", "Broomfield reveals ..."): common words open sentences all the time.
INITIAL_NAME_ZIPF10 = 30
# The English lexicon packs two numbers per word into one int so the hot loop does one
# lookup: Zipf frequency x 10 (0-99) and concreteness x 10 (Brysbaert et al. 2014, 10-50;
# 0 when the word is not rated).  See `pack_lexicon`.
LEXICON_BASE = 100
# A content word this concrete (x 10) and less common than this (Zipf x 10) is a concrete
# detail ("shrimp", "invoice", "hallway"), unlike frequent concrete heads ("food", "room").
CONCRETE10 = 40
CONCRETE_RARE_ZIPF10 = 50
# Mean concreteness (1-5) given to a text with no rated word (other languages, too).
NEUTRAL_CONCRETENESS = 3.0

_PERCENT_RE = re.compile(r"\d\s?%|\bper ?cent\b", re.I)
_INITIAL_PUNCT = frozenset('.!?"“”([\n')
_PRONOUN_I = frozenset({"i", "i'm", "i've", "i'd", "i'll"})


@dataclass(slots=True)
class TextCounts:
    """Raw counts for one span of text (a sentence or a whole testimonial)."""

    chars: int = 0
    words: int = 0
    content_words: int = 0
    zipf_sum: int = 0
    rare_words: int = 0
    long_words: int = 0
    letters: int = 0
    numbers: int = 0
    number_words: int = 0
    time_spans: int = 0
    money: int = 0
    percents: int = 0
    proper_nouns: int = 0
    concreteness_sum: int = 0
    concreteness_hits: int = 0
    concrete_rare: int = 0
    caps_words: int = 0
    generic_praise: int = 0
    first_person: int = 0
    first_person_plural: int = 0
    second_person: int = 0
    hedges: int = 0
    prepositions: int = 0
    vague_references: int = 0
    concrete: int = 0
    circumstances: int = 0
    superlatives: int = 0
    negative_emotion: int = 0
    exclusive: int = 0
    spatial: int = 0
    exclamations: int = 0
    questions: int = 0
    clause_marks: int = 0
    sentences: int = 0
    sentiment_sum: float = 0.0
    sentiment_hits: int = 0
    proper_noun_counts: dict[str, int] = field(default_factory=dict)

    def add(self, other: TextCounts) -> None:
        """Accumulate another span's counts into this one."""
        for name, value in zip(_ADDITIVE, _additive_values(other), strict=True):
            if value:
                setattr(self, name, getattr(self, name) + value)
        for word, n in other.proper_noun_counts.items():
            self.proper_noun_counts[word] = self.proper_noun_counts.get(word, 0) + n

    @classmethod
    def summed(cls, parts: Sequence[TextCounts]) -> TextCounts:
        """The counts of a text made of `parts` (one pass per field, not per part)."""
        columns = zip(*map(_additive_values, parts), strict=True) if parts else ()
        total = cls(**{name: sum(column) for name, column in zip(_ADDITIVE, columns, strict=False)})
        for part in parts:
            for word, n in part.proper_noun_counts.items():
                total.proper_noun_counts[word] = total.proper_noun_counts.get(word, 0) + n
        return total


_ADDITIVE = tuple(name for name in TextCounts.__dataclass_fields__ if name != "proper_noun_counts")
_additive_values = attrgetter(*_ADDITIVE)


# Zipf value (x10) given to content words of languages without a frequency table: the
# middle of the English distribution, so such words count neither as rare nor as common.
NEUTRAL_ZIPF10 = 45
# Latin-equivalent characters and letters per word, used for scripts without spaces, whose
# character counts are not comparable with alphabetic text (a Han character is about a word).
LATIN_CHARS_PER_WORD = 5.6
LATIN_LETTERS_PER_WORD = 4.5
_NO_CUES = CueList("und", {}, re.compile(r"(?!)"), re.compile(r"(?!)"))
_GERMAN_TITLES = frozenset({"herr", "frau", "dr", "prof"})
_QUOTED_NAME_RE = re.compile(r"[《「『【][^》」』】]{1,40}[》」』】]")
_ASCII_CLAUSE_MARKS = ",;(:"
_CLAUSE_MARKS = ",;(:\u2013\u060c\u061b\u3001\uff0c\uff1b\uff1a"
_SENTIMENT = lx.SENTIMENT


def pack_lexicon(
    zipf10: Mapping[str, int], concreteness10: Mapping[str, int] | None = None
) -> dict[str, int]:
    """One English lookup table: word -> Zipf x 10 + LEXICON_BASE x concreteness x 10."""
    lexicon = dict(zipf10)  # Zipf x 10 stays below LEXICON_BASE (the top English word is 77)
    for word, concreteness in (concreteness10 or {}).items():
        if word in lexicon:
            lexicon[word] += LEXICON_BASE * concreteness
    return lexicon


def count_text(text: str, lexicon: Mapping[str, int], language: Language = ENGLISH) -> TextCounts:
    """Count the properties of one sentence (or any span treated as one sentence).

    `lexicon` is the English table of `pack_lexicon` (a plain word -> Zipf x 10 table works
    too: it reads as "no concreteness ratings")."""
    cues = cues_for(language) or _NO_CUES
    folded = fold_digits(fold_quotes(text))
    if language.spaced:
        c = _count_spaced(folded, lexicon if language.code == "en" else None, cues, language)
    else:
        c = _count_unspaced(folded, cues)
    if language.code != "en":
        # No concreteness ratings outside English: the language's concrete-word list stands
        # in for "concrete but uncommon words", so one fitted shape serves every language.
        c.concrete_rare = c.concrete
    c.exclamations = folded.count("!") + folded.count("\uff01")
    c.questions = folded.count("?") + folded.count("\uff1f") + folded.count("\u061f")
    marks = _ASCII_CLAUSE_MARKS if folded.isascii() else _CLAUSE_MARKS
    c.clause_marks = sum(folded.count(mark) for mark in marks) + folded.count(" - ")
    # Every time-span pattern needs a number (digits or a number word): text without one is
    # not searched (most sentences).
    if c.numbers or c.number_words:
        # English time spans need digits ("3 days"); other languages' also take number words.
        if c.numbers or language.code != "en":
            c.time_spans = len(cues.time_re.findall(folded))
        c.money = len(cues.money_re.findall(folded))
        # A percentage needs "%" or "cent": most sentences have neither (speed).
        if "%" in folded or "cent" in folded.lower():
            c.percents = len(_PERCENT_RE.findall(folded))
    return c


# A word's counts that depend on the word alone are worked out once and packed into one
# integer of fixed-width fields, so counting a sentence costs one dict look-up and one
# addition per word; what depends on the word's place (negation scope, a capital at a
# sentence start) is kept beside it for the few words that need it.
_FIELD_BITS = 32
_FIELD_MASK = (1 << _FIELD_BITS) - 1
_PACKED_FIELDS = (
    "letters",
    "long_words",
    "numbers",
    "number_words",
    "content_words",
    "zipf_sum",
    "rare_words",
    "concreteness_sum",
    "concreteness_hits",
    "concrete_rare",
    "caps_words",
    "first_person",
    "first_person_plural",
    "second_person",
    "prepositions",
    "vague_references",
    "generic_praise",
    "hedges",
    "concrete",
    "circumstances",
    "superlatives",
    "negative_emotion",
    "exclusive",
    "spatial",
)
_SHIFTS = tuple((name, _FIELD_BITS * i) for i, name in enumerate(_PACKED_FIELDS))
_PACKED_BYTES = _FIELD_BITS // 8 * len(_PACKED_FIELDS)
_FIELDS_STRUCT = struct.Struct(f"<{len(_PACKED_FIELDS)}I")


def _unpack_fields(packed: int) -> tuple[int, ...]:
    return _FIELDS_STRUCT.unpack(packed.to_bytes(_PACKED_BYTES, "little"))


_BIT = {name: 1 << shift for name, shift in _SHIFTS}
_COMMON_CAPITAL, _RARE_CAPITAL = 1, 2
# Words remembered per language and lexicon; a table is emptied when full, so the long tail
# of a 1M-row import keeps memory bounded (about 30 MB at most).
TOKEN_TABLE_SIZE = 100_000
_WordPlace = tuple[bool, float | None, int, str]


class _TokenTable(dict[str, int]):
    """token -> packed counts, filled on first sight; `places` holds, for the words whose
    place matters, whether they negate, their sentiment, and whether they are capitalised."""

    def __init__(
        self, lexicon: Mapping[str, int] | None, cues: CueList, language: Language
    ) -> None:
        super().__init__()
        self.lexicon = lexicon
        self.cues = cues
        self.english = language.code == "en"
        self.places: dict[str, _WordPlace] = {}

    def __missing__(self, token: str) -> int:
        if len(self) >= TOKEN_TABLE_SIZE:
            self.clear()
            self.places.clear()
        packed, place = self._describe(token)
        self[token] = packed
        if place is not None:
            self.places[token] = place
        return packed

    def _describe(self, token: str) -> tuple[int, _WordPlace | None]:
        bit = _BIT
        flags_of = self.cues.flags.get
        zipf_of = self.lexicon.get if self.lexicon is not None else None
        low = token.lower()
        size = len(token)
        packed = size * bit["letters"]
        if size >= 8:
            packed += bit["long_words"]
        flags = flags_of(low, 0)
        if not flags and "'" in low:
            # French and Italian elision: "l'équipe", "j'ai" are looked up without "l'".
            flags = flags_of(low.rsplit("'", 1)[-1], 0)
        if token[0].isdigit() or token[-1].isdigit():
            packed += bit["numbers"]
        elif flags & NUMWORD:
            packed += bit["number_words"]
        negator = False
        if flags & FUNCTION:
            if flags & FPS:
                packed += bit["first_person"]
            elif flags & FPP:
                packed += bit["first_person_plural"]
            elif flags & SECOND:
                packed += bit["second_person"]
            if flags & PREP:
                packed += bit["prepositions"]
            elif flags & VAGUE:
                packed += bit["vague_references"]
            negator = bool(flags & NEG)
        else:
            packed += bit["content_words"]
            if flags & VAGUE:
                packed += bit["vague_references"]
            if zipf_of is None:
                packed += NEUTRAL_ZIPF10 * bit["zipf_sum"]
            else:
                entry = zipf_of(low, UNKNOWN_ZIPF10)
                z = entry % LEXICON_BASE
                packed += z * bit["zipf_sum"]
                if z < RARE_ZIPF10 and token.isalpha():
                    packed += bit["rare_words"]
                if entry >= LEXICON_BASE:
                    concreteness = entry // LEXICON_BASE
                    packed += concreteness * bit["concreteness_sum"] + bit["concreteness_hits"]
                    if concreteness >= CONCRETE10 and z < CONCRETE_RARE_ZIPF10:
                        packed += bit["concrete_rare"]
        if flags:
            for mask, name in _FLAG_FIELDS:
                if flags & mask:
                    packed += bit[name]
        if flags & SUPER or (
            self.english
            and low.endswith("est")
            and zipf_of is not None
            and zipf_of(low[:-3], 0) % LEXICON_BASE > 40
        ):
            packed += bit["superlatives"]
        polarity = _SENTIMENT.get(low) if self.english else None
        capital = 0
        if token[0].isupper():
            if size > 1 and token.isupper() and token.isalpha():
                packed += bit["caps_words"]
            if low not in _PRONOUN_I:
                rare = (
                    zipf_of is not None
                    and zipf_of(low, UNKNOWN_ZIPF10) % LEXICON_BASE < INITIAL_NAME_ZIPF10
                )
                capital = _RARE_CAPITAL if rare else _COMMON_CAPITAL
        negator = negator and self.english  # negation only turns English sentiment around
        if negator or polarity is not None or capital:
            return packed, (negator, polarity, capital, low)
        return packed, None


_FLAG_FIELDS = (
    (PRAISE, "generic_praise"),
    (HEDGE, "hedges"),
    (CONCRETE, "concrete"),
    (CIRCUM, "circumstances"),
    (NEGEMO, "negative_emotion"),
    (EXCLUSIVE, "exclusive"),
    (SPATIAL, "spatial"),
)
_TOKEN_TABLES: dict[tuple[int, int, str], _TokenTable] = {}


def _token_table(
    lexicon: Mapping[str, int] | None, cues: CueList, language: Language
) -> _TokenTable:
    key = (id(lexicon), id(cues), language.code)
    table = _TOKEN_TABLES.get(key)
    # A table holds its lexicon and cue objects, so their ids cannot be reused while it
    # lives; the identity check guards against a stale entry all the same.
    if table is not None and table.lexicon is lexicon and table.cues is cues:
        return table
    if len(_TOKEN_TABLES) >= 16:
        _TOKEN_TABLES.clear()
    table = _TOKEN_TABLES[key] = _TokenTable(lexicon, cues, language)
    return table


def _count_spaced(
    folded: str, lexicon: Mapping[str, int] | None, cues: CueList, language: Language
) -> TextCounts:
    table = _token_table(lexicon, cues, language)
    word_re = WORD_RE if folded.isascii() else WORD_WITH_MARKS_RE
    tokens = word_re.findall(folded)
    # One C-level pass adds up every count that depends on the word alone (filling the table
    # with words not seen before); the loop below visits the words whose place matters.
    packed = sum(map(table.__getitem__, tokens))
    place_of = table.places.get
    german = language.code == "de"
    negate_until = -1
    sentiment_sum = 0.0
    sentiment_hits = proper_nouns = 0
    proper_noun_counts: dict[str, int] = {}
    scanned = scan_end = 0
    for index, token in enumerate(tokens):
        place = place_of(token)
        if place is None:
            continue
        negator, polarity, capital, low = place
        if negator:
            negate_until = index + 3
        if polarity is not None:
            sentiment_sum += -polarity if index <= negate_until else polarity
            sentiment_hits += 1
        if capital:
            if index == 0:
                name = capital == _RARE_CAPITAL
            else:
                # Where the word starts: every letter or digit belongs to some token, so
                # each token is the first match of its text after the previous token's end.
                while scanned < index:
                    scan_end = folded.find(tokens[scanned], scan_end) + len(tokens[scanned])
                    scanned += 1
                if _follows_sentence_start(folded, folded.find(token, scan_end)):
                    # A sentence opens with a rare capitalised word: almost always a name.
                    name = capital == _RARE_CAPITAL
                else:
                    name = not german or _german_name(token, tokens[index - 1].lower())
            if name:
                proper_nouns += 1
                proper_noun_counts[low] = proper_noun_counts.get(low, 0) + 1
    return TextCounts(
        chars=len(folded),
        sentences=1,
        words=len(tokens),
        proper_nouns=proper_nouns,
        sentiment_sum=sentiment_sum,
        sentiment_hits=sentiment_hits,
        proper_noun_counts=proper_noun_counts,
        **dict(zip(_PACKED_FIELDS, _unpack_fields(packed), strict=True)),
    )


def _german_name(token: str, previous: str) -> bool:
    # German capitalises every noun: only titles' objects, acronyms, CamelCase and product
    # names with digits are taken as names.
    return (
        previous in _GERMAN_TITLES
        or token.isupper()
        or any(ch.isupper() for ch in token[1:])
        or any(ch.isdigit() for ch in token)
    )


def _count_unspaced(folded: str, cues: CueList) -> TextCounts:
    """Counts for Chinese, Japanese, Thai, Khmer and Lao: ICU words, substring cue lists."""
    tokens = segment_words(folded)
    c = TextCounts(sentences=1)
    c.words = len(tokens)
    c.chars = round(c.words * LATIN_CHARS_PER_WORD)
    c.letters = round(c.words * LATIN_LETTERS_PER_WORD)
    for token in tokens:
        if any(ch.isdigit() for ch in token):
            c.numbers += 1
        elif token.isascii() and len(token) > 1:
            # A word in Latin letters inside Thai or Chinese text is almost always a product,
            # brand or person's name (Excel, LINE, Shopify).
            c.proper_nouns += 1
            c.proper_noun_counts[token.lower()] = c.proper_noun_counts.get(token.lower(), 0) + 1
            if token.isupper():
                c.caps_words += 1
        if len(token) >= 4 and not token.isascii():
            c.long_words += 1
    c.proper_nouns += len(_QUOTED_NAME_RE.findall(folded))
    function = 0
    if cues.phrase_re is not None:
        for match in cues.phrase_re.finditer(folded):
            flags = cues.flags[match.group()]
            function += bool(flags & FUNCTION)
            c.first_person += bool(flags & FPS)
            c.first_person_plural += bool(flags & FPP)
            c.second_person += bool(flags & SECOND)
            c.prepositions += bool(flags & PREP)
            c.vague_references += bool(flags & VAGUE)
            c.generic_praise += bool(flags & PRAISE)
            c.hedges += bool(flags & HEDGE)
            c.concrete += bool(flags & CONCRETE)
            c.circumstances += bool(flags & CIRCUM)
            c.superlatives += bool(flags & SUPER)
            c.number_words += bool(flags & NUMWORD)
    if cues.number_re is not None:
        c.number_words += len(cues.number_re.findall(folded))
    c.content_words = max(c.words - function, 0)
    c.zipf_sum = c.content_words * NEUTRAL_ZIPF10
    return c


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
    words = max(c.words, 1)
    content = max(c.content_words, 1)
    return [
        math.log1p(c.words),
        min(c.proper_nouns, 10),
        min(c.numbers, 8),
        min(c.number_words + c.time_spans + c.money + c.percents, 8),
        c.zipf_sum / content / 10 if c.content_words else 5.0,
        c.content_words / words,
        c.letters / words,
        c.generic_praise / words,
        c.vague_references / words,
        min(c.clause_marks, 10),
        (
            c.concreteness_sum / c.concreteness_hits / 10
            if c.concreteness_hits
            else NEUTRAL_CONCRETENESS
        ),
        min(c.concrete_rare, 10),
    ]


def sentence_counts(
    text: str,
    spans: Sequence[tuple[int, int]],
    lexicon: Mapping[str, int],
    language: Language = ENGLISH,
) -> tuple[list[TextCounts], TextCounts]:
    """Count each sentence span and the whole text (the sum of its sentences)."""
    per_sentence = [count_text(text[a:b], lexicon, language) for a, b in spans]
    total = TextCounts.summed(per_sentence)
    total.chars = len(text)
    if language.spaced:
        total.chars = len(text.strip())
    return per_sentence, total
