"""docs/excerpts.md tells the truth: every example in its table is decided as it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from testimonials.curation.excerpts import check_excerpt

DOC = Path(__file__).resolve().parents[2] / "docs" / "excerpts.md"


def _original_and_examples() -> tuple[str, list[tuple[str, bool]]]:
    text = DOC.read_text(encoding="utf-8")
    quoted = re.search(r"The original answer:\n\n((?:> .*\n)+)", text)
    assert quoted, "the examples' original answer is missing"
    original = " ".join(line[2:] for line in quoted.group(1).splitlines())
    block = text.split("<!-- examples")[1].split("<!-- /examples -->")[0]
    rows = [line.split("|")[1:-1] for line in block.splitlines() if line.startswith("| ")]
    examples = [(cells[0].strip(), cells[1].strip() == "yes") for cells in rows[1:]]
    return original, examples


ORIGINAL, EXAMPLES = _original_and_examples()


@pytest.mark.parametrize(("excerpt", "accepted"), EXAMPLES)
def test_each_documented_example_is_decided_as_documented(excerpt: str, accepted: bool) -> None:
    verdict = check_excerpt(ORIGINAL, excerpt)
    assert verdict.honest is accepted, verdict.problem


def test_the_documented_examples_cover_both_verdicts() -> None:
    assert {accepted for _, accepted in EXAMPLES} == {True, False} and len(EXAMPLES) >= 10
