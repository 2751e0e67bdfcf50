"""Where an item stands as a testimonial: the inbox's groups, publishable praise first.

A marketer reads "best first" as "what I can put on my website first": praise its author
agreed to have quoted, then lukewarm words with consent, then happy words without consent
(worth asking for it), then what the scorer flags as suspicious (a promo code, "BUY NOW",
an incentive, script code: publishable only with a written reason), and unhappy customers
last, however detailed their complaint. The
scores (specificity, suspicion, the workspace's learned model) order the items *within*
a group; the group comes first. Both go into one stored number, so the inbox keeps
walking one index in rank order: `grouped_rank` = group + 0.999 × the value within it.

Whether an item is praise comes from its score when it has one (a star rating first, as
`suspicion.is_complaint` reads it, then NPS); only without a score are its words read:
English by the complaint-versus-praise reading of `review_style`, the other Latin-script
languages with cue lists by their praise words, anything else as neither.
"""

from __future__ import annotations

import enum
import functools
import re


class Standing(enum.IntEnum):
    """The inbox's groups, best first (higher is better)."""

    UNHAPPY = 0  # a detractor (NPS 0-6), 1-2 stars, or a complaint without a score
    FLAGGED = 1  # not unhappy, but suspicious (suspicion >= FLAGGED_AT): needs a reason
    NO_CONSENT = 2  # not unhappy, but its author has not agreed to be quoted
    PASSIVE = 3  # consented; NPS 7-8, 3 stars, or words neither praise nor complaint
    PRAISE = 4  # consented; NPS 9-10, 4-5 stars, or praise without a score


# From this suspicion on, approving needs a written reason (curation's override threshold),
# and the item is no longer among what may be quoted first.
FLAGGED_AT = 0.6

# What the marketer is told about each group (inbox cards, docs).
STANDING_LABELS = {
    Standing.PRAISE: "praise you may quote",
    Standing.PASSIVE: "lukewarm, may be quoted",
    Standing.NO_CONSENT: "no consent to quote yet",
    Standing.FLAGGED: "flagged as suspicious",
    Standing.UNHAPPY: "unhappy customer",
}

# Below 1, so the best item of a group (1.0 within it) still ranks under the next group.
_WITHIN = 0.999
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@functools.cache
def _word_lists() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Each Latin-script language's praise words and negations, loaded with the first item
    whose words are read: an item with a rating or an NPS score never needs them, so a web
    worker showing scored items does not hold the cue lists (~2.6 MiB)."""
    from .cue_lists import LISTS
    from .cues import latin_praise_words

    praise = latin_praise_words()
    negations = {
        code: frozenset(LISTS[code][1].get("neg", "").split()) for code in praise if code != "en"
    }
    return praise, negations


def word_polarity(text: str, language: str | None) -> int:
    """+1 when the words praise, -1 when they complain, 0 when neither (or unreadable)."""
    if language in (None, "en", "und"):
        from .review_style import read_style, reads_as_complaint

        style = read_style(text)
        if reads_as_complaint(style):
            return -1
        if style.praise > 0:
            return 1
        if language == "en":
            return 0
    praise_words, negations = _word_lists()
    praise = praise_words.get(language or "")
    if praise is None or language == "en":
        return 0
    words = {w.lower() for w in _WORD_RE.findall(text)}
    if words & negations.get(language or "", frozenset()):
        return 0  # "pas bon", "nicht gut": without a reading of negation, no verdict
    return 1 if words & praise else 0


def standing(
    consented: bool,
    rating: int | None,
    nps: int | None,
    text: str,
    language: str | None,
    erased: bool = False,
    suspicion: float | None = None,
) -> Standing:
    """The group of one item in the inbox (see the module's docstring)."""
    if erased:
        return Standing.UNHAPPY  # nothing left to quote: last, whatever it said
    if rating is not None:
        polarity = 1 if rating >= 4 else 0 if rating == 3 else -1
    elif nps is not None:
        polarity = 1 if nps >= 9 else 0 if nps >= 7 else -1
    else:
        polarity = word_polarity(text, language)
    if polarity < 0:
        return Standing.UNHAPPY
    if suspicion is not None and suspicion >= FLAGGED_AT:
        return Standing.FLAGGED
    if not consented:
        return Standing.NO_CONSENT
    return Standing.PRAISE if polarity > 0 else Standing.PASSIVE


def grouped_rank(group: Standing, within: float) -> float:
    """The stored inbox rank: the group, then the 0-1 value within it (higher first)."""
    return int(group) + _WITHIN * min(1.0, max(0.0, within))


def rank_group(rank: float) -> Standing:
    """The group a stored rank belongs to."""
    return Standing(min(int(Standing.PRAISE), max(0, int(rank))))


def rank_within(rank: float) -> float:
    """The 0-1 value within its group of a stored rank (`grouped_rank` undone)."""
    return min(1.0, max(0.0, (rank - int(rank_group(rank))) / _WITHIN))
