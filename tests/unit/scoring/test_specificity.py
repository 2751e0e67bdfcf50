from testimonials.scoring import ItemInput, Scorer


def test_generic_praise_scores_low(scorer: Scorer) -> None:
    score = scorer.score(ItemInput("Great product!"))
    assert score.specificity <= 0.2
    assert "generic_praise" in score.reason_codes()
    assert "very_short" in score.reason_codes()


def test_adding_a_concrete_detail_raises_specificity(scorer: Scorer) -> None:
    vague = scorer.score(ItemInput("The support team was really helpful."))
    concrete = scorer.score(
        ItemInput(
            "The support team was really helpful: Maria fixed our invoice export in 20 minutes."
        )
    )
    assert concrete.specificity > vague.specificity + 0.1
    assert {"mentions_number", "names_entity"} <= set(concrete.reason_codes())


def test_numbers_and_names_each_add_specificity(scorer: Scorer) -> None:
    base = scorer.score(ItemInput("We switched our accounting software and closing is faster."))
    with_number = scorer.score(
        ItemInput("We switched our accounting software and closing takes 4 days instead of 9.")
    )
    assert with_number.specificity > base.specificity


def test_sentences_are_scored_and_excerpt_is_the_specific_part(scorer: Scorer) -> None:
    text = (
        "Love it. Highly recommend! Since March our team of 12 has cut onboarding "
        "from three weeks to five days with the Acme checklist templates. Great stuff."
    )
    score = scorer.score(ItemInput(text))
    assert len(score.sentences) == 4
    best = max(score.sentences, key=lambda s: s.specificity)
    assert text[best.start : best.end].startswith("Since March")
    assert "Since March" in score.excerpt
    assert score.excerpt in text
    assert "Love it" not in score.excerpt


def test_excerpt_is_a_bounded_substring_of_the_original(scorer: Scorer) -> None:
    long_sentence = "We measured " + ", ".join(f"{n} widgets" for n in range(120)) + "."
    score = scorer.score(ItemInput("Nice. " + long_sentence))
    assert 0 < len(score.excerpt) <= 280
    assert score.excerpt in long_sentence
    assert not score.excerpt.endswith(",")


def test_batch_matches_single_scores(scorer: Scorer) -> None:
    texts = ["Great product!", "Saved me 3 hours a week on invoices.", ""]
    batch = scorer.score_batch([ItemInput(t) for t in texts])
    assert [s.specificity for s in batch] == [scorer.score(ItemInput(t)).specificity for t in texts]


def test_concrete_detail_in_lower_case_raises_specificity(scorer: Scorer) -> None:
    # Reviews name dishes, rooms and parts in lower case: no capital letter, no number.
    vague = scorer.score(ItemInput("The food came with some things, a bit of stuff and extras."))
    concrete = scorer.score(
        ItemInput("The shrimp came with a lemon wedge, a bowl of rice and grilled asparagus.")
    )
    assert concrete.specificity > vague.specificity + 0.05
    assert "concrete_detail" in concrete.reason_codes()
    assert "concrete_detail" not in vague.reason_codes()


def test_a_rare_word_opening_a_sentence_is_read_as_a_name(scorer: Scorer) -> None:
    named = scorer.score(ItemInput("Zorbanet rebuilt our booking page in a week."))
    common = scorer.score(ItemInput("Someone rebuilt our booking page in a week."))
    assert "names_entity" in named.reason_codes()
    assert "names_entity" not in common.reason_codes()
    assert named.specificity > common.specificity
