"""Learning a workspace's taste from its approve/reject decisions (pure part).

A small L2-regularised logistic regression on a handful of score-derived features, fitted
with numpy (Newton steps) so it is deterministic and needs no scikit-learn.

The features come either from a fresh `Score` (`ranking_features`) or, without scoring
again, from what intake stored for the item (`stored_ranking_features`): the two give the
same vector, so a workspace can be refitted and its inbox re-ranked from stored columns.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .items import Score
from .scorer import MAX_SENTENCES
from .text import (
    SENTENCE_END_RE,
    ends_abbreviation,
    mask_markup,
    scored_prefix,
    split_sentences,
)

MIN_DECISIONS = 50
FOLDS = 5
L2 = 1.0
# Blend: the workspace model refines the base ranking rather than replacing it.
WORKSPACE_BLEND = 0.6
# The reason codes that are ranking features, in RANKING_FEATURES order.
RANKING_REASON_CODES = ("mentions_number", "names_entity", "generic_praise", "very_short")
RANKING_FEATURES = ("specificity", "suspicion", "log_length", "sentences", *RANKING_REASON_CODES)


# `str.isalnum()` as a regex: what makes a piece of text a sentence for `split_sentences`.
_ALNUM_RE = re.compile(r"[^\W_]")


def ranking_features(score: Score) -> list[float]:
    """Feature vector of one scored item for the workspace ranker (see RANKING_FEATURES)."""
    length = score.sentences[-1].end - score.sentences[0].start if score.sentences else 0
    return _feature_vector(
        score.specificity, score.suspicion, score.reason_codes(), length, len(score.sentences)
    )


def stored_ranking_features(
    specificity: float, suspicion: float, reason_codes: Iterable[str], text: str
) -> list[float]:
    """`ranking_features` of an item from its stored score and its text, without scoring."""
    length, sentences = sentence_extent(text)
    return _feature_vector(specificity, suspicion, reason_codes, length, sentences)


def _feature_vector(
    specificity: float, suspicion: float, codes: Iterable[str], length: int, sentences: int
) -> list[float]:
    codes = set(codes)
    # Spelled out (RANKING_REASON_CODES order): this runs once per item of a large inbox.
    return [
        specificity,
        suspicion,
        math.log1p(length) / 6.0,
        min(sentences, 10) / 10.0,
        float("mentions_number" in codes),
        float("names_entity" in codes),
        float("generic_praise" in codes),
        float("very_short" in codes),
    ]


def sentence_extent(text: str) -> tuple[int, int]:
    """Characters from the first sentence's start to the last's end, and the sentence count.

    Exactly what the scorer's `Score.sentences` give for this text (the scored prefix,
    markup masked, at most MAX_SENTENCES sentences), found without building the spans:
    re-ranking a large inbox calls this once per item, so the loop stays lean.
    """
    masked = mask_markup(scored_prefix(text))
    first = -1
    count = 0
    start = 0
    # The walk of `split_sentences`: a piece between two sentence ends is a sentence when it
    # has a letter or digit; a piece without one is dropped (before the first sentence) or
    # joins the sentence before it, so the last sentence ends at the last visible character.
    for match in SENTENCE_END_RE.finditer(masked):
        end = match.start()
        last = masked[end - 1] if end > start else ""
        if masked[end] == "." and ends_abbreviation(masked, start, end):
            continue
        # Most pieces end in a letter or digit: the regex is for the others.
        if last.isalnum() or _ALNUM_RE.search(masked, start, end):
            if first < 0:
                first = start
            count += 1
        start = match.end()
    if _ALNUM_RE.search(masked, start):
        if first < 0:
            first = start
        count += 1
    if first < 0:
        return 0, 0
    if count > MAX_SENTENCES:  # rare: the scorer keeps the first sentences only
        spans = split_sentences(masked)[:MAX_SENTENCES]
        return spans[-1].end - spans[0].start, MAX_SENTENCES
    sentence_start = len(masked) - len(masked[first:].lstrip())
    return len(masked.rstrip()) - sentence_start, count


@dataclass(frozen=True, slots=True)
class WorkspaceRanker:
    """A fitted per-workspace approval model."""

    weights: tuple[float, ...]
    intercept: float
    feature_names: tuple[str, ...] = RANKING_FEATURES

    def approval_probability(self, features: Sequence[Sequence[float]]) -> list[float]:
        """Probability that the workspace approves each item."""
        if not features:
            return []
        z = np.asarray(features, dtype=float) @ np.asarray(self.weights) + self.intercept
        return [float(p) for p in 1.0 / (1.0 + np.exp(-z))]

    def to_json(self) -> str:
        """Serialise to JSON text."""
        return json.dumps(
            {
                "weights": list(self.weights),
                "intercept": self.intercept,
                "features": list(self.feature_names),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> WorkspaceRanker:
        """Rebuild a ranker from `to_json()` output."""
        data = json.loads(text)
        if tuple(data["features"]) != RANKING_FEATURES:
            raise ValueError("workspace model was fitted on other features; refit it")
        return cls(
            tuple(float(w) for w in data["weights"]),
            float(data["intercept"]),
            tuple(data["features"]),
        )


@dataclass(frozen=True, slots=True)
class WorkspaceFit:
    """Outcome of fitting: the ranker (None below the threshold) and honest accuracy."""

    ranker: WorkspaceRanker | None
    decisions: int
    held_out_accuracy: float | None
    majority_baseline: float | None
    message: str


def _fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], L2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (design.T * (p * (1 - p))) @ design + np.diag(penalty) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def fit_workspace_ranker(scores: Sequence[Score], decisions: Sequence[int]) -> WorkspaceFit:
    """Fit a workspace ranker from scored items and approve(1)/reject(0) decisions."""
    if len(scores) != len(decisions):
        raise ValueError("scores and decisions must have the same length")
    return fit_workspace_ranker_from_features([ranking_features(s) for s in scores], decisions)


def fit_workspace_ranker_from_features(
    features: Sequence[Sequence[float]], decisions: Sequence[int]
) -> WorkspaceFit:
    """Fit a workspace ranker from items' ranking features and approve(1)/reject(0) decisions."""
    if len(features) != len(decisions):
        raise ValueError("features and decisions must have the same length")
    y = np.asarray([1.0 if d else 0.0 for d in decisions])
    n = len(y)
    if n < MIN_DECISIONS or len(set(y.tolist())) < 2:
        why = f"{n} decisions" if n < MIN_DECISIONS else "only one kind of decision"
        return WorkspaceFit(
            None, n, None, None, f"base model only: {why} (needs {MIN_DECISIONS} with both kinds)"
        )
    x = np.asarray(features, dtype=float).reshape(n, len(RANKING_FEATURES))
    # Deterministic stratified folds: every k-th item of each class.
    folds = np.empty(n, dtype=int)
    for label in (0.0, 1.0):
        members = np.flatnonzero(y == label)
        folds[members] = np.arange(len(members)) % FOLDS
    correct = 0
    baseline_correct = 0
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        weights, intercept = _fit_logistic(x[train], y[train])
        predicted = (x[test] @ weights + intercept) > 0
        correct += int((predicted == (y[test] > 0.5)).sum())
        majority = y[train].mean() >= 0.5
        baseline_correct += int(((y[test] > 0.5) == majority).sum())
    weights, intercept = _fit_logistic(x, y)
    accuracy, baseline = correct / n, baseline_correct / n
    return WorkspaceFit(
        WorkspaceRanker(tuple(float(w) for w in weights), intercept),
        n,
        round(accuracy, 4),
        round(baseline, 4),
        f"workspace model: held-out accuracy {accuracy:.0%} vs {baseline:.0%} majority baseline",
    )


def base_rank_score(score: Score) -> float:
    """Inbox order without a workspace model: specific and unsuspicious first."""
    return score.specificity * (1.0 - score.suspicion)


def rank_score(scores: Sequence[Score], workspace_model: WorkspaceRanker | None) -> list[float]:
    """Inbox ranking value per item (higher first), blending in the workspace model if any."""
    base = [base_rank_score(s) for s in scores]
    if workspace_model is None:
        return base
    return rank_scores_from_features([ranking_features(s) for s in scores], base, workspace_model)


def rank_scores_from_features(
    features: Sequence[Sequence[float]],
    base: Sequence[float],
    workspace_model: WorkspaceRanker | None,
) -> list[float]:
    """Inbox ranking values from items' ranking features and base ranks (see `rank_score`)."""
    if len(features) != len(base):
        raise ValueError("features and base ranks must have the same length")
    if workspace_model is None:
        return list(base)
    learned = workspace_model.approval_probability(features)
    return [
        (1 - WORKSPACE_BLEND) * b + WORKSPACE_BLEND * p for b, p in zip(base, learned, strict=True)
    ]
