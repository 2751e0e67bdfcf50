from pathlib import Path

import pytest

from testimonials.scoring.evaluate import evaluate, main
from testimonials.scoring.metrics import names_nothing


def test_evaluation_holds_each_file_out_and_reports_every_language(
    data_dir: Path, tmp_path: Path
) -> None:
    pytest.importorskip("sklearn")
    pytest.importorskip("wordfreq")
    subset = tmp_path / "data"
    subset.mkdir()
    for name in ("social_train.tsv", "movie_reviews.tsv", "twitter_posts.tsv"):
        lines = (data_dir / name).read_text(encoding="utf-8").splitlines()
        (subset / name).write_text("\n".join(lines[:151]) + "\n", encoding="utf-8")
    report = "\n".join(evaluate(subset))
    assert "leave-one-domain-out" in report
    for name in ("social_train", "movie_reviews", "twitter_posts"):
        lodo_line = next(line for line in report.splitlines() if line.strip().startswith(name))
        assert "spearman" in lodo_line and "(length" in lodo_line
    for language in ("en", "fr", "es", "de", "pt", "zh", "ja", "th", "km", "lo", "ar"):
        assert f"\n  {language} " in report
    assert "target 90% of pairs in every language: met" in report


def test_evaluation_without_rated_files_still_reports_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "rated files not found" in out
    assert "target 90% of pairs in every language" in out
    assert "99 texts in 50 languages (26 in listed languages): 98 read right" in out


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("We flew to chicago and the hotel was fine.", True),
        ("I loved it. The room was clean and I'd go back!", True),
        ('"Great" stay, i think.', True),
        ("We flew to Chicago.", False),
        ("the staff at Hilton rock", False),
        ("SO HAPPY with it", False),
    ],
)
def test_naming_nothing_is_a_fixed_rule_on_the_text(text: str, plain: bool) -> None:
    # The evaluation's "naming nothing" rows: no capitalised word but sentence openers and
    # the pronoun I, whatever the evaluated model's name counter says.
    assert names_nothing(text) is plain
