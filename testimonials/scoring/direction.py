"""The multilingual direction check: does a specific testimonial outscore a generic one?

The pairs in `data/direction_pairs.tsv` were written for this project (not taken from any
source): for each supported language, realistic customer testimonials in two versions, one
with concrete details (numbers, time spans, names, features) and one of vague praise of
similar length.  A language passes when specific beats generic in at least 90% of its pairs.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .items import ItemInput
from .scorer import Scorer

PAIRS_PATH = Path(__file__).resolve().parent / "data" / "direction_pairs.tsv"
TARGET_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class DirectionResult:
    """One language's result: pairs ordered correctly, language detected correctly."""

    language: str
    pairs: int
    ordered: int
    detected: int
    mean_specific: float
    mean_generic: float

    @property
    def share(self) -> float:
        """Share of pairs where the specific text scored higher."""
        return self.ordered / self.pairs if self.pairs else 0.0


def read_pairs(path: Path = PAIRS_PATH) -> list[tuple[str, str, str]]:
    """(language, specific, generic) rows of the pairs file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["language"], row["specific"], row["generic"]) for row in reader]


def direction_report(scorer: Scorer, path: Path = PAIRS_PATH) -> list[DirectionResult]:
    """Score every pair and summarise per language, in the file's order of languages."""
    pairs = read_pairs(path)
    specific = scorer.score_batch([ItemInput(s) for _, s, _ in pairs])
    generic = scorer.score_batch([ItemInput(g) for _, _, g in pairs])
    by_language: dict[str, list[tuple[float, float, int]]] = {}
    for (language, _, _), s, g in zip(pairs, specific, generic, strict=True):
        detected = (s.language == language) + (g.language == language)
        by_language.setdefault(language, []).append((s.specificity, g.specificity, detected))
    return [
        DirectionResult(
            language=language,
            pairs=len(rows),
            ordered=sum(s > g for s, g, _ in rows),
            detected=sum(d for _, _, d in rows),
            mean_specific=sum(s for s, _, _ in rows) / len(rows),
            mean_generic=sum(g for _, g, _ in rows) / len(rows),
        )
        for language, rows in by_language.items()
    ]


def format_direction_report(results: list[DirectionResult]) -> list[str]:
    """Readable lines: one per language, then the languages under the target."""
    lines = ["language  pairs  specific>generic  detected  mean specific  mean generic"]
    for r in results:
        lines.append(
            f"{r.language:<9} {r.pairs:>5}  {r.ordered:>5} ({r.share:6.1%})   "
            f"{r.detected:>3}/{2 * r.pairs:<3}  {r.mean_specific:13.3f}  {r.mean_generic:12.3f}"
        )
    failing = [r.language for r in results if r.share < TARGET_SHARE]
    lines.append(
        f"target {TARGET_SHARE:.0%} of pairs in every language: "
        + ("met" if not failing else "NOT met for " + ", ".join(failing))
    )
    return lines
