"""The documentation stays true: generated tables in step, links that lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from testimonials.config import SETTINGS
from testimonials.config_table import OPERATIONS_DOC, settings_table, with_settings_table

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
# [text](target) outside code; anchors and web addresses are not files.
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_settings_table_is_generated_from_the_settings_declaration() -> None:
    document = OPERATIONS_DOC.read_text("utf-8")
    assert with_settings_table(document) == document, (
        "docs/operations.md's settings table is stale: run "
        "`.venv/bin/python -m testimonials.config_table`"
    )
    assert settings_table() in document


def test_every_setting_is_documented_with_its_variable() -> None:
    document = OPERATIONS_DOC.read_text("utf-8")
    missing = [s.env_var for s in SETTINGS if f"| `{s.env_var}` |" not in document]
    assert not missing


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_to_files_that_exist(document: Path) -> None:
    text = re.sub(r"```.*?```", "", document.read_text("utf-8"), flags=re.S)
    broken = [
        target
        for target in LINK.findall(text)
        if not re.match(r"[a-z]+:|#", target)
        and not (document.parent / target.split("#", 1)[0]).exists()
    ]
    assert not broken, f"{document.name} links to missing files: {broken}"
