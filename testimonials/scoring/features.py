"""Countable properties of a piece of text, shared by specificity and suspicion.

Counts are additive, so a testimonial's counts are the sum of its sentences' counts and the
text is read once.  Only stdlib here: this runs for every item and must be fast.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from . import lexicons as lx
from .text import WORD_RE, fold_quotes

# Zipf value (x10) given to words missing from the frequency table: rarer than anything in it.
UNKNOWN_ZIPF10 = 15
RARE_ZIPF10 = 35

_MONEY_RE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:€|£|\$|usd|eur|gbp|dollars?|euros?|bucks)\b", re.I)
_PERCENT_RE = re.compile(r"\d\s?%|\bper ?cent\b", re.I)
_TIME_RE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:-\s?)?(?:a\.?m\.?|p\.?m\.?|h|hrs?|hours?|min(?:ute)?s?|days?|"
    r"weeks?|wks?|months?|mos?|years?|yrs?|nights?)\b|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b",
    re.I,
)
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
    exclamations: int = 0
    questions: int = 0
    clause_marks: int = 0
    sentences: int = 0
    sentiment_sum: float = 0.0
    sentiment_hits: int = 0
    proper_noun_counts: dict[str, int] = field(default_factory=dict)

    def add(self, other: TextCounts) -> None:
        """Accumulate another span's counts into this one."""
        for name in _ADDITIVE:
            value = getattr(other, name)
            if value:
                setattr(self, name, getattr(self, name) + value)
        for word, n in other.proper_noun_counts.items():
            self.proper_noun_counts[word] = self.proper_noun_counts.get(word, 0) + n


_ADDITIVE = tuple(name for name in TextCounts.__dataclass_fields__ if name != "proper_noun_counts")


# One dict lookup per token instead of a dozen set lookups: each word maps to a bit mask
# of the lexicons it belongs to.  This loop is the scorer's hot path.
_FUNCTION, _FPS, _FPP, _SECOND, _PREP, _VAGUE, _NEG = 1, 2, 4, 8, 16, 32, 64
_PRAISE, _HEDGE, _CONCRETE, _CIRCUM, _SUPER, _NUMWORD = 128, 256, 512, 1024, 2048, 4096
_LEXICON_FLAGS: dict[str, int] = {}
for _bit, _lexicon in (
    (_FUNCTION, lx.FUNCTION_WORDS),
    (_FPS, lx.FIRST_PERSON_SINGULAR),
    (_FPP, lx.FIRST_PERSON_PLURAL),
    (_SECOND, lx.SECOND_PERSON),
    (_PREP, lx.PREPOSITIONS),
    (_VAGUE, lx.VAGUE_REFERENCES),
    (_NEG, lx.NEGATIONS),
    (_PRAISE, lx.GENERIC_PRAISE),
    (_HEDGE, lx.HEDGES),
    (_CONCRETE, lx.CONCRETE_DETAIL),
    (_CIRCUM, lx.CIRCUMSTANCES),
    (_SUPER, lx.SUPERLATIVES),
    (_NUMWORD, lx.NUMBER_WORDS),
):
    for _word in _lexicon:
        _LEXICON_FLAGS[_word] = _LEXICON_FLAGS.get(_word, 0) | _bit
_SENTIMENT = lx.SENTIMENT


def count_text(text: str, zipf10: Mapping[str, int]) -> TextCounts:
    """Count the properties of one sentence (or any span treated as one sentence)."""
    c = TextCounts(chars=len(text), sentences=1)
    folded = fold_quotes(text)
    flags_of = _LEXICON_FLAGS.get
    zipf_of = zipf10.get
    negate_until = -1
    words = letters = long_words = numbers = number_words = 0
    content = zipf_sum = rare = caps = 0
    fps = fpp = second = prepositions = vague = 0
    praise = hedges = concrete = circumstances = superlatives = 0
    sentiment_sum = 0.0
    sentiment_hits = 0
    for index, match in enumerate(WORD_RE.finditer(folded)):
        token = match.group()
        low = token.lower()
        size = len(token)
        words += 1
        letters += size
        if size >= 8:
            long_words += 1
        flags = flags_of(low, 0)
        if token[0].isdigit() or token[-1].isdigit():
            numbers += 1
        elif flags & _NUMWORD:
            number_words += 1
        if flags & _FUNCTION:
            if flags & _FPS:
                fps += 1
            elif flags & _FPP:
                fpp += 1
            elif flags & _SECOND:
                second += 1
            if flags & _PREP:
                prepositions += 1
            elif flags & _VAGUE:
                vague += 1
            if flags & _NEG:
                negate_until = index + 3
        else:
            content += 1
            if flags & _VAGUE:
                vague += 1
            z = zipf_of(low, UNKNOWN_ZIPF10)
            zipf_sum += z
            if z < RARE_ZIPF10 and token.isalpha():
                rare += 1
        if flags:
            if flags & _PRAISE:
                praise += 1
            if flags & _HEDGE:
                hedges += 1
            if flags & _CONCRETE:
                concrete += 1
            if flags & _CIRCUM:
                circumstances += 1
        if flags & _SUPER or (low.endswith("est") and zipf_of(low[:-3], 0) > 40):
            superlatives += 1
        polarity = _SENTIMENT.get(low)
        if polarity is not None:
            sentiment_sum += -polarity if index <= negate_until else polarity
            sentiment_hits += 1
        first = token[0]
        if first.isupper():
            if size > 1 and token.isupper() and token.isalpha():
                caps += 1
            if (
                index > 0
                and low not in _PRONOUN_I
                and not _follows_sentence_start(folded, match.start())
            ):
                c.proper_nouns += 1
                c.proper_noun_counts[low] = c.proper_noun_counts.get(low, 0) + 1
    c.words, c.letters, c.long_words = words, letters, long_words
    c.numbers, c.number_words, c.content_words = numbers, number_words, content
    c.zipf_sum, c.rare_words, c.caps_words = zipf_sum, rare, caps
    c.first_person, c.first_person_plural, c.second_person = fps, fpp, second
    c.prepositions, c.vague_references = prepositions, vague
    c.generic_praise, c.hedges, c.concrete = praise, hedges, concrete
    c.circumstances, c.superlatives = circumstances, superlatives
    c.sentiment_sum, c.sentiment_hits = sentiment_sum, sentiment_hits
    # Every time-span pattern starts with a digit at a word boundary, which also makes that
    # token count as a number: text without one is not searched (most sentences).
    c.time_spans = len(_TIME_RE.findall(folded)) if numbers else 0
    if c.numbers or c.number_words:
        c.money = len(_MONEY_RE.findall(folded))
        c.percents = len(_PERCENT_RE.findall(folded))
    c.exclamations = folded.count("!")
    c.questions = folded.count("?")
    c.clause_marks = (
        folded.count(",")
        + folded.count(";")
        + folded.count("(")
        + folded.count(":")
        + folded.count(" - ")
        + folded.count("\u2013")
    )
    return c


def _follows_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _INITIAL_PUNCT


# The specificity model's inputs, in order.  Counts are capped so a runaway value (a
# 100 kB paste) cannot dominate; the model's shape functions are flat past their last knot.
SPECIFICITY_FEATURES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "numbers",
    "quantities",
    "proper_nouns",
    "rare_words",
    "long_words",
    "mean_zipf",
    "content_ratio",
    "mean_word_length",
    "generic_praise_share",
    "first_person_share",
    "second_person_share",
    "hedge_share",
    "concrete",
    "exclamations",
    "questions",
    "clause_marks",
    "sentences",
    "caps_share",
    "prepositions",
    "vague_share",
)


def specificity_vector(c: TextCounts) -> list[float]:
    """Turn counts into the specificity model's feature vector (see SPECIFICITY_FEATURES)."""
    words = max(c.words, 1)
    content = max(c.content_words, 1)
    return [
        math.log1p(c.words),
        math.log1p(c.chars),
        min(c.numbers, 8),
        min(c.number_words + c.time_spans + c.money + c.percents, 8),
        min(c.proper_nouns, 10),
        min(c.rare_words, 15),
        min(c.long_words, 20),
        c.zipf_sum / content / 10 if c.content_words else 5.0,
        c.content_words / words,
        c.letters / words,
        c.generic_praise / words,
        c.first_person / words,
        c.second_person / words,
        c.hedges / words,
        min(c.concrete, 10),
        min(c.exclamations, 5),
        min(c.questions, 5),
        min(c.clause_marks, 10),
        min(c.sentences, 10),
        c.caps_words / words,
        min(c.prepositions, 10),
        c.vague_references / words,
    ]


def sentence_counts(
    text: str, spans: Sequence[tuple[int, int]], zipf10: Mapping[str, int]
) -> tuple[list[TextCounts], TextCounts]:
    """Count each sentence span and the whole text (the sum of its sentences)."""
    per_sentence = [count_text(text[a:b], zipf10) for a, b in spans]
    total = TextCounts(chars=len(text))
    for counts in per_sentence:
        total.add(counts)
    total.chars = len(text.strip())
    return per_sentence, total
