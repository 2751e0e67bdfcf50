"""What is counted in a span of text, and how the counts of spans add up.

The counts that depend on each word alone come first, in the order of the token table's
PACKED_FIELDS, so a sentence's counts can be built from its unpacked word sums by position
(`by_position`), and a text's from its sentences' (`TextCounts.summed`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from .token_table import PACKED_FIELDS


@dataclass(slots=True)
class TextCounts:
    """Raw counts for one span of text (a sentence or a whole testimonial)."""

    # The counts that depend on each word alone come first, in the order of PACKED_FIELDS,
    # so a sentence's counts are built from its unpacked word sums by position.
    letters: int = 0
    long_words: int = 0
    numbers: int = 0
    number_words: int = 0
    content_words: int = 0
    zipf_sum: int = 0
    rare_words: int = 0
    concreteness_sum: int = 0
    concreteness_hits: int = 0
    concrete_rare: int = 0
    caps_words: int = 0
    first_person: int = 0
    first_person_plural: int = 0
    second_person: int = 0
    prepositions: int = 0
    vague_references: int = 0
    generic_praise: int = 0
    hedges: int = 0
    concrete: int = 0
    circumstances: int = 0
    superlatives: int = 0
    negative_emotion: int = 0
    exclusive: int = 0
    spatial: int = 0
    chars: int = 0
    words: int = 0
    proper_nouns: int = 0
    sentiment_sum: float = 0.0
    sentiment_hits: int = 0
    time_spans: int = 0
    money: int = 0
    percents: int = 0
    exclamations: int = 0
    questions: int = 0
    clause_marks: int = 0
    sentences: int = 0
    proper_noun_counts: dict[str, int] = field(default_factory=dict)

    def add(self, other: TextCounts) -> None:
        """Accumulate another span's counts into this one."""
        for name, value in zip(_ADDITIVE, _additive_values(other), strict=True):
            if value:
                setattr(self, name, getattr(self, name) + value)
        self.add_names((other,))

    @classmethod
    def summed(cls, parts: Sequence[TextCounts]) -> TextCounts:
        """The counts of a text made of `parts` (one pass per field, not per part)."""
        # Positional: the additive fields are all fields but the last, in order.
        total: TextCounts = by_position(*map(sum, zip(*map(_additive_values, parts), strict=True)))
        total.add_names(parts)
        return total

    def add_names(self, parts: Iterable[TextCounts]) -> None:
        """Add the names counted in `parts` to this span's."""
        names = self.proper_noun_counts
        for part in parts:
            for word, n in part.proper_noun_counts.items():
                names[word] = names.get(word, 0) + n


_ADDITIVE = tuple(name for name in TextCounts.__dataclass_fields__ if name != "proper_noun_counts")
_additive_values = attrgetter(*_ADDITIVE)
if _ADDITIVE[: len(PACKED_FIELDS)] != PACKED_FIELDS:
    raise ImportError("TextCounts must open with the fields of PACKED_FIELDS, in their order")
# TextCounts built from values in field order: faster than by keyword for 36 fields (a
# sentence's counts are built hundreds of thousands of times in an import); typed loosely
# because a checker cannot match unpacked values to the fields.
by_position: Callable[..., TextCounts] = TextCounts
TAIL = _ADDITIVE[len(PACKED_FIELDS) :]
tail_values = attrgetter(*TAIL)
