"""Rebuild testimonials/harvest/language_names.json: English names of bare language codes.

The inbox names the languages of a workspace's feedback in its filter ("Khmer", "Portuguese").
ICU names them, but loading ICU costs a web worker ~11 MiB for a page that only needs a few
names, so the names of every ISO 639 code ICU knows are written here once, from ICU itself,
and `harvest.services.language_name` asks ICU only for a code not in the file (one with a
region or script such as pt-BR, or another case). tests/test_language_names.py checks every
name against the installed ICU; rerun this after upgrading PyICU if that test fails.

The names are ICU's locale display names, which come from the Unicode CLDR data ICU ships:
© Unicode, Inc., under the Unicode License v3 (https://www.unicode.org/license.txt), which
permits copying and redistributing the data with this notice. Read through PyICU (MIT
licence). Never run by the app.

    python tools/build_language_names.py
"""

from __future__ import annotations

import json
from pathlib import Path

import icu

OUT = Path(__file__).resolve().parent.parent / "testimonials/harvest/language_names.json"


def icu_name(code: str) -> str:
    """ICU's English name of a code, or the code itself (as `language_name` answers)."""
    name = str(icu.Locale(code.replace("_", "-")).getDisplayName(icu.Locale("en")))
    return name if name and name.lower() != code.lower() else code


def names() -> dict[str, str]:
    """Every ISO 639 code ICU knows, and `und`, with a name other than the code itself."""
    codes = sorted({*icu.Locale.getISOLanguages(), "und"})
    return {code: name for code in codes if (name := icu_name(code)) != code}


def main() -> None:
    document = {
        "source": f"ICU {icu.ICU_VERSION} (CLDR data, Unicode License v3), via PyICU "
        f"{icu.VERSION}: tools/build_language_names.py",
        "names": names(),
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    print(f"{len(document['names'])} names written to {OUT}")


if __name__ == "__main__":
    main()
