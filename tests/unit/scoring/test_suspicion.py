from pathlib import Path

import pytest

from testimonials.scoring import ItemInput, Scorer
from testimonials.scoring.counts import TextCounts
from testimonials.scoring.features import pack_lexicon, sentence_counts
from testimonials.scoring.suspicion import deception_cue_score, is_complaint
from testimonials.scoring.text import split_sentences

GLOWING = "Absolutely love it, the best purchase I made this year. Amazing quality, excellent!"


def test_link_and_coupon_code_are_flagged(scorer: Scorer) -> None:
    score = scorer.score(
        ItemInput("Works fine. Use code SAVE20 for 20% off at https://deals.example.com/shop")
    )
    assert {"contains_link", "promo_code"} <= set(score.reason_codes())
    assert score.suspicion >= 0.8


def test_script_code_is_flagged_and_plain_formatting_is_not(scorer: Scorer) -> None:
    for attempt in (
        "<script>alert('xss')</script> Great booking tool",
        "Great booking tool <img src=x onerror=alert(1)>",
        'Click <a href="javascript:alert(1)">here</a> for the booking tool',
    ):
        score = scorer.score(ItemInput(attempt, verified=True))
        assert "code_injection" in score.reason_codes(), attempt
        assert score.suspicion >= 0.6
    for formatted in ("Great tool,<br>booking in 2 minutes", "Fish &amp; chips: <b>great</b>"):
        assert "code_injection" not in scorer.score(ItemInput(formatted)).reason_codes()


def test_incentive_disclosure_is_flagged(scorer: Scorer) -> None:
    score = scorer.score(
        ItemInput(
            "I received this product for free in exchange for my honest review. It works well."
        )
    )
    assert "incentivised" in score.reason_codes()
    assert score.suspicion >= 0.5


def test_one_star_with_glowing_text_is_a_mismatch(scorer: Scorer) -> None:
    score = scorer.score(ItemInput(GLOWING, rating=1))
    assert "rating_mismatch" in score.reason_codes()
    assert score.suspicion >= 0.6


def test_nps_zero_with_glowing_text_is_a_mismatch(scorer: Scorer) -> None:
    assert "nps_mismatch" in scorer.score(ItemInput(GLOWING, nps=0)).reason_codes()


@pytest.mark.parametrize(("rating", "nps"), [(5, None), (4, None), (None, 10), (None, 9)])
def test_consistent_rating_is_not_flagged(scorer: Scorer, rating: int, nps: int) -> None:
    score = scorer.score(ItemInput(GLOWING, rating=rating, nps=nps))
    assert not {"rating_mismatch", "nps_mismatch"} & set(score.reason_codes())


def test_five_stars_with_a_scathing_text_is_a_mismatch(scorer: Scorer) -> None:
    text = "Terrible, awful service. The worst company I have dealt with, a total scam."
    assert "rating_mismatch" in scorer.score(ItemInput(text, rating=5)).reason_codes()


def test_negated_praise_is_not_glowing(scorer: Scorer) -> None:
    text = "Not great, not good, and never helpful when it mattered."
    assert "rating_mismatch" not in scorer.score(ItemInput(text, rating=1)).reason_codes()


def test_ordinary_reviews_get_no_suspicion_reasons(
    scorer: Scorer, genuine_reviews: list[str]
) -> None:
    for text in [*genuine_reviews, "Great product!", "The staff were friendly and helpful."]:
        score = scorer.score(ItemInput(text, rating=4))
        assert not [r for r in score.reasons if r.kind == "suspicion"], text
        assert score.suspicion < 0.2


def test_unverified_provenance_raises_suspicion_a_little(
    scorer: Scorer, genuine_reviews: list[str]
) -> None:
    text = genuine_reviews[0]
    verified = scorer.score(ItemInput(text, verified=True))
    unverified = scorer.score(ItemInput(text, verified=False))
    assert "unverified_source" in unverified.reason_codes()
    assert verified.suspicion < unverified.suspicion < 0.5


def test_invented_style_ranks_above_concrete_reviews_on_own_sanity_set(
    scorer: Scorer, invented_reviews: list[str], genuine_reviews: list[str]
) -> None:
    # Direction check on self-written examples only; not an estimate of real accuracy.
    invented = [scorer.score(ItemInput(t)).suspicion for t in invented_reviews]
    genuine = [scorer.score(ItemInput(t)).suspicion for t in genuine_reviews]
    pairs = [(a > b) + 0.5 * (a == b) for a in invented for b in genuine]
    assert sum(pairs) / len(pairs) >= 0.9
    assert len(set(invented + genuine)) > 15  # a continuous score, not a flag


def test_invented_negative_reviews_rank_above_concrete_complaints_on_own_sanity_set(
    scorer: Scorer, negative_invented_reviews: list[str], negative_genuine_reviews: list[str]
) -> None:
    # Direction check only (self-written texts): the cues must not rest on positive praise,
    # so that an invented complaint is not mistaken for an honest one.
    invented = [scorer.score(ItemInput(t)).suspicion for t in negative_invented_reviews]
    genuine = [scorer.score(ItemInput(t)).suspicion for t in negative_genuine_reviews]
    pairs = [(a > b) + 0.5 * (a == b) for a in invented for b in genuine]
    assert sum(pairs) / len(pairs) >= 0.9


def test_a_concrete_complaint_is_never_flagged_as_invented(
    scorer: Scorer, negative_genuine_reviews: list[str]
) -> None:
    # Precision first: a genuine customer wrongly flagged is a real cost.
    for text in negative_genuine_reviews:
        score = scorer.score(ItemInput(text, rating=1))
        assert "invented_style" not in score.reason_codes(), text
        assert score.suspicion < 0.2, text


def test_style_cues_are_not_applied_where_they_were_not_calibrated(scorer: Scorer) -> None:
    text = (
        "Mon mari et moi avons adoré ce séjour, c'était absolument parfait et incroyable, "
        "le meilleur hôtel de notre vie, nous reviendrons avec toute la famille très bientôt !"
    )
    score = scorer.score(ItemInput(text))
    assert score.language == "fr"
    assert score.suspicion == 0.0


def test_invented_reviews_of_both_polarities_rank_above_genuine_ones_of_both(
    scorer: Scorer,
    invented_reviews: list[str],
    genuine_reviews: list[str],
    negative_invented_reviews: list[str],
    negative_genuine_reviews: list[str],
) -> None:
    # One scale for praise and complaints: an honest complaint (full of negative words)
    # must not outrank an invented rave. Direction check on self-written texts only.
    invented = [
        scorer.score(ItemInput(t)).suspicion for t in invented_reviews + negative_invented_reviews
    ]
    genuine = [
        scorer.score(ItemInput(t)).suspicion for t in genuine_reviews + negative_genuine_reviews
    ]
    pairs = [(a > b) + 0.5 * (a == b) for a in invented for b in genuine]
    assert sum(pairs) / len(pairs) >= 0.9


def _counts(scorer: Scorer, text: str) -> TextCounts:
    lexicon = pack_lexicon(scorer.model.zipf10, scorer.model.concreteness10)
    return sentence_counts(text, [(s.start, s.end) for s in split_sentences(text)], lexicon)[1]


def test_an_honest_rave_is_not_suspect_for_naming_a_flaw(scorer: Scorer) -> None:
    plain = (
        "We stayed four nights in a corner room on the 9th floor. The bed was comfortable and "
        "the view over the river was lovely, but the shower drain was slow and the hallway "
        "carpet looked worn. Breakfast at $21 was good value, with fresh eggs and fruit."
    )
    flawed = plain.replace("looked worn", "looked filthy")  # same length, one negative word
    assert _counts(scorer, flawed).negative_emotion > _counts(scorer, plain).negative_emotion
    assert deception_cue_score(_counts(scorer, flawed), 0.45) == pytest.approx(
        deception_cue_score(_counts(scorer, plain), 0.45)
    )
    assert scorer.score(ItemInput(flawed, rating=5)).suspicion < 0.2


def test_complaints_are_read_against_complaints(scorer: Scorer) -> None:
    # Negative words are the norm in a complaint: only their excess is a cue there.
    text = (
        "The room was dirty and the staff were rude when we arrived at midnight. The heating "
        "did not work, the window rattled and the bathroom smelled awful all week long."
    )
    counts = _counts(scorer, text)
    assert is_complaint(counts)
    assert is_complaint(counts, rating=1) and not is_complaint(counts, rating=4)
    as_complaint = deception_cue_score(counts, 0.4, complaint=True)
    assert 0.0 < as_complaint < 0.8
    assert as_complaint != deception_cue_score(counts, 0.4, complaint=False)


def test_informative_words_lower_suspicion_but_their_absence_does_not_raise_it(
    scorer: Scorer, invented_reviews: list[str]
) -> None:
    import dataclasses

    counts = _counts(scorer, invented_reviews[0])
    none = dataclasses.replace(counts, prepositions=0, concrete_rare=0)
    typical = dataclasses.replace(
        counts, prepositions=round(0.045 * counts.words), concrete_rare=round(0.03 * counts.words)
    )
    rich = dataclasses.replace(counts, prepositions=counts.words // 8, concrete_rare=6)
    assert deception_cue_score(none, 0.4) == pytest.approx(deception_cue_score(typical, 0.4))
    assert deception_cue_score(rich, 0.4) < deception_cue_score(typical, 0.4)


def test_genuine_complaints_sit_level_with_genuine_praise(data_dir: Path, tmp_path: Path) -> None:
    # Every rated text is genuine: an honest complainer must not look more invented than an
    # honest fan (before the complaint centring: AUC 0.71 and 0.59 on these files).
    from testimonials.scoring.proxies import genuine_suspicion

    for name in ("movie_reviews.tsv", "twitter_posts.tsv"):
        (tmp_path / name).write_bytes((data_dir / name).read_bytes())
    rows = genuine_suspicion(tmp_path)
    for row in rows.values():
        assert row["complaints"] >= 20
        assert 0.4 <= row["polarity_auc"] <= 0.6
        assert row["complaint_flagged"] <= max(1.0, row["praise_flagged"])
