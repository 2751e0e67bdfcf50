"""A second opinion on a text's language, to name the languages we have no word lists for.

The project's own reading (`languages`, `latin`) picks the likeliest *listed* language from
scripts, function words and telling letters; a language it does not know comes out as the
nearest one it does (Tagalog as English, Finnish and Estonian as German, Catalan as
Spanish, Bulgarian as Russian) and would be scored with that language's lists. CLD2
(Compact Language Detector 2, Apache-2.0, via the `pycld2` wheel: its tables are compiled
into the extension, no model file is loaded, ~2 ms to import, ~12 us a text) knows 80+
languages and says when it is unsure. It is asked only about texts of `MIN_WORDS` words or
more in scripts several languages share (and texts already named as a language without
lists, to name it), and only to take a listed language away:

- It must name a language without lists here, reliably, on its own; and asked again with
  the listed language as a hint, it must not give that language back reliably (a hint
  weighs the prior of a near neighbour: Galician/Spanish, Nepali/Hindi, Malay/Indonesian).
- Malay and Indonesian are one language to CLD2 once hinted; Malay words Indonesian does
  not use (`_MALAY_WORDS`, written for this) tell them apart.

Without pycld2 the project's reading stands, as before it (the check only ever removes a
guess). Measured in `docs/scoring-evaluation.md` ("Languages without lists").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Container
from typing import Any

# Enough words for CLD2 to say whether it is sure ("Molt bon servei, gràcies per tot!" is
# Catalan to it); shorter texts keep the project's reading. At 4 the listed-language texts
# lose no more than at 8 (none of the 1,210 pair texts; 3 of the shared files' 8,171 short
# tweets: "I feel u , Alana #EMMYALDENTE" read as Hawaiian, and two misread already).
MIN_WORDS = 4
# Scripts several languages share, among which one is listed and the others are not.
CHECKED_SCRIPTS = frozenset({"latin", "cyrillic", "devanagari", "arabic"})
# CLD2's own codes for listed languages it spells differently.
_CLD2_CODES = {"zh-Hant": "zh"}
# CLD2 names that read badly title-cased.
_NAMES = {
    "NORWEGIAN_N": "Norwegian Nynorsk",
    "LUO_KENYA_AND_TANZANIA": "Luo",
    "WARAY_PHILIPPINES": "Waray",
}
# Malay words standard Indonesian writes otherwise (service, because, only, shop, staff,
# reasonable, worth it, free, money, office, account, delivery, telephone, room, quality,
# company, want, number, minute ...): for identification only, not cue lists.
_MALAY_WORDS = frozenset(
    [
        "perkhidmatan",
        "kerana",
        "sahaja",
        "kedai",
        "kakitangan",
        "berpatutan",
        "berbaloi",
        "percuma",
        "wang",
        "pejabat",
        "akaun",
        "penghantaran",
        "telefon",
        "bilik",
        "doktor",
        "encik",
        "awak",
        "kualiti",
        "syarikat",
        "mahu",
        "nombor",
        "minit",
        "ringgit",
        "teksi",
        "polis",
        "universiti",
    ]
)
_WORD = re.compile("[a-z]+")


@functools.cache
def _cld2() -> Callable[..., Any] | None:
    """pycld2's detect, or None where it is not installed (imported on first use)."""
    try:
        import pycld2
    except ImportError:
        return None
    return pycld2.detect


def _read(detect: Callable[..., Any], text: str, hint: str | None = None) -> tuple[str, str]:
    """CLD2's (code, NAME) for text when it is reliable, else ("un", "")."""
    try:
        if hint:
            reliable, _, details = detect(text, isPlainText=True, hintLanguage=hint)
        else:
            reliable, _, details = detect(text, isPlainText=True)
    except Exception:  # pycld2.error on bytes it cannot read (lone surrogates): no opinion
        return "un", ""
    name, code = details[0][0], details[0][1]
    if not reliable or code.startswith(("xx-", "zz")):
        return "un", ""
    return _CLD2_CODES.get(code, code), name


def language_without_lists(text: str, code: str, listed: Container[str]) -> str | None:
    """The name of the language `text` is in when CLD2 shows it has no lists here and is not
    `code` (the project's reading: a listed code, or "und"); None to keep that reading."""
    if len(text.split(maxsplit=MIN_WORDS - 1)) < MIN_WORDS:  # (stops at MIN_WORDS words)
        return None
    detect = _cld2()
    if detect is None:
        return None
    found, name = _read(detect, text)
    if code == "id":
        malay = _MALAY_WORDS.intersection(_WORD.findall(text.lower()))
        if len(malay) >= 2 or (malay and found == "ms"):
            return "Malay"
    if found == "un" or found in listed:
        return None
    if code != "und" and _read(detect, text, hint=code)[0] == code:
        return None
    return _NAMES.get(name) or name.replace("_", " ").title()
