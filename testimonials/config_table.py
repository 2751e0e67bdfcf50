"""The configuration table of docs/operations.md, generated from SETTINGS so it cannot drift.

`python -m testimonials.config_table` rewrites the table in place; a test fails when the
file and SETTINGS disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from testimonials.config import SETTINGS, Setting

BEGIN = "<!-- settings table: generated from testimonials/config.py SETTINGS -->"
END = "<!-- end of settings table -->"
OPERATIONS_DOC = Path(__file__).resolve().parent.parent / "docs" / "operations.md"


def _shown_default(setting: Setting) -> str:
    if setting.default_doc is not None:
        return setting.default_doc
    if isinstance(setting.default, bool):
        return f"`{str(setting.default).lower()}`"
    return f"`{setting.default}`"


def _cell(text: str) -> str:
    # A bare | would end the cell early.
    return text.replace("|", "\\|")


def settings_table() -> str:
    """Every setting as a Markdown table row: variable, default, what it does."""
    rows = [
        "| Variable | Default | What it does |",
        "| --- | --- | --- |",
        *(f"| `{s.env_var}` | {_shown_default(s)} | {_cell(s.doc)} |" for s in SETTINGS),
    ]
    return "\n".join(rows)


def with_settings_table(document: str) -> str:
    """The document with the text between the table markers replaced by a fresh table."""
    before, found, rest = document.partition(BEGIN)
    _old, closed, after = rest.partition(END)
    if not (found and closed):
        raise ValueError(f"the document needs the markers {BEGIN!r} and {END!r}")
    return f"{before}{BEGIN}\n{settings_table()}\n{END}{after}"


def main(path: Path = OPERATIONS_DOC) -> None:
    """Rewrite the table in docs/operations.md."""
    path.write_text(with_settings_table(path.read_text("utf-8")), "utf-8")
    print(f"Updated the settings table in {path}.")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OPERATIONS_DOC)
