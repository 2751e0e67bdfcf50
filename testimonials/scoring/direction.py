"""The multilingual direction check: does a specific testimonial outscore a generic one?

The pairs in `data/direction_pairs.tsv` were written for this project (not taken from any
source): for each supported language, realistic customer testimonials in two versions, one
with concrete details (numbers, time spans, names, features) and one of vague praise of
similar length.  A language passes when specific beats generic in at least 90% of its pairs.

`data/direction_pairs_blind.tsv` is an independent set, written before its author read the
cue lists (16 languages, 16 pairs each, long generic praise in half of them).  Its `split`
column marks pairs 1-8 of each language "dev" (failures there may guide a fix of the lists)
and 9-16 "holdout" (never looked at to fix anything: the honest figure).

`data/outside_languages.tsv` is the outside language check: testimonials in 50 languages,
21 with cue lists and 29 without, written for the check. A text in a listed language must
keep it; any other must be stored as no language, with a reason that says it has no lists.
"""

from __future__ import annotations

import csv
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from .items import ItemInput
from .scorer import Scorer

PAIRS_PATH = Path(__file__).resolve().parent / "data" / "direction_pairs.tsv"
BLIND_PAIRS_PATH = PAIRS_PATH.with_name("direction_pairs_blind.tsv")
OUTSIDE_PATH = PAIRS_PATH.with_name("outside_languages.tsv")
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


def read_pairs(path: Path = PAIRS_PATH, split: str | None = None) -> list[tuple[str, str, str]]:
    """(language, specific, generic) rows of the pairs file, only `split`'s if given."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (row["language"], row["specific"], row["generic"])
            for row in reader
            if split is None or row.get("split") == split
        ]


def direction_report(
    scorer: Scorer, path: Path = PAIRS_PATH, split: str | None = None
) -> list[DirectionResult]:
    """Score every pair (of `split`, if given) and summarise per language, in file order."""
    pairs = read_pairs(path, split)
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


def format_blind_report(scorer: Scorer, path: Path = BLIND_PAIRS_PATH) -> list[str]:
    """The blind pairs per language: dev and holdout halves apart, then both together."""
    halves = {
        split: {r.language: r for r in direction_report(scorer, path, split)}
        for split in ("dev", "holdout")
    }
    results = direction_report(scorer, path)
    lines = ["language  dev    holdout  all pairs          detected  mean specific  mean generic"]
    for r in results:
        dev, holdout = halves["dev"][r.language], halves["holdout"][r.language]
        lines.append(
            f"{r.language:<9} {dev.ordered:>2}/{dev.pairs:<3} "
            f"{holdout.ordered:>2}/{holdout.pairs:<5} "
            f"{r.ordered:>3}/{r.pairs:<3} ({r.share:6.1%})   {r.detected:>3}/{2 * r.pairs:<3}  "
            f"{r.mean_specific:13.3f}  {r.mean_generic:12.3f}"
        )
    return lines + format_direction_report(results)[-1:]


def read_outside(path: Path = OUTSIDE_PATH) -> list[tuple[str, str, str]]:
    """(code, language name, text) rows of the outside language check."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["code"], row["language"], row["text"]) for row in reader]


def outside_misreads(
    scorer: Scorer, listed: Container[str], rows: list[tuple[str, str, str]] | None = None
) -> list[tuple[str, str]]:
    """(expected code, text) of the outside texts (`read_outside`'s rows) read wrong: a
    listed language's text not stored as it, or another language's text stored as a
    language or without the reason."""
    rows = read_outside() if rows is None else rows
    scores = scorer.score_batch([ItemInput(text) for _, _, text in rows])
    misread = []
    for (code, _, text), score in zip(rows, scores, strict=True):
        if code in listed:
            right = score.language == code
        else:
            right = score.language == "und" and "no_language_cues" in score.reason_codes()
        if not right:
            misread.append((code, text))
    return misread


def format_outside_report(scorer: Scorer, listed: Container[str]) -> list[str]:
    """One line for the outside check, and one per text read wrong."""
    rows = read_outside()
    misread = outside_misreads(scorer, listed, rows)
    in_lists = sum(code in listed for code, _, _ in rows)
    lines = [
        f"{len(rows)} texts in {len({code for code, _, _ in rows})} languages "
        f"({in_lists} in listed languages): {len(rows) - len(misread)} read right "
        "(listed language kept, or no lists said), "
        f"{len(misread)} misread"
    ]
    return lines + [f"  misread {code}: {text[:60]}" for code, text in misread]
