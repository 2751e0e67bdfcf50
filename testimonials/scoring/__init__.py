"""Pure scoring of testimonials: specificity, suspicion, reasons, excerpts.

Imports no Flask, no SQLAlchemy and nothing else of the app: plain values in, plain
values out.  Typical use::

    scorer = load_scorer()
    score = scorer.score(ItemInput("Cut our month-end close from 9 days to 4.", rating=5))
"""

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
