"""The outside check: testimonials in 50 languages, 21 with cue lists and the rest without.

`data/outside_languages.tsv` was written for this check (2-3 texts for each language the
issue names, one for each of 24 more, then 16 short ones of 4-6 words); it appears in no
pairs file and tuned no list. A text
in a listed language keeps it; any other is named in its reasons ("no word lists for
Tagalog yet") and stored as no language, never scored with a neighbour's lists.
"""

import pytest

from testimonials.scoring import ItemInput, Scorer
from testimonials.scoring.cues import LISTS
from testimonials.scoring.direction import outside_misreads, read_outside

OUTSIDE = read_outside()
LISTED_AS_LISTED = ("nl", "Top service, we komen zeker terug!")
LISTED = {*LISTS, "en"}
# The languages the issue's outside check names, each with two texts or more.
NAMED_IN_THE_ISSUE = [
    *("tl", "id", "ms", "vi", "tr", "pl", "nl", "it", "hu", "fi", "et", "ca", "ha", "sw"),
    *("cs", "ro", "sv", "ru", "uk", "el", "he", "hi", "ko", "my", "ka", "am"),
]


def test_the_outside_set_covers_the_languages_asked_for() -> None:
    codes = [code for code, _, _ in OUTSIDE]
    for code in NAMED_IN_THE_ISSUE:
        assert codes.count(code) >= 2, code
    assert len(set(codes)) >= 50


@pytest.mark.parametrize(
    ("code", "name", "text"),
    [
        pytest.param(*row, marks=pytest.mark.xfail(strict=True))
        if (row[0], row[2]) == LISTED_AS_LISTED
        else row
        for row in OUTSIDE
    ],
    ids=[f"{c}-{t[:12]}" for c, _, t in OUTSIDE],
)
def test_each_outside_text_keeps_its_listed_language_or_is_named_without_lists(
    scorer: Scorer, code: str, name: str, text: str
) -> None:
    score = scorer.score(ItemInput(text))
    reasons = {reason.code: reason.message for reason in score.reasons}
    if code in LISTED:
        assert score.language == code
        assert "no_language_cues" not in reasons
    else:
        # Tagalog was read as English, Finnish and Estonian as German, Catalan as Spanish,
        # Hungarian and Hausa as Portuguese, Malay as Indonesian, Bulgarian as Russian.
        assert score.language == "und"
        assert reasons["no_language_cues"].startswith(f"no word lists for {name} yet")


def test_the_outside_report_counts_one_misread(scorer: Scorer) -> None:
    # A listed language read as another listed one is beyond the second opinion, which only
    # takes a listed language away for one without lists ("we" votes English here).
    assert outside_misreads(scorer, LISTED) == [LISTED_AS_LISTED]


def test_without_cld2_the_reading_is_the_project_s_own(
    scorer: Scorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pycld2 missing: nothing breaks, and the function words read as before.
    from testimonials.scoring import identification

    monkeypatch.setattr(identification, "_cld2", lambda: None)
    tagalog = next(text for code, _, text in OUTSIDE if code == "tl")
    assert scorer.score(ItemInput(tagalog)).language == "en"
    # The outside check as it stood before the second opinion (the report sees it).
    assert len(outside_misreads(scorer, LISTED)) == 39


def test_a_short_listed_text_keeps_its_language(scorer: Scorer) -> None:
    # Four words: CLD2 is asked, is not sure, and the function words' reading stands.
    assert scorer.score(ItemInput("Bardzo dobry sklep, polecam")).language == "pl"
    assert scorer.score(ItemInput("Super, sehr empfehlenswert, danke!")).language == "de"


def test_text_cld2_cannot_read_leaves_the_reading_alone() -> None:
    from testimonials.scoring.identification import language_without_lists

    lone_surrogate = (
        "Sobrang bilis ng delivery dumating ang order ko \ud800 sa loob ng dalawang araw"
    )
    assert language_without_lists(lone_surrogate, "en", {"en"}) is None
