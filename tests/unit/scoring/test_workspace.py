import pytest

from testimonials.scoring import (
    MIN_DECISIONS,
    ItemInput,
    Scorer,
    WorkspaceRanker,
    fit_workspace_ranker,
    rank_score,
)

VAGUE = ["Great product!", "Love it.", "Nice service, thanks.", "Awesome team!", "So good."]
CONCRETE = [
    "Support fixed our SSO in 2 hours.",
    "Cut invoice time from 3 days to 1 with the batch export.",
    "Maria set up 14 user accounts on our first call.",
    "Saved $400 a month on shipping to Ohio.",
    "The 30-minute onboarding covered our Shopify import.",
]


@pytest.fixture(scope="module")
def decided(scorer: Scorer) -> tuple[list, list[int]]:
    # A workspace that approves concrete testimonials and rejects vague ones (with noise).
    texts = (VAGUE + CONCRETE) * 7
    scores = scorer.score_batch([ItemInput(t) for t in texts])
    decisions = [0 if t in VAGUE else 1 for t in texts]
    decisions[3] = 1 - decisions[3]
    return scores, decisions


def test_below_the_threshold_only_the_base_model_is_used(decided) -> None:
    scores, decisions = decided
    fit = fit_workspace_ranker(scores[: MIN_DECISIONS - 1], decisions[: MIN_DECISIONS - 1])
    assert fit.ranker is None and "base model only" in fit.message
    one_class = fit_workspace_ranker(scores, [1] * len(scores))
    assert one_class.ranker is None


def test_fitted_ranker_beats_majority_baseline_and_round_trips(decided) -> None:
    scores, decisions = decided
    fit = fit_workspace_ranker(scores, decisions)
    assert fit.ranker is not None
    assert fit.held_out_accuracy is not None and fit.majority_baseline is not None
    assert fit.held_out_accuracy > fit.majority_baseline
    restored = WorkspaceRanker.from_json(fit.ranker.to_json())
    assert rank_score(scores[:10], restored) == rank_score(scores[:10], fit.ranker)


def test_rank_score_puts_approved_kind_first(decided, scorer: Scorer) -> None:
    scores, decisions = decided
    ranker = fit_workspace_ranker(scores, decisions).ranker
    pair = scorer.score_batch([ItemInput("Awesome!"), ItemInput(CONCRETE[1])])
    for model in (None, ranker):
        vague, concrete = rank_score(pair, model)
        assert concrete > vague
