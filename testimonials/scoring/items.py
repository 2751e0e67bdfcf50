"""Plain values that go into and come out of the scorer."""

from __future__ import annotations

from dataclasses import dataclass

# The language code of a text whose language is not known (BCP 47 "und").
UNDETERMINED = "und"


@dataclass(frozen=True, slots=True)
class ItemInput:
    """One testimonial to score: its text, optional star rating (1-5) or NPS (0-10)."""

    text: str
    rating: int | None = None
    nps: int | None = None
    verified: bool | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a score is what it is: a stable code, a readable message and its strength 0-1.

    `kind` is "specificity" (what makes the text specific or vague) or "suspicion" (what
    makes it look like spam, paid or invented).
    """

    code: str
    message: str
    weight: float
    kind: str


# Specificity reasons that say why a text is *not* specific; the others say why it is.
VAGUENESS_CODES = frozenset({"very_short", "generic_praise", "vague"})


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """Specificity of one sentence, with its offsets in the original text."""

    start: int
    end: int
    specificity: float


@dataclass(frozen=True, slots=True)
class Score:
    """The scorer's verdict on one testimonial."""

    specificity: float
    suspicion: float
    reasons: tuple[Reason, ...]
    excerpt: str
    sentences: tuple[SentenceScore, ...]
    # ISO 639-1 code of the detected language (UNDETERMINED when undetermined).
    language: str = UNDETERMINED

    def reason_codes(self) -> tuple[str, ...]:
        """Return the reason codes in order."""
        return tuple(reason.code for reason in self.reasons)
