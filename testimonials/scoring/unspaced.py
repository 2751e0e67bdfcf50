"""The counts of a sentence in a script written without spaces (Chinese, Japanese, Thai,
Khmer, Lao): its ICU words and the language's cue phrases, found as substrings.

Split from `features` (which counts every language) by size; the counts mean the same.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import compress, filterfalse

from .counts import TextCounts
from .cues import (
    CIRCUM,
    CONCRETE,
    FPP,
    FPS,
    FUNCTION,
    HEDGE,
    NUMWORD,
    PRAISE,
    PREP,
    SECOND,
    SUPER,
    VAGUE,
    CueList,
)
from .token_table import NEUTRAL_ZIPF10

# Latin-equivalent characters and letters per word, used for scripts without spaces, whose
# character counts are not comparable with alphabetic text (a Han character is about a word).
LATIN_CHARS_PER_WORD = 5.6
LATIN_LETTERS_PER_WORD = 4.5
_FOUR = 4  # letters of a long word (`_FOUR.__le__`: 4 <= length)
_QUOTED_NAME_RE = re.compile(r"[《「『【][^》」』】]{1,40}[》」』】]")


def count_unspaced(folded: str, tokens: list[str], cues: CueList) -> TextCounts:
    """Counts for Chinese, Japanese, Thai, Khmer and Lao: ICU words (`tokens`), substring
    cue lists."""
    c = TextCounts(sentences=1)
    c.words = len(tokens)
    c.chars = round(c.words * LATIN_CHARS_PER_WORD)
    c.letters = round(c.words * LATIN_LETTERS_PER_WORD)
    # The words are substrings of the text: a word has a digit if it shares a character
    # with the text's digits (none, in most texts). Words are told apart by C-level passes;
    # only the ASCII words (few here) take a Python step each.
    digits = set(filter(str.isdigit, folded))
    for token in compress(tokens, map(str.isascii, tokens)):
        if digits and not digits.isdisjoint(token):
            c.numbers += 1
        elif len(token) > 1:
            # A word in Latin letters inside Thai or Chinese text is almost always a
            # product, brand or person's name (Excel, LINE, Shopify).
            c.proper_nouns += 1
            name = token.lower()
            c.proper_noun_counts[name] = c.proper_noun_counts.get(name, 0) + 1
            if token.isupper():
                c.caps_words += 1
    others = list(filterfalse(str.isascii, tokens))
    if digits:
        c.numbers += len(others) - sum(map(digits.isdisjoint, others))
    c.long_words = sum(map(_FOUR.__le__, map(len, others)))
    c.proper_nouns += len(_QUOTED_NAME_RE.findall(folded))
    function = 0
    if cues.phrase_re is not None:
        # Tallied by the phrases' flags (a few kinds a sentence), not phrase by phrase.
        tally = Counter(map(cues.flags.__getitem__, cues.phrase_re.findall(folded)))
        for flags, n in tally.items():
            function += n * bool(flags & FUNCTION)
            c.first_person += n * bool(flags & FPS)
            c.first_person_plural += n * bool(flags & FPP)
            c.second_person += n * bool(flags & SECOND)
            c.prepositions += n * bool(flags & PREP)
            c.vague_references += n * bool(flags & VAGUE)
            c.generic_praise += n * bool(flags & PRAISE)
            c.hedges += n * bool(flags & HEDGE)
            c.concrete += n * bool(flags & CONCRETE)
            c.circumstances += n * bool(flags & CIRCUM)
            c.superlatives += n * bool(flags & SUPER)
            c.number_words += n * bool(flags & NUMWORD)
    if cues.number_re is not None:
        c.number_words += len(cues.number_re.findall(folded))
    c.content_words = max(c.words - function, 0)
    c.zipf_sum = c.content_words * NEUTRAL_ZIPF10
    return c
