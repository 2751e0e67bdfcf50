"""The inbox names bare language codes from ICU's names written to a file, ICU otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import icu

from testimonials.harvest.services import language_name

ROOT = Path(__file__).resolve().parents[1]
NAMES = json.loads((ROOT / "testimonials/harvest/language_names.json").read_text())["names"]


def _icu_name(code: str) -> str:
    name = str(icu.Locale(code.replace("_", "-")).getDisplayName(icu.Locale("en")))
    return name if name and name.lower() != code.lower() else code


def test_the_file_holds_icus_name_of_every_iso_language() -> None:
    # If ICU's names change, rerun tools/build_language_names.py.
    for code in [*icu.Locale.getISOLanguages(), "und"]:
        assert NAMES.get(code, code) == _icu_name(code), code
        assert language_name(code) == _icu_name(code), code
    assert len(NAMES) > 500


def test_codes_outside_the_file_are_still_named_by_icu() -> None:
    for code in ("pt-BR", "pt_BR", "zh-Hant", "EN", "sr-Latn", "xx", "fon"):
        assert code not in NAMES
        assert language_name(code) == _icu_name(code)
    assert language_name("pt-BR") == "Portuguese (Brazil)"
    assert language_name("km") == "Khmer"


def test_naming_bare_codes_does_not_load_icu() -> None:
    program = (
        "import sys\nfrom testimonials.harvest.services import language_name\n"
        "print([language_name(c) for c in ('en', 'ja', 'km', 'und')], 'icu' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert run.stdout.split("] ")[-1].strip() == "False", run.stdout
    assert "'Khmer', 'Unknown language'" in run.stdout
