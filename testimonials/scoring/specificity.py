"""Specificity: how concrete and detailed a testimonial is, per text and per sentence."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .counts import TextCounts
from .cues import cues_for
from .features import SPECIFICITY_FEATURES
from .items import Reason, SentenceScore
from .languages import ENGLISH, Language
from .model_io import ModelData
from .text import ascii_spaces_except

EXCERPT_MAX_CHARS = 280
_OUTCOME_WORDS = frozenset(
    """saved save saves reduced reduce cut increased increase doubled tripled improved
    improve fixed fixes solved solve resolved helped helps allowed lets finally now
    since after went became turned lost gained dropped grew result results resulted
    because""".split()  # noqa: SIM905 - a word list reads better as text
)
# Outcome words are found among the text's words (one set intersection): an alternation
# regex over the whole text cost more than the rest of the reasons together.
_WORD_RE = re.compile(r"\w+")
# The same words in lower-cased ASCII text, found sooner: every other character made a
# space, then a split (no regex; a test holds the two equal).
_ASCII_NOT_WORD = ascii_spaces_except(string.ascii_letters + string.digits + "_")


class SpecificityModel:
    """A generalised additive model: intercept + one piecewise-linear shape per feature."""

    def __init__(self, data: ModelData) -> None:
        if tuple(data.feature_names) != SPECIFICITY_FEATURES:
            raise ValueError("model features do not match this version of the scorer")
        self.intercept = data.intercept
        self._shapes = [
            (np.asarray(s.knots, dtype=float), np.asarray(s.values, dtype=float))
            for s in data.shapes
        ]

    def predict(self, vectors: Sequence[Sequence[float]]) -> np.ndarray:
        """Return specificity in [0, 1] for each feature vector."""
        matrix = np.asarray(vectors, dtype=float).reshape(-1, len(self._shapes))
        total = np.full(matrix.shape[0], self.intercept)
        for column, (knots, values) in enumerate(self._shapes):
            total += np.interp(matrix[:, column], knots, values)
        return np.clip(total, 0.0, 1.0)


def specificity_reasons(
    counts: TextCounts, text: str, score: float, language: Language = ENGLISH
) -> list[Reason]:
    """Explain a specificity score in words (in English), computed for the text's language."""
    reasons: list[Reason] = []
    if cues_for(language) is None:
        reasons.append(
            _reason(
                "no_language_cues",
                f"no word lists for {language.name} yet: scored on length, numbers and names only",
                0.1,
            )
        )
    quantities = counts.numbers + counts.number_words + counts.time_spans + counts.money
    if counts.words < 6:
        reasons.append(_reason("very_short", "very short", 0.9))
    if quantities:
        reasons.append(
            _reason(
                "mentions_number",
                "mentions a number or a time span",
                min(1.0, 0.4 + 0.2 * quantities),
            )
        )
    if counts.proper_nouns:
        reasons.append(
            _reason(
                "names_entity",
                "names a person, product or place",
                min(1.0, 0.4 + 0.2 * counts.proper_nouns),
            )
        )
    # The outcome verbs are English; other languages show their detail through the rest.
    outcome_hits = (
        _outcome_words(text.lower()) if language.code == "en" and counts.words >= 8 else 0
    )
    if outcome_hits:
        reasons.append(
            _reason("describes_outcome", "describes an outcome", min(1.0, 0.3 + 0.2 * outcome_hits))
        )
    # Concrete detail: the language's cue list, or (English) concrete but uncommon words
    # from the concreteness ratings ("shrimp", "asparagus"); the two overlap, so the larger.
    concrete = max(counts.concrete, counts.concrete_rare)
    if concrete >= 2:
        reasons.append(
            _reason("concrete_detail", "gives concrete detail", min(1.0, 0.2 + 0.1 * concrete))
        )
    praise_share = counts.generic_praise / max(counts.words, 1)
    if score < 0.4 and praise_share >= 0.15 and not quantities and not counts.proper_nouns:
        reasons.append(
            _reason("generic_praise", "generic praise only", min(1.0, 2 * praise_share + 0.3))
        )
    elif score < 0.3 and counts.words >= 6 and all(r.code == "no_language_cues" for r in reasons):
        reasons.append(_reason("vague", "says little that is specific", 0.5))
    reasons.sort(key=lambda reason: -reason.weight)
    return reasons


# A Reason is a frozen value and its weights are few (rounded, from small counts): each is
# made once and shared (a look-up costs a fifth of making one, 3-4 a text). Bounded.
@lru_cache(maxsize=4096, typed=True)  # (typed: an int weight stays an int)
def _reason(code: str, message: str, weight: float) -> Reason:
    return Reason(code=code, message=message, weight=round(weight, 3), kind="specificity")


def _outcome_words(lowered: str) -> int:
    """How many different outcome words are among the words of a lower-cased text."""
    if lowered.isascii():
        words = lowered.translate(_ASCII_NOT_WORD).split()
    else:
        words = _WORD_RE.findall(lowered)
    return len(_OUTCOME_WORDS.intersection(words))


def choose_excerpt(text: str, sentences: Sequence[SentenceScore]) -> str:
    """Pick the most specific one or two adjacent sentences as a public excerpt (<= 280 chars)."""
    if not sentences:
        return _trim_to_limit(text.strip())
    best: tuple[float, int, int] | None = None
    for i, sentence in enumerate(sentences):
        for j in (i, i + 1):
            if j >= len(sentences):
                break
            start, end = sentence.start, sentences[j].end
            if j > i and end - start > EXCERPT_MAX_CHARS:
                break
            # A second sentence must earn its place: it is added only if it is itself specific.
            value = (
                sentence.specificity
                if j == i
                else (sentence.specificity + sentences[j].specificity) / 2 + 0.05
            )
            if best is None or value > best[0] + 1e-9:
                best = (value, start, end)
    assert best is not None
    return _trim_to_limit(text[best[1] : best[2]])


def _trim_to_limit(excerpt: str) -> str:
    if len(excerpt) <= EXCERPT_MAX_CHARS:
        return excerpt
    cut = excerpt.rfind(" ", 0, EXCERPT_MAX_CHARS + 1)
    excerpt = excerpt[: cut if cut > EXCERPT_MAX_CHARS // 2 else EXCERPT_MAX_CHARS]
    return excerpt.rstrip(" ,;:-\u2013(")
