"""Evaluate the scorer: leave-one-domain-out on the rated files, and the language check.

Run: python -m testimonials.scoring.evaluate [--data DIR] [--model PATH] [--skip-lodo]

1. Leave-one-domain-out (needs scikit-learn and wordfreq, as training does): for each rated
   file, the shipped recipe is fitted on the other files and tested on it, beside a
   length-only baseline fitted the same way.  No file ever scores a model that saw it.
2. The shipped model on each file (in-sample since it is fitted on all of them: a check
   that the file on disk is the recipe's output, not an accuracy estimate).
   Then the review-sentence proxies (`proxies`): the same held-out files as single
   sentences, lower-cased, without end marks, and naming nothing.
3. The multilingual direction report on the project's own specific-vs-generic pairs, and on
   the blind pairs (written before reading the cue lists), their dev and holdout halves apart.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .cues import LISTS
from .direction import (
    direction_report,
    format_blind_report,
    format_direction_report,
    format_outside_report,
)
from .items import ItemInput
from .metrics import agreement, find_data_dir, read_rated_file
from .proxies import genuine_suspicion_lines, proxy_lines
from .scorer import load_scorer

DEFAULT_DATA_DIR = find_data_dir()


def _metric_line(name: str, n: int, model: dict[str, float], base: dict[str, float]) -> str:
    return (
        f"{name:<16} n={n:<5} spearman {model['spearman']:.3f} (length {base['spearman']:.3f})"
        f"  pearson {model['pearson']:.3f} ({base['pearson']:.3f})"
        f"  mae {model['mae']:.3f} ({base['mae']:.3f})"
    )


def lodo_lines(data_dir: Path) -> list[str]:
    """Leave-one-domain-out figures for every rated file in `data_dir`."""
    from .training import build_lexicon, leave_one_domain_out, load_rated_files

    files = load_rated_files(data_dir, build_lexicon())
    if len(files) < 2:
        return ["leave-one-domain-out: needs at least two rated files, skipped"]
    sizes = {f.name: len(f.targets) for f in files}
    lines = ["leave-one-domain-out (recipe fitted without the file; length-only in brackets):"]
    metrics = leave_one_domain_out(files)
    for name, by_model in metrics.items():
        lines.append(
            "  " + _metric_line(name, sizes[name], by_model["model"], by_model["length_baseline"])
        )
        plain = by_model["no_names"]
        lines.append(
            f"    texts naming nothing   n={plain['rows']:<5.0f} spearman {plain['spearman']:.3f}"
            f" (length {plain['length_spearman']:.3f})"
        )
    mean = sum(m["model"]["spearman"] for m in metrics.values()) / len(metrics)
    lines.append(f"  mean spearman over held-out files: {mean:.3f}")
    return lines


def shipped_model_lines(data_dir: Path, model_path: Path | None) -> list[str]:
    """The shipped model scored exactly as the app and the CLI score, with throughput."""
    scorer = load_scorer(model_path)
    fitted_on = str(scorer.model.metadata.get("fitted_on", "")).removesuffix(".tsv")
    lines = [
        f"shipped model {scorer.version}, exactly as the app and the CLI score"
        f" (fitted on {fitted_on or 'these files'}: that file is in-sample, the others are not):"
    ]
    total_items, total_seconds = 0, 0.0
    for path in sorted(data_dir.glob("*.tsv")):
        texts, targets = read_rated_file(path)
        started = time.perf_counter()
        scores = scorer.score_batch([ItemInput(t) for t in texts])
        total_seconds += time.perf_counter() - started
        total_items += len(texts)
        model = agreement([s.specificity for s in scores], targets)
        lines.append(
            f"  {path.stem:<16} n={len(texts):<5} spearman {model.spearman:.3f}"
            f"  pearson {model.pearson:.3f}  mae {model.mae:.3f}"
            + ("  (in-sample)" if path.stem == fitted_on else "")
        )
    if total_items:
        lines.append(
            f"  throughput: {total_items / total_seconds:,.0f} texts/s "
            f"({total_items} short texts, one process)"
        )
    return lines


def evaluate(data_dir: Path, model_path: Path | None = None, lodo: bool = True) -> list[str]:
    """All report lines: LODO, shipped model per file, multilingual direction report."""
    lines = [f"data {data_dir}"]
    if not (data_dir / "social_train.tsv").exists():
        lines.append("rated files not found: skipping leave-one-domain-out and per-file figures")
    else:
        if lodo:
            lines += lodo_lines(data_dir)
            lines += proxy_lines(data_dir)
        lines += genuine_suspicion_lines(data_dir)
        lines += shipped_model_lines(data_dir, model_path)
    scorer = load_scorer(model_path)
    lines.append("multilingual direction (project's own pairs, specific vs generic):")
    lines += ["  " + line for line in format_direction_report(direction_report(scorer))]
    lines.append("multilingual direction, blind pairs (written before reading the cue lists):")
    lines += ["  " + line for line in format_blind_report(scorer)]
    lines.append("outside language check (listed languages keep theirs, others say no lists):")
    lines += ["  " + line for line in format_outside_report(scorer, {*LISTS, "en"})]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point for evaluation."""
    parser = argparse.ArgumentParser(prog="python -m testimonials.scoring.evaluate")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument(
        "--skip-lodo", action="store_true", help="skip leave-one-domain-out (no refitting)"
    )
    args = parser.parse_args(argv)
    for line in evaluate(args.data, args.model, lodo=not args.skip_lodo):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
