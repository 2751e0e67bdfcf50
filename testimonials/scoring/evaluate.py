"""Evaluate the shipped scorer on the held-out rated files.

Run: python -m testimonials.scoring.evaluate [--data DIR] [--model PATH]

Prints Spearman, Pearson and MAE (1-5 scale) per file beside a length-only baseline, and
the scoring throughput.  Scores each text exactly as the app and the CLI do.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .items import ItemInput
from .metrics import agreement, find_data_dir, in_fitting_half, read_rated_file
from .scorer import load_scorer

DEFAULT_DATA_DIR = find_data_dir()
# movie_reviews is half used for fitting; only its held-out half is a fair test.
HELD_OUT = ("social_val.tsv", "movie_reviews.tsv", "twitter_posts.tsv")


def evaluate(data_dir: Path, model_path: Path | None = None) -> list[str]:
    """Return report lines: per-file agreement vs length baseline, then throughput."""
    scorer = load_scorer(model_path)
    lines = [f"model {scorer.version}; data {data_dir}"]
    total_items, total_seconds = 0, 0.0
    for name in HELD_OUT:
        path = data_dir / name
        if not path.exists():
            lines.append(f"{name}: missing, skipped")
            continue
        texts, targets = read_rated_file(path)
        if name == "movie_reviews.tsv":
            keep = [i for i, t in enumerate(texts) if not in_fitting_half(t)]
            texts, targets = [texts[i] for i in keep], [targets[i] for i in keep]
            name = "movie_reviews.tsv (held-out half)"
        started = time.perf_counter()
        scores = scorer.score_batch([ItemInput(t) for t in texts])
        total_seconds += time.perf_counter() - started
        total_items += len(texts)
        model = agreement([s.specificity for s in scores], targets)
        # Length baseline: rank by length; MAE after a least-squares fit on this file.
        lengths = np.array([math.log1p(len(t)) for t in texts])
        slope, intercept = np.polyfit(lengths, targets, 1)
        base = agreement(np.clip(slope * lengths + intercept, 0, 1), targets)
        lines.append(
            f"{name:<36} n={len(texts):<4} "
            f"spearman {model.spearman:.3f} (length {base.spearman:.3f})"
            f"  pearson {model.pearson:.3f} ({base.pearson:.3f})"
            f"  mae {model.mae:.3f} ({base.mae:.3f})"
        )
    if total_items:
        lines.append(
            f"throughput: {total_items / total_seconds:,.0f} texts/s "
            f"({total_items} short texts, one process)"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point for evaluation."""
    parser = argparse.ArgumentParser(prog="python -m testimonials.scoring.evaluate")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args(argv)
    for line in evaluate(args.data, args.model):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
