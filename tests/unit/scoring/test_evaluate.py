from pathlib import Path

import pytest

from testimonials.scoring.evaluate import evaluate, main


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
