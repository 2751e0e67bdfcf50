"""Polarity, adverbs and praise-in-complaints for the invented-review cues (review_style)."""

import dataclasses

from testimonials.scoring import ItemInput, Scorer
from testimonials.scoring.counts import TextCounts
from testimonials.scoring.features import pack_lexicon, sentence_counts
from testimonials.scoring.review_style import read_style, reads_as_complaint
from testimonials.scoring.suspicion import deception_cue_score, is_complaint
from testimonials.scoring.text import split_sentences


def _auc(high: list[float], low: list[float]) -> float:
    pairs = [(a > b) + 0.5 * (a == b) for a in high for b in low]
    return sum(pairs) / len(pairs)


def test_plain_complaints_are_read_as_complaints(
    scorer: Scorer,
    negative_genuine_reviews: list[str],
    hard_negative_reviews: tuple[list[str], list[str]],
) -> None:
    # Honest complaints describe what went wrong in plain words ("the carpet was stained"):
    # by net sentiment alone only 1 of these 8 read as a complaint, so they were measured
    # against genuine praise while invented complaints were measured against complaints.
    lexicon = pack_lexicon(scorer.model.zipf10, scorer.model.concreteness10)
    by_sentiment = [
        is_complaint(sentence_counts(t, [(s.start, s.end) for s in split_sentences(t)], lexicon)[1])
        for t in negative_genuine_reviews
    ]
    assert sum(by_sentiment) <= 2
    assert all(reads_as_complaint(read_style(t)) for t in negative_genuine_reviews)
    assert all(reads_as_complaint(read_style(t)) for t in hard_negative_reviews[0])


def test_praise_stays_praise(invented_reviews: list[str], genuine_reviews: list[str]) -> None:
    raves = [t for t in invented_reviews if "disappointed" not in t and "Terrible" not in t]
    assert len(raves) == 8
    assert not any(reads_as_complaint(read_style(t)) for t in raves)
    # A negation's scope ends at the sentence: "can't imagine my life without it. Best app".
    assert not reads_as_complaint(read_style("I can't imagine a day without it. Best app ever!"))
    assert reads_as_complaint(read_style("The room was not clean and nobody came to fix it."))
    assert not reads_as_complaint(read_style("Nothing went wrong and it was great."))


def test_adverbs_raise_the_cue_score_and_praise_lowers_a_complaint(scorer: Scorer) -> None:
    text = (
        "The room was not clean and the staff at the desk were rude when we arrived. I asked "
        "for towels twice and nobody came. The shower was cold and the bed was uncomfortable."
    )
    counts = scorer_counts(scorer, text)
    style = read_style(text)
    base = deception_cue_score(counts, 0.4, True, style)
    assert deception_cue_score(counts, 0.4, True, dataclasses.replace(style, adverbs=5)) > base
    granted = dataclasses.replace(style, praise=6.0)
    assert deception_cue_score(counts, 0.4, True, granted) < base
    # Praise counts only in a complaint's table, and only when present.
    assert deception_cue_score(counts, 0.4, False, granted) == deception_cue_score(
        counts, 0.4, False, style
    )


def scorer_counts(scorer: Scorer, text: str) -> TextCounts:
    lexicon = pack_lexicon(scorer.model.zipf10, scorer.model.concreteness10)
    return sentence_counts(text, [(s.start, s.end) for s in split_sentences(text)], lexicon)[1]


def test_harder_invented_complaints_rank_above_plain_honest_ones(
    scorer: Scorer, hard_negative_reviews: tuple[list[str], list[str]]
) -> None:
    # Direction check on self-written, labelled synthetic texts; not an accuracy estimate.
    invented, genuine = hard_negative_reviews
    for rating in (None, 1):
        high = [scorer.score(ItemInput(t, rating=rating)).suspicion for t in invented]
        low = [scorer.score(ItemInput(t, rating=rating)).suspicion for t in genuine]
        assert _auc(high, low) >= 0.9


def test_a_one_star_review_that_grants_praise_is_no_rating_mismatch(
    scorer: Scorer, hard_negative_reviews: tuple[list[str], list[str]]
) -> None:
    # "The bed was comfortable and the staff were friendly enough" then plain complaints:
    # the sentiment lexicon sees only praise, yet the text is an honest one-star review.
    for text in hard_negative_reviews[1]:
        for rating in (1, 2):
            codes = scorer.score(ItemInput(text, rating=rating)).reason_codes()
            assert "rating_mismatch" not in codes, text
    glowing = "Absolutely love it, the best purchase I made this year. Amazing quality!"
    assert "rating_mismatch" in scorer.score(ItemInput(glowing, rating=1)).reason_codes()
