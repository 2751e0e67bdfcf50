import pytest

from testimonials.scoring import ItemInput, Scorer

AWKWARD_TEXTS = {
    "empty": "",
    "whitespace": " \n\t  \n",
    "100 kB": "This is fine. " * 7500,
    "100 kB one word": "x" * 100_000,
    "emoji only": "😍🔥💯👏🙌" * 5,
    "html": "<p>Great <b>service</b>!</p><script>alert(1)</script> &amp; more",
    "khmer": "ខ្ញុំពិតជាពេញចិត្តនឹងសេវាកម្មនេះណាស់។",
    "arabic": "خدمة ممتازة وسريعة، أنصح بها بشدة.",
    "chinese": "服务很好\uff0c三天就到货了。",
    "lao": "ບໍລິການດີຫຼາຍ ຂອບໃຈ",
    "control characters": "ok\x00\x1b[31m red \u202e reversed",
    "lone surrogate-free odd unicode": "naïve café — “quoted” \u2018single\u2019 …",
    "only punctuation": "!!!???...,,,",
}


@pytest.mark.parametrize("text", AWKWARD_TEXTS.values(), ids=AWKWARD_TEXTS.keys())
def test_scoring_never_crashes_and_stays_in_range(scorer: Scorer, text: str) -> None:
    score = scorer.score(ItemInput(text, rating=3, nps=7))
    assert 0.0 <= score.specificity <= 1.0
    assert 0.0 <= score.suspicion <= 1.0
    assert score.excerpt in text
    assert len(score.excerpt) <= 280
    for sentence in score.sentences:
        assert 0 <= sentence.start < sentence.end <= len(text)


def test_empty_text_is_not_specific(scorer: Scorer) -> None:
    score = scorer.score(ItemInput("   "))
    assert score.specificity == 0.0
    assert score.excerpt == ""


def test_html_tags_do_not_count_as_words(scorer: Scorer) -> None:
    plain = scorer.score(ItemInput("Great service!"))
    tagged = scorer.score(ItemInput("<p>Great <b>service</b>!</p>"))
    assert abs(plain.specificity - tagged.specificity) < 0.05
    assert "names_entity" not in tagged.reason_codes()
