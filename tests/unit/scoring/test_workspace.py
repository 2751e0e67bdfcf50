import random

import pytest

from testimonials.scoring import (
    MIN_DECISIONS,
    ItemInput,
    Scorer,
    WorkspaceRanker,
    fit_workspace_ranker,
    rank_score,
    ranking_features,
)
from testimonials.scoring.workspace import (
    RANKING_FEATURES,
    RANKING_REASON_CODES,
    fit_workspace_ranker_from_features,
    rank_scores_from_features,
    sentence_extent,
    stored_ranking_features,
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


# Texts of every shape the inbox holds: the stored-value features must match the scored ones.
VARIED_TEXTS = {
    "empty": "",
    "whitespace": " \n\t  \n",
    "only punctuation": "!!!???...,,,",
    "emoji only": "😍🔥💯👏🙌",
    "one word": "Great",
    "very short": "Love it!",
    "two sentences": "Great product! Highly recommend.",
    "many sentences": " ".join(f"Point {n} is good." for n in range(14)),
    "abbreviations": "Dr. Smith and Mrs. Jones helped, e.g. with the U.S. import etc. Thanks.",
    "decimals": "Rated 4.5 out of 5. Saved $3.20 per parcel.",
    "abbreviation before bracket": "Thanks to our Dr). Very kind.",
    "newlines": "First line\nSecond line\n\nThird line after a gap\n",
    "leading punctuation": "!!! ... Great team. Fast replies",
    "trailing emoji": "Support answered in 5 minutes. 👏👏",
    "quotes": '"Best rota tool we have used!" said our manager. \u201cReally.\u201d',
    "ellipsis": "Well\u2026 it works. Mostly\u2026",
    "html": "<p>Great <b>service</b>!</p> &amp; fast delivery to Leeds.",
    "markup only": "<br><br/>&nbsp;",
    "japanese": "サービスはとても良いです。予約の管理が3時間短縮されました。",
    "chinese": "服务很好\uff0c三天就到货了\uff01真的\uff1f是的。",
    "arabic": "خدمة ممتازة وسريعة، أنصح بها بشدة. شكرا!",
    "russian": "Отличный сервис. Доставка за 2 дня!",
    "hindi": "बहुत अच्छी सेवा। धन्यवाद!",
    "khmer": "ខ្ញុំពិតជាពេញចិត្តនឹងសេវាកម្មនេះណាស់។",
    "mixed scripts": "Ledgerly 很好. Priya から3日で届いた! Merci.",
    "no-break spaces": "\u00a0Great service.\u00a0\u00a0Quick refund.\u00a0",
    "underscores": "__init__ ___ fine_print. ok",
    "over 200 sentences": "Short one. " * 250,
    "over 20,000 characters": "We cut our close from 9 days to 4. " * 700,
    "specific": (
        "We moved our 14 clinics to Shiftboard in March and cut the payroll run from 9 days "
        "to 4. Maria on their support team set up the import in 20 minutes."
    ),
}


@pytest.mark.parametrize("text", VARIED_TEXTS.values(), ids=VARIED_TEXTS.keys())
def test_features_from_stored_values_equal_features_from_a_fresh_score(
    scorer: Scorer, text: str
) -> None:
    score = scorer.score(ItemInput(text, rating=5))

    stored = stored_ranking_features(score.specificity, score.suspicion, score.reason_codes(), text)

    assert stored == ranking_features(score)


def test_sentence_extent_matches_the_scorers_sentences_on_awkward_strings(
    scorer: Scorer,
) -> None:
    # Random strings built from sentence ends, quotes, brackets, spaces of all kinds,
    # abbreviations and markup: the places where a shortcut could disagree with the scorer.
    pieces = [*"ab Z9.!?\u2026\u3002\uff01\uff1f\"')]\n\t\u00a0_-<>&;é漢", "Dr. ", "e.g. "]
    pieces += ["<b>", "&amp;", "U.S. ", "3.5 ", "etc. ", "...", "Dr)", "approx", "Mrs", "İ"]
    pieces += ["ST", "Xapprox", "o'no", "hours", "\ufb06", "\u212a"]
    rng = random.Random(2024)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    scores = scorer.score_batch([ItemInput(t) for t in texts])

    for text, score in zip(texts, scores, strict=True):
        spans = score.sentences
        expected = (spans[-1].end - spans[0].start if spans else 0, len(spans))
        assert sentence_extent(text) == expected, text


def test_fitting_and_ranking_from_features_agree_with_the_score_api(decided) -> None:
    scores, decisions = decided
    features = [ranking_features(s) for s in scores]

    fit = fit_workspace_ranker_from_features(features, decisions)

    assert fit == fit_workspace_ranker(scores, decisions)
    base = [s.specificity * (1 - s.suspicion) for s in scores]
    for model in (None, fit.ranker):
        assert rank_scores_from_features(features, base, model) == rank_score(scores, model)
    with pytest.raises(ValueError):
        fit_workspace_ranker_from_features(features, decisions[:-1])


@pytest.mark.parametrize("code", RANKING_REASON_CODES)
def test_each_ranking_reason_code_sets_its_own_feature(code: str) -> None:
    features = stored_ranking_features(0.5, 0.1, [code, "describes_outcome"], "Fine.")

    flags = dict(zip(RANKING_FEATURES[4:], features[4:], strict=True))
    assert flags == {c: float(c == code) for c in RANKING_REASON_CODES}
