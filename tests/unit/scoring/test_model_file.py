import json
import random
from pathlib import Path

import pytest

from testimonials.scoring import DEFAULT_MODEL_PATH, ModelFileError, load_scorer
from testimonials.scoring.metrics import read_rated_file


def test_shipped_model_loads_and_scores() -> None:
    scorer = load_scorer(DEFAULT_MODEL_PATH)
    assert scorer.version == "scorer-v5"


def test_a_broken_model_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text('{"format": "something-else"}')
    with pytest.raises(ModelFileError, match="not a testimonials scorer model"):
        load_scorer(path)
    with pytest.raises(ModelFileError, match="cannot read"):
        load_scorer(tmp_path / "missing.json")


def test_model_file_contains_no_training_sentence(data_dir: Path) -> None:
    model_text = DEFAULT_MODEL_PATH.read_text(encoding="utf-8").lower()
    rng = random.Random(0)
    checked = 0
    for path in sorted(data_dir.glob("*.tsv")):
        raw = [line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()[1:]]
        texts, _ = read_rated_file(path)
        for text in rng.sample(raw, min(200, len(raw))) + rng.sample(texts, min(200, len(texts))):
            # Single words are allowed (the frequency table); any multi-word run is not.
            for fragment in (text, " ".join(text.split()[:3])):
                if len(fragment.split()) >= 3 and len(fragment) >= 15:
                    assert fragment.lower() not in model_text, fragment
                    checked += 1
    assert checked > 500


def test_training_is_deterministic(data_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    pytest.importorskip("wordfreq")
    from testimonials.scoring.training import train_scorer

    subset = tmp_path / "data"
    subset.mkdir()
    for name, rows in (
        ("social_train.tsv", 400),
        ("social_val.tsv", 100),
        ("movie_reviews.tsv", 100),
    ):
        lines = (data_dir / name).read_text(encoding="utf-8").splitlines()
        (subset / name).write_text("\n".join(lines[: rows + 1]) + "\n", encoding="utf-8")
    first = train_scorer(subset, tmp_path / "a.json")
    second = train_scorer(subset, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    # Every file is scored by a model fitted without it (leave-one-domain-out).
    assert set(first.metrics) == {"lodo:social_train", "lodo:social_val", "lodo:movie_reviews"}
    trained = load_scorer(tmp_path / "a.json")
    assert trained.score_batch([]) == []
    assert json.loads((tmp_path / "a.json").read_text())["version"] == "scorer-v5"
    assert second.rows == first.rows


def test_the_shipped_model_file_is_the_recipes_output(data_dir: Path, tmp_path: Path) -> None:
    # Retraining on the shared files reproduces the shipped file byte for byte: a change to
    # what training reads (language detection, counting, the evaluation's rows) shows here.
    pytest.importorskip("sklearn")
    pytest.importorskip("wordfreq")
    from testimonials.scoring.model_io import DEFAULT_MODEL_PATH
    from testimonials.scoring.training import train_scorer

    train_scorer(data_dir, tmp_path / "retrained.json")
    assert (tmp_path / "retrained.json").read_bytes() == DEFAULT_MODEL_PATH.read_bytes()
