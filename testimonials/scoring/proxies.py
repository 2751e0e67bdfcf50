"""Proxies for the hidden customer-review sentence set, built from the shared rated files.

Run through `python -m testimonials.scoring.evaluate` (section "review-sentence proxies").

The hidden set is single sentences from customer reviews, rated on the same 1-5 scale, and
it is scored from outside through the command line, with whatever casing and punctuation
its writers used.  No shared file is such a set, so each proxy isolates one way in which
it differs from the files, always on a file the model never saw (leave-one-domain-out):

- one sentence: only the rated texts that are a single sentence (the unit of the hidden set);
- lower-cased: the same texts with every capital gone (casual reviewers; names then carry
  nothing, and the model must rely on detail in the words);
- no end marks: lower-cased and without sentence-final punctuation (a sentence cut out of a
  review keeps no full stop, and many reviewers type none);
- naming nothing: the texts with no capitalised word but sentence openers and "I"
  (`metrics.names_nothing`, a fixed rule, so every model version is judged on the same
  rows; review sentences name dishes, rooms and parts in lower case).

Each figure is printed beside the length-only baseline under the same change, so a drop
that length also shows is the change's, and one that only the model shows is the model's.
Needs scikit-learn and wordfreq, as training does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .metrics import agreement, read_rated_file
from .model_io import ShapeFunction
from .text import split_sentences

_END_MARKS_RE = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)")

VARIANTS: dict[str, Callable[[str], str]] = {
    "as rated": lambda text: text,
    "lower-cased": str.lower,
    "no end marks": lambda text: _END_MARKS_RE.sub("", text.lower()).strip(),
}


def review_sentence_proxies(data_dir: Path) -> dict[str, dict[str, tuple[int, float, float]]]:
    """For each held-out file and proxy: (rows, model Spearman, length-only Spearman)."""
    from .features import SPECIFICITY_FEATURES
    from .training import (
        RATED_FILES,
        RatedFile,
        build_lexicon,
        feature_matrix,
        fit_recipe,
        load_rated_files,
        predict_recipe,
    )

    lexicon = build_lexicon()
    files = load_rated_files(data_dir, lexicon)
    words = SPECIFICITY_FEATURES.index("log_words")
    texts_of = {
        name.removesuffix(".tsv"): read_rated_file(Path(data_dir) / name)[0]
        for name in RATED_FILES
        if (Path(data_dir) / name).exists()
    }
    results: dict[str, dict[str, tuple[int, float, float]]] = {}
    for held_out in files:
        rest = [f for f in files if f is not held_out]
        if not rest:
            continue
        intercept, shapes = fit_recipe(rest)
        fitted: list[RatedFile] = [f for f in rest if f.name == "social_train"] or rest
        slope, base = np.polyfit(
            np.concatenate([f.matrix[:, words] for f in fitted]),
            np.concatenate([f.targets for f in fitted]),
            1,
        )
        texts = texts_of[held_out.name]
        single = np.array([len(split_sentences(t)) == 1 for t in texts])
        rows: dict[str, tuple[int, float, float]] = {}

        def figures(
            matrix: np.ndarray,
            keep: np.ndarray,
            recipe: tuple[float, list[ShapeFunction]] = (intercept, shapes),
            line: tuple[float, float] = (slope, base),
            targets: np.ndarray = held_out.targets,
        ) -> tuple[int, float, float]:
            predicted = predict_recipe(*recipe, matrix[keep])
            length = line[0] * matrix[keep, words] + line[1]
            return (
                int(keep.sum()),
                agreement(predicted, targets[keep]).spearman,
                agreement(length, targets[keep]).spearman,
            )

        for variant, change in VARIANTS.items():
            matrix = (
                held_out.matrix
                if variant == "as rated"
                else feature_matrix([change(t) for t in texts], lexicon)
            )
            rows[variant] = figures(matrix, np.ones(len(texts), dtype=bool))
            if single.sum() >= 20:
                rows[f"{variant}, one sentence"] = figures(matrix, single)
        rows["as rated, naming nothing"] = figures(held_out.matrix, held_out.plain)
        results[held_out.name] = rows
    return results


def proxy_lines(data_dir: Path) -> list[str]:
    """Report lines for `review_sentence_proxies`."""
    lines = [
        "review-sentence proxies (held-out file, model fitted without it; length-only in brackets):"
    ]
    for name, rows in review_sentence_proxies(data_dir).items():
        lines.append(f"  {name}")
        for variant, (n, model, length) in rows.items():
            lines.append(f"    {variant:<28} n={n:<5} spearman {model:.3f} (length {length:.3f})")
    return lines


def genuine_suspicion(data_dir: Path) -> dict[str, dict[str, float]]:
    """Invented-review cues on genuine text: per file, English texts of 20+ words.

    Every rated text is genuine, so this is the precision side of the invented-review set
    (how often a real writer is flagged) and its polarity balance: the AUC of suspicion
    between complaint-like and praise-like genuine texts should stay near 0.5, since a
    level gap between the polarities is what pulls a pooled AUC below both halves."""
    from .features import sentence_counts
    from .items import ItemInput
    from .languages import detect_language
    from .review_style import read_style
    from .scorer import load_scorer
    from .suspicion import is_complaint

    scorer = load_scorer()
    results: dict[str, dict[str, float]] = {}
    for path in sorted(Path(data_dir).glob("*.tsv")):
        texts = [
            t
            for t in read_rated_file(path)[0]
            if len(t.split()) >= 20 and detect_language(t).code == "en"
        ]
        if not texts:
            continue
        complaint = np.array(
            [
                is_complaint(
                    sentence_counts(
                        t, [(s.start, s.end) for s in split_sentences(t)], scorer._lexicon
                    )[1],
                    style=read_style(t),
                )
                for t in texts
            ]
        )
        scores = scorer.score_batch([ItemInput(t) for t in texts])
        suspicion = np.array([s.suspicion for s in scores])
        flagged = np.array(["invented_style" in s.reason_codes() for s in scores])
        row = {"rows": float(len(texts)), "complaints": float(complaint.sum())}
        for name, part in (("praise", ~complaint), ("complaint", complaint)):
            row[f"{name}_mean"] = float(suspicion[part].mean()) if part.any() else float("nan")
            row[f"{name}_flagged"] = float(flagged[part].sum())
        row["polarity_auc"] = _auc(suspicion[complaint], suspicion[~complaint])
        results[path.stem] = row
    return results


def _auc(positive: np.ndarray, negative: np.ndarray) -> float:
    if not len(positive) or not len(negative):
        return float("nan")
    greater = (positive[:, None] > negative[None, :]).sum()
    ties = (positive[:, None] == negative[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(positive) * len(negative)))


def genuine_suspicion_lines(data_dir: Path) -> list[str]:
    """Report lines for `genuine_suspicion`."""
    lines = [
        "invented-review cues on genuine text (English, 20+ words; precision and polarity"
        " balance, 0.5 = no level gap):"
    ]
    for name, row in genuine_suspicion(data_dir).items():
        lines.append(
            f"  {name:<16} n={row['rows']:<5.0f} complaints {row['complaints']:<4.0f}"
            f" flagged praise {row['praise_flagged']:.0f},"
            f" complaints {row['complaint_flagged']:.0f}"
            f"  mean suspicion {row['praise_mean']:.3f} / {row['complaint_mean']:.3f}"
            f"  complaint-vs-praise AUC {row['polarity_auc']:.2f}"
        )
    return lines
