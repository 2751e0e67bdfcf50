"""Agreement metrics between predicted and human specificity, plus rated-data loading."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .text import normalise_corpus_text, sentence_spans

# A word that starts with a capital letter (Latin, Greek or Cyrillic), apostrophes kept.
_CAPITALISED_RE = re.compile(r"\b[A-ZÀ-ÖØ-ÞΑ-ΩА-Я][\w'’]*")
# The pronoun I and its contractions are capitalised without naming anything.
_PRONOUN_I = frozenset({"I", "I'm", "I've", "I'll", "I'd", "I’m", "I’ve", "I’ll", "I’d"})


@dataclass(frozen=True, slots=True)
class Agreement:
    """Spearman, Pearson and mean absolute error (on the 1-5 scale) of predictions."""

    spearman: float
    pearson: float
    mae: float

    def as_dict(self) -> dict[str, float]:
        """Plain dict with rounded values."""
        return {
            "spearman": round(self.spearman, 4),
            "pearson": round(self.pearson, 4),
            "mae": round(self.mae, 4),
        }


def _ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=float)
    ranks[order] = np.arange(len(values), dtype=float)
    # Ties share their average rank.
    sorted_values = values[order]
    boundaries = np.flatnonzero(np.diff(sorted_values)) + 1
    for group in np.split(np.arange(len(values)), boundaries):
        if len(group) > 1:
            ranks[order[group]] = ranks[order[group]].mean()
    return ranks


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    a = a - a.mean()
    b = b - b.mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denominator) if denominator else 0.0


def agreement(
    predicted: Sequence[float] | np.ndarray, human: Sequence[float] | np.ndarray
) -> Agreement:
    """Compare predictions with human scores, both on the 0-1 scale."""
    p = np.asarray(predicted, dtype=float)
    h = np.asarray(human, dtype=float)
    return Agreement(
        spearman=_pearson(_ranks(p), _ranks(h)),
        pearson=_pearson(p, h),
        mae=float(np.mean(np.abs(p - h)) * 4.0),
    )


def names_nothing(text: str) -> bool:
    """True when no word of `text` is capitalised except sentence openers and the pronoun I.

    A fixed rule on the text's surface, the same for every model version, for the "naming
    nothing" rows of the evaluation (review sentences name dishes, rooms and parts in lower
    case): which rows it picks never depends on the name counter being evaluated.
    """
    for start, end in sentence_spans(text) or [(0, len(text))]:
        for index, match in enumerate(_CAPITALISED_RE.finditer(text, start, end)):
            word = match.group()
            if word in _PRONOUN_I:
                continue
            if index == 0 and match.start() == _first_letter(text, start, end):
                continue
            return False
    return True


def _first_letter(text: str, start: int, end: int) -> int:
    """Offset of the first letter in text[start:end], or -1."""
    for offset in range(start, end):
        if text[offset].isalpha():
            return offset
    return -1


def read_rated_file(path: Path) -> tuple[list[str], list[float]]:
    """Read a `text<TAB>score` file (scores 1-5) as normalised texts and 0-1 targets."""
    texts: list[str] = []
    targets: list[float] = []
    with path.open(encoding="utf-8") as handle:
        header = handle.readline()
        if not header.startswith("text\t"):
            raise ValueError(f"{path}: expected a 'text<TAB>score' header")
        for line_number, line in enumerate(handle, start=2):
            if not line.strip():
                continue
            text, _, score = line.rstrip("\n").rpartition("\t")
            try:
                value = float(score)
            except ValueError as error:
                raise ValueError(f"{path}:{line_number}: bad score {score!r}") from error
            texts.append(normalise_corpus_text(text))
            targets.append((min(5.0, max(1.0, value)) - 1.0) / 4.0)
    return texts, targets


def find_data_dir(start: Path | None = None) -> Path:
    """The rated-data folder: $TESTIMONIALS_SPECIFICITY_DATA, else shared/data/specificity
    in the nearest folder above the project (a checkout or a worktree of it)."""
    configured = os.environ.get("TESTIMONIALS_SPECIFICITY_DATA")
    if configured:
        return Path(configured)
    here = (start or Path(__file__)).resolve()
    for folder in here.parents:
        candidate = folder / "shared" / "data" / "specificity"
        if candidate.is_dir():
            return candidate
    return here.parents[len(here.parents) - 1] / "shared" / "data" / "specificity"
