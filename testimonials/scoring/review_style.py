"""Two readings of an English review's words for the invented-review cues.

1. **Polarity**: is the review a complaint?  The net sentiment of `TextCounts` misses most of
   what an honest complaint says ("the carpet was stained", "the fan rattled", "nobody told
   us"): plain, specific complaints carry few emotion words, so they used to be read as
   praise and measured against genuine praise, while an invented complaint, full of
   emotion words, was read as a complaint.  Here a complaint is a review whose negative
   evidence (negative words, negated praise, complaint words and negations) outweighs its
   praise.
2. **Imaginative writing** (Ott et al. 2011; Li et al. 2014, after Rayson et al. 2001):
   invented reviews use more adverbs ("really", "definitely", "absolutely"), truthful ones
   more nouns and prepositions.  Adverbs are counted by their "-ly" form plus the common
   intensifiers, without a tagger.

English only, like the cues themselves; word lists written for this project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

from . import lexicons as lx


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# Tokens by `str.split` (a regex tokeniser or `str.translate` cost several times more than
# the rest of this module): a listed word followed by a mark ("clean,") is a key of its
# own, and the marks end a negation's scope.
_SCOPE_MARKS = ".,;:!?)"
_LY_RE = re.compile(r"ly\b")

# Words of an honest complaint that carry no emotion: what went wrong, not how it felt.
COMPLAINT_WORDS = _words("""
stained stain stains smelled smelly smell smells stank stinks rattled rattling rattle cracked
leaked leaking leaks leak mold moldy mould mouldy mildew worn dated outdated filthy dusty
crack bugs roaches cockroach cockroaches overcharged fee fees refused complained waited skipped
ignored cancelled canceled broke cramped loud thin freezing lukewarm stale soggy burnt bland
overcooked undercooked crowded renovation construction shabby sticky damaged missing wrong
error errors crashed crashes buggy delayed delay delays
""")

# Negations that also mark a complaint on their own ("no hot water", "nobody answered").
_NEGATORS = lx.NEGATIONS | _words("nobody none nowhere didnt wasnt dont doesnt couldnt n't")

# Adjectives and nouns that end in "-ly" but are no adverbs.
_NOT_ADVERBS = _words("""
family only early friendly lovely daily reply apply supply july italy lily ugly holy belly
jelly rally bully silly fly butterfly assembly elderly weekly monthly nightly yearly hourly
costly lonely lively likely unlikely orderly curly chilly hilly oily comply ally rely
anomaly homely manly womanly kindly deadly sly wily jolly folly gully bubbly wobbly
scholarly cuddly sickly timely unruly mostly nearly fly italy emily kelly molly sally
""")
# Intensifiers without "-ly"; superlatives and intensifiers the superlative cue already
# counts ("absolutely", "ever") are left to it.
_ADVERBS = _words("very really quite")
_COUNTED_ELSEWHERE = lx.SUPERLATIVES | _NOT_ADVERBS


# A complaint word weighs as much as a mild negative word of the sentiment lexicon; a
# complaint needs at least that much evidence (one "not" in a neutral post is none).
_COMPLAINT_WEIGHT = 1.5
COMPLAINT_EVIDENCE = 1.5
# Honest one- and two-star reviews grant what was good ("the bed was comfortable, the staff
# friendly") before what went wrong; a rave rarely names two things that went wrong.  So
# complaint evidence needs to outweigh only half the praise.
_PRAISE_DISCOUNT = 0.5


@dataclass(frozen=True, slots=True)
class ReviewStyle:
    """Counts of one English text that `TextCounts` does not keep."""

    praise: float = 0.0  # positive sentiment, not negated
    complaint: float = 0.0  # negative sentiment, negated praise, complaint words, negations
    adverbs: int = 0


# One lookup per token: a sentiment value (praise > 0, complaint < 0), a complaint word, a
# negation or an intensifier, and whether a mark ends the token.  Most tokens are none.
_NEGATION, _INTENSIFIER, _COMPLAINT_WORD = "neg", "adv", "cw"
_BARE: dict[str, float | str] = {
    **dict.fromkeys(COMPLAINT_WORDS, _COMPLAINT_WORD),
    **lx.SENTIMENT,
    **dict.fromkeys(_ADVERBS, _INTENSIFIER),
    **dict.fromkeys(_NEGATORS, _NEGATION),  # "never" is a negation here, not a negative word
}
_KIND: dict[str, tuple[float | str, bool]] = {
    **{word: (value, False) for word, value in _BARE.items()},
    **{word + mark: (value, True) for word, value in _BARE.items() for mark in _SCOPE_MARKS},
}


def _scope_broken(tokens: list[str], start: int, end: int) -> bool:
    """Whether a mark ends one of tokens[start:end] ("without it. Best")."""
    return any(token[-1] in _SCOPE_MARKS for token in tokens[start:end])


def read_style(text: str) -> ReviewStyle:
    """Praise, complaint evidence and adverbs of an English text."""
    lowered = text.lower()
    if "\u2019" in lowered:
        lowered = lowered.replace("\u2019", "'")
    tokens = lowered.split()
    praise = complaint = 0.0
    adverbs = 0
    for match in _LY_RE.finditer(lowered):  # few per text: cheaper than testing every word
        word = lowered[lowered.rfind(" ", 0, match.start()) + 1 : match.end()].lstrip("(\"'")
        adverbs += len(word) > 4 and word not in _COUNTED_ELSEWHERE
    negator = negated_until = -1
    # Only the tokens with a kind (a pair, never falsy), picked out by a C-level pass.
    kinds = list(map(_KIND.get, tokens))
    for index in compress(range(len(tokens)), kinds):
        value, ends_scope = kinds[index]  # type: ignore[misc]
        negated = index <= negated_until and not _scope_broken(tokens, negator, index)
        # (The kinds are these very strings: `is` spares comparing a float with each.)
        if value is _NEGATION:
            complaint += 0.5
            negator, negated_until = index, -1 if ends_scope else index + 3
        elif value is _INTENSIFIER:
            adverbs += 1
        elif value is _COMPLAINT_WORD:
            if not negated:  # "nothing went wrong" is no complaint
                complaint += _COMPLAINT_WEIGHT
        else:
            assert isinstance(value, float)
            if negated:
                # "not clean" is a complaint; "never disappointed" is mild praise.
                complaint += value if value > 0 else 0.0
                praise += -value / 2 if value < 0 else 0.0
            elif value > 0:
                praise += value
            else:
                complaint -= value
    return ReviewStyle(praise=praise, complaint=complaint, adverbs=adverbs)


def reads_as_complaint(style: ReviewStyle) -> bool:
    """A complaint: its negative evidence outweighs half its praise."""
    return (
        style.complaint >= COMPLAINT_EVIDENCE and style.complaint > _PRAISE_DISCOUNT * style.praise
    )
