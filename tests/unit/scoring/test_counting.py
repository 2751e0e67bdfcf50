"""The word counts behind every score: remembered per word, yet the same as counting afresh."""

import pytest

from testimonials.scoring import ItemInput, Scorer, token_table
from testimonials.scoring import features as f
from testimonials.scoring.languages import detect_language
from testimonials.scoring.text import WORD_RE

TEXTS = [
    "Maria from Acme fixed our invoice export in 20 minutes, not the usual 3 days.",
    "Ringu is a disaster. I'm not happy and I wasn't impressed by the hallway.",
    "Frau Müller hat unser SAP-Projekt in 3 Wochen abgeschlossen, nicht in 8.",
    "L'équipe de Léa a livré les 40 chaises en deux jours.",
    "GREAT PRODUCT!!! not bad, never disappointing",
]


def _fresh_counts(scorer: Scorer, text: str) -> f.TextCounts:
    token_table.TOKEN_TABLES.clear()
    return f.count_text(text, scorer._lexicon, detect_language(text))


@pytest.mark.parametrize("text", TEXTS)
def test_remembered_words_count_the_same_as_new_ones(scorer: Scorer, text: str) -> None:
    first = _fresh_counts(scorer, text)
    again = f.count_text(text, scorer._lexicon, detect_language(text))
    assert first == again
    assert first.words >= 6
    assert first.letters == sum(len(w) for w in WORD_RE.findall(text)) or not text.isascii()


def test_names_depend_on_their_place_not_only_on_the_word(scorer: Scorer) -> None:
    # "Support" opening the sentence is a common word, not a name; in mid-sentence it is one.
    counts = _fresh_counts(scorer, "Support answered. Then we thanked Support and Maria.")
    assert counts.proper_noun_counts == {"support": 1, "maria": 1}
    assert f.count_text("Ringu is a disaster.", scorer._lexicon).proper_nouns == 1
    # A word that also occurs inside an earlier word, and a capital after "(": places are
    # those of the tokens themselves.
    tricky = f.count_text("and McDonald told Donald that (Then) ok", scorer._lexicon)
    assert tricky.proper_noun_counts == {"mcdonald": 1, "donald": 1}
    accented = f.count_text("on a vu Léa puis (Ensuite) Zoé", scorer._lexicon)
    # (read as English: "Ensuite" is rare there, and a rare word opening a clause is a name)
    assert accented.proper_noun_counts == {"léa": 1, "ensuite": 1, "zoé": 1}
    negated = f.count_text("The staff were not friendly.", scorer._lexicon)
    plain = f.count_text("The staff were friendly.", scorer._lexicon)
    assert negated.sentiment_sum < 0 < plain.sentiment_sum


def test_the_word_table_stays_bounded(scorer: Scorer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(token_table, "TOKEN_TABLE_SIZE", 50)
    token_table.TOKEN_TABLES.clear()
    words = " ".join(f"word{i}" for i in range(400))
    counts = f.count_text(words, scorer._lexicon)
    assert counts.words == 400 and counts.numbers == 400
    assert all(len(table) <= 50 for table in token_table.TOKEN_TABLES.values())


def test_summed_counts_equal_added_counts(scorer: Scorer) -> None:
    parts = [f.count_text(t, scorer._lexicon) for t in TEXTS[:2]]
    added = f.TextCounts()
    for part in parts:
        added.add(part)
    assert f.TextCounts.summed(parts) == added
    assert f.TextCounts.summed([]) == f.TextCounts()


def test_links_and_phone_numbers_are_still_found_past_the_quick_checks(scorer: Scorer) -> None:
    assert "contains_link" in scorer.score(ItemInput("Order at Example.COM today")).reason_codes()
    assert (
        "contains_link" not in scorer.score(ItemInput("We met at 3.30 in the lobby")).reason_codes()
    )
    for phone in ("Call me on 0612345678 anytime", "اتصل بي على ٠٦١٢٣٤٥٦٧٨ في أي وقت"):
        assert "contact_details" in scorer.score(ItemInput(phone)).reason_codes()
    assert (
        "contact_details" not in scorer.score(ItemInput("Order 123456 took 9 days")).reason_codes()
    )


def test_listed_names_are_names_in_any_case_and_at_a_sentence_start(scorer: Scorer) -> None:
    # Typed in lower case, a listed given name, surname or place is still a name ...
    lower = _fresh_counts(scorer, "we flew from chicago to see moore and maria on stage")
    assert lower.proper_noun_counts == {"chicago": 1, "moore": 1, "maria": 1}
    # ... and so is one that opens a sentence, where a capital proves nothing.
    assert _fresh_counts(scorer, "Moore is a real charmer.").proper_noun_counts == {"moore": 1}
    # Names that are also English words are not listed: they need their capital.
    assert _fresh_counts(scorer, "we will mark the bill and rose early").proper_nouns == 0
    assert _fresh_counts(scorer, "We asked Will and Rose.").proper_nouns == 2
    # Only English text is read with the English list.
    assert _fresh_counts(scorer, "la maria de la mesa de paris es muy buena").proper_nouns == 0


def test_shouted_common_words_are_not_names(scorer: Scorer) -> None:
    shouted = _fresh_counts(scorer, "the pad thai was the BEST we had, SO GOOD")
    assert shouted.proper_nouns == 0
    assert shouted.caps_words == 3
    # An acronym that is not a common word, and a listed name in capitals, still are.
    assert _fresh_counts(scorer, "we flew with KLM and met JOHN").proper_noun_counts == {
        "klm": 1,
        "john": 1,
    }
