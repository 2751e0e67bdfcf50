"""Fixtures for the pure scoring tests (no app, no database)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from testimonials.scoring import Scorer, load_scorer
from testimonials.scoring.metrics import find_data_dir

HERE = Path(__file__).resolve().parent
DATA_DIR = find_data_dir(HERE)


@pytest.fixture(scope="session")
def scorer() -> Scorer:
    return load_scorer()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not (DATA_DIR / "social_train.tsv").exists():
        print(f"specificity data not found at {DATA_DIR}; skipping data-dependent test")
        pytest.skip(f"specificity data not found at {DATA_DIR}")
    return DATA_DIR


def _sanity_module():  # loaded by path so the tests work in any pytest import mode
    spec = importlib.util.spec_from_file_location(
        "scoring_sanity_reviews", HERE / "scoring_sanity_reviews.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def invented_reviews() -> list[str]:
    return list(_sanity_module().INVENTED_STYLE)


@pytest.fixture(scope="session")
def genuine_reviews() -> list[str]:
    return list(_sanity_module().GENUINE_STYLE)


@pytest.fixture(scope="session")
def negative_invented_reviews() -> list[str]:
    return list(_sanity_module().NEGATIVE_INVENTED_STYLE)


@pytest.fixture(scope="session")
def negative_genuine_reviews() -> list[str]:
    return list(_sanity_module().NEGATIVE_GENUINE_STYLE)


@pytest.fixture(scope="session")
def hard_negative_reviews() -> tuple[list[str], list[str]]:
    """(invented-style, genuine-style) complaints of the harder, hotel-like sanity set."""
    module = _sanity_module()
    return list(module.HARD_NEGATIVE_INVENTED), list(module.HARD_NEGATIVE_GENUINE)
