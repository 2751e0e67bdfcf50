"""The fonts share images are drawn with: Noto, one per script, with fallbacks.

The fonts ship in `fonts/` (subsets of Noto's OFL fonts, built by
tools/build_share_fonts.py), so a card looks the same on every server and needs no system
fonts. `coverage.json` lists the characters each font has, so a character the script's
font lacks falls back to another font that has it instead of drawing a box.
"""

from __future__ import annotations

import bisect
import json
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"

LATIN = "NotoSans-Regular.ttf"
LATIN_BOLD = "NotoSans-Bold.ttf"
ARABIC = "NotoSansArabic-Regular.ttf"
HEBREW = "NotoSansHebrew-Regular.ttf"
THAI = "NotoSansThai-Regular.ttf"
LAO = "NotoSansLao-Regular.ttf"
KHMER = "NotoSansKhmer-Regular.ttf"
CJK = "NotoSansCJK-Regular.ttf"
HANGUL = "NotoSansKR-Regular.ttf"
EMOJI = "NotoEmoji-Regular.ttf"  # monochrome: drawn in the text's colour

# When the script's own font lacks a character, the first of these that has it draws it.
FALLBACKS = (LATIN, ARABIC, HEBREW, THAI, LAO, KHMER, CJK, HANGUL, EMOJI)
# Scripts written right to left (their runs are shaped and placed right to left).
RTL_FONTS = frozenset({ARABIC, HEBREW})

# (first, last, font) for the blocks whose script has its own font; the rest is Latin's.
_SCRIPT_BLOCKS = (
    (0x0590, 0x05FF, HEBREW),
    (0x0600, 0x08FF, ARABIC),
    (0x0E00, 0x0E7F, THAI),
    (0x0E80, 0x0EFF, LAO),
    (0x1100, 0x11FF, HANGUL),
    (0x1780, 0x17FF, KHMER),
    (0x19E0, 0x19FF, KHMER),
    (0x2E80, 0x303F, CJK),
    (0x3040, 0x30FF, CJK),
    (0x3130, 0x318F, HANGUL),
    (0x31F0, 0x31FF, CJK),
    (0x3400, 0x9FFF, CJK),
    (0xAC00, 0xD7AF, HANGUL),
    (0xF900, 0xFAFF, CJK),
    (0xFB1D, 0xFB4F, HEBREW),
    (0xFB50, 0xFDFF, ARABIC),
    (0xFE70, 0xFEFF, ARABIC),
    (0xFF00, 0xFFEF, CJK),
    (0x1F300, 0x1FAFF, EMOJI),
)
_BLOCK_STARTS = [first for first, _, _ in _SCRIPT_BLOCKS]


@lru_cache(maxsize=1)
def _coverage() -> dict[str, tuple[list[int], list[int]]]:
    ranges = json.loads((FONT_DIR / "coverage.json").read_text())
    return {
        name: ([first for first, _ in spans], [last for _, last in spans])
        for name, spans in ranges.items()
    }


def covers(font: str, char: str) -> bool:
    """Whether `font` has a glyph for `char`."""
    firsts, lasts = _coverage()[font]
    code = ord(char)
    index = bisect.bisect_right(firsts, code) - 1
    return index >= 0 and code <= lasts[index]


def script_font(char: str) -> str | None:
    """The font made for this character's script, or None for Latin and shared characters."""
    code = ord(char)
    index = bisect.bisect_right(_BLOCK_STARTS, code) - 1
    if index >= 0:
        first, last, font = _SCRIPT_BLOCKS[index]
        if first <= code <= last:
            return font
    return None


def is_neutral(char: str) -> bool:
    """Spaces, punctuation, digits and marks: they take the font of the text around them."""
    return unicodedata.category(char)[0] in "ZPSNMC"


def font_for(char: str, current: str | None) -> str:
    """The font to draw `char` with, preferring its script's font, then the current run's."""
    preferred = script_font(char)
    if preferred is None:
        preferred = current if current and is_neutral(char) else LATIN
        if preferred == EMOJI and unicodedata.category(char)[0] in "ZPN":
            preferred = LATIN  # the emoji font's spaces and digits are emoji-wide
    if covers(preferred, char):
        return preferred
    if current and covers(current, char):
        return current
    for font in FALLBACKS:
        if covers(font, char):
            return font
    return preferred  # nothing has it: the font's own "missing glyph" box says so honestly


@lru_cache(maxsize=128)
def load(name: str, size: int) -> ImageFont.FreeTypeFont:
    """One font at one pixel size, shaped by raqm (HarfBuzz + FriBiDi)."""
    from PIL import ImageFont  # Pillow loads where images are drawn, not in every worker

    return ImageFont.truetype(str(FONT_DIR / name), size, layout_engine=ImageFont.Layout.RAQM)


def has_complex_shaping() -> bool:
    """Whether Pillow was built with raqm; without it Khmer, Thai and Arabic come out wrong."""
    from PIL import features

    return bool(features.check("raqm"))
