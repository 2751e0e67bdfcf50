"""Pure scoring of testimonials: specificity, suspicion, reasons, excerpts.

Imports no Flask, no SQLAlchemy and nothing else of the app: plain values in, plain
values out.  Typical use::

    scorer = load_scorer()
    score = scorer.score(ItemInput("Cut our month-end close from 9 days to 4.", rating=5))

Names are imported from their module on first use (PEP 562): a process that never scores
(a web worker serving reads) never loads numpy or ICU just by importing a light name such
as `ItemInput`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bursts import BurstFinding, SubmissionRecord, detect_bursts
    from .combine import combine_suspicion
    from .duplicates import (
        DuplicateIndex,
        DuplicateMatch,
        content_hash,
        estimate_similarity,
        minhash_signature,
    )
    from .items import ItemInput, Reason, Score, SentenceScore
    from .model_io import DEFAULT_MODEL_PATH, ModelFileError
    from .scorer import Scorer, load_scorer
    from .workspace import (
        MIN_DECISIONS,
        WorkspaceFit,
        WorkspaceRanker,
        fit_workspace_ranker,
        rank_score,
        ranking_features,
    )

# Public name -> the submodule that defines it.
_HOMES = {
    "BurstFinding": "bursts",
    "SubmissionRecord": "bursts",
    "detect_bursts": "bursts",
    "combine_suspicion": "combine",
    "DuplicateIndex": "duplicates",
    "DuplicateMatch": "duplicates",
    "content_hash": "duplicates",
    "estimate_similarity": "duplicates",
    "minhash_signature": "duplicates",
    "ItemInput": "items",
    "Reason": "items",
    "Score": "items",
    "SentenceScore": "items",
    "DEFAULT_MODEL_PATH": "model_io",
    "ModelFileError": "model_io",
    "Scorer": "scorer",
    "load_scorer": "scorer",
    "MIN_DECISIONS": "workspace",
    "WorkspaceFit": "workspace",
    "WorkspaceRanker": "workspace",
    "fit_workspace_ranker": "workspace",
    "rank_score": "workspace",
    "ranking_features": "workspace",
}

__all__ = [
    "DEFAULT_MODEL_PATH",
    "MIN_DECISIONS",
    "BurstFinding",
    "DuplicateIndex",
    "DuplicateMatch",
    "ItemInput",
    "ModelFileError",
    "Reason",
    "Score",
    "Scorer",
    "SentenceScore",
    "SubmissionRecord",
    "WorkspaceFit",
    "WorkspaceRanker",
    "combine_suspicion",
    "content_hash",
    "detect_bursts",
    "estimate_similarity",
    "fit_workspace_ranker",
    "load_scorer",
    "minhash_signature",
    "rank_score",
    "ranking_features",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value
